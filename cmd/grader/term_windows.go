package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// A Windows console shows ANSI colours and cursor movement only once
// virtual terminal processing is on for its handle (Windows 10 and later);
// otherwise it prints the escape codes as text. Where it cannot be turned
// on, the output is treated as plain text.

// ansiConsole turns on virtual terminal processing for the console f, and
// reports whether it is on.
func ansiConsole(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
