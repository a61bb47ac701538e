package render

import "strings"

// UseColor decides whether to write ANSI colours to an output: only when
// it is a terminal, NO_COLOR is unset or empty (https://no-color.org) and
// TERM is not "dumb". getenv is os.Getenv in the CLI and a map in tests.
func UseColor(isTerminal bool, getenv func(string) string) bool {
	return isTerminal && getenv("NO_COLOR") == "" && !dumb(getenv)
}

// UseAnimation decides whether a progress display may move the cursor
// (a spinner redrawn in place): only when both the output it draws on
// (stderr) and the report's output (stdout) are terminals, and TERM is not
// "dumb". Otherwise progress is plain lines. NO_COLOR does not matter
// here: it is about colours, not movement.
func UseAnimation(stderrIsTerminal, stdoutIsTerminal bool, getenv func(string) string) bool {
	return stderrIsTerminal && stdoutIsTerminal && !dumb(getenv)
}

func dumb(getenv func(string) string) bool {
	return strings.TrimSpace(getenv("TERM")) == "dumb"
}

// palette wraps text in ANSI colours, or leaves it alone.
type palette bool

const (
	bold   = "1"
	dim    = "2"
	red    = "31"
	green  = "32"
	yellow = "33"
	cyan   = "36"
)

// paint returns s in the given SGR code when colours are on.
func (p palette) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
