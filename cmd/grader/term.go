package main

import (
	"io"
	"os"

	"golang.org/x/term"

	"asynclab/grader/render"
)

// screen is what the commands may do on their outputs.
type screen struct {
	color   bool // ANSI colours on stdout
	animate bool // a spinner redrawn in place, and clearing the screen, on stderr
	width   int  // stderr's width in columns, 0 when unknown
}

// env is how the commands learn about their outputs; tests replace it.
type env struct {
	isTerminal func(io.Writer) bool
	getenv     func(string) string
	width      func(io.Writer) int
}

// osEnv looks at the real file descriptors and environment.
var osEnv = env{
	isTerminal: func(w io.Writer) bool {
		f, ok := w.(*os.File)
		return ok && term.IsTerminal(int(f.Fd())) && ansiConsole(f)
	},
	getenv: os.Getenv,
	width: func(w io.Writer) int {
		if f, ok := w.(*os.File); ok {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
				return cols
			}
		}
		return 0
	},
}

// screenOf decides colours and animation: colours only when stdout is a
// terminal and NO_COLOR is not set; cursor movement only when stdout and
// stderr are both terminals. Output to a file or a pipe is plain text.
func (e env) screenOf(stdout, stderr io.Writer) screen {
	outTTY, errTTY := e.isTerminal(stdout), e.isTerminal(stderr)
	s := screen{
		color:   render.UseColor(outTTY, e.getenv),
		animate: render.UseAnimation(errTTY, outTTY, e.getenv),
	}
	if s.animate && e.width != nil {
		s.width = e.width(stderr)
	}
	return s
}
