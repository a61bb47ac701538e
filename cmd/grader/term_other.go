//go:build !windows

package main

import "os"

// ansiConsole reports whether the terminal f shows ANSI escape codes: every
// terminal does, except a Windows console without them turned on
// (term_windows.go).
func ansiConsole(f *os.File) bool { return true }
