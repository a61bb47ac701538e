package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsCommands: every grader command line in README.md and docs/ (in
// code blocks and in inline code) names a command that exists, with flags
// it has, so that the docs cannot rot when a command or flag is renamed.
// Running them all is for verify and the other tests; this keeps the docs
// honest about their spelling.
func TestDocsCommands(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../README.md")
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range docCommands(string(b)) {
			seen++
			if err := parseCommand(c.args); err != nil {
				t.Errorf("%s:%d: %q: %v", filepath.Base(f), c.line, strings.Join(c.args, " "), err)
			}
		}
	}
	if seen < 50 {
		t.Errorf("found %d grader commands in the docs; the scanner must have lost them", seen)
	}
}

// docCommand is a grader command line found in a document, its arguments
// after "grader".
type docCommand struct {
	line int
	args []string
}

var (
	inlineCode = regexp.MustCompile("`([^`]+)`")
	// a grader command: the README's form or an installed grader, at the
	// start of a shell line (after a prompt, variables, sudo, timeout…),
	// a command substitution, or after && or ;
	graderStart = regexp.MustCompile(`(?:^|&& |; |\$\()(?:\$ )?(?:[A-Z_]+=\S+ )*(?:sudo |time |nice (?:-n \d+ )?)*(?:go run \./cmd/grader|grader)\s+([a-z-].*)$`)
)

// docCommands finds the grader command lines of a Markdown text: lines of
// its code blocks and inline code spans that run grader.
func docCommands(md string) []docCommand {
	var out []docCommand
	inBlock := false
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inBlock = !inBlock
			continue
		}
		var candidates []string
		if inBlock {
			candidates = []string{line}
		} else {
			for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
				candidates = append(candidates, m[1])
			}
		}
		for _, c := range candidates {
			if args, ok := graderArgs(c); ok {
				out = append(out, docCommand{line: i + 1, args: args})
			}
		}
	}
	return out
}

// graderArgs cuts a shell line down to grader's arguments: from after
// "grader" to a comment, a pipe, a redirection or the next command.
func graderArgs(line string) ([]string, bool) {
	line = strings.TrimSpace(line)
	m := graderStart.FindStringSubmatch(line)
	if m == nil {
		return nil, false
	}
	rest := m[1]
	for _, stop := range []string{" #", " |", " >", " 2>", " &&", " ;", "; ", " <"} {
		if i := strings.Index(rest, stop); i >= 0 {
			rest = rest[:i]
		}
	}
	var args []string
	for _, f := range strings.Fields(rest) {
		f = strings.Trim(f, `"'`)
		if strings.ContainsAny(f, "[]…") || f == "..." || f == "\\" {
			continue // a placeholder's brackets, "...": not an argument
		}
		args = append(args, f)
	}
	return args, len(args) > 0
}

// parseCommand finds the command args name and parses its flags, as the
// grader would, without running it.
func parseCommand(args []string) error {
	root := newRoot()
	root.InitDefaultCompletionCmd()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if cmd == root {
		return errUnknown(args[0])
	}
	cmd.InitDefaultHelpFlag()
	err = cmd.ParseFlags(rest)
	if err != nil && strings.HasPrefix(err.Error(), "flag needs an argument") && strings.HasPrefix(args[len(args)-1], "-") {
		return nil // prose naming a flag: "`grader batch --budget`"
	}
	return err
}

type errUnknown string

func (e errUnknown) Error() string { return "no command " + string(e) }

// TestDocsCommandsScanner: what the docs test finds and what it refuses.
func TestDocsCommandsScanner(t *testing.T) {
	md := "Run `grader batch --budget` or:\n\n```sh\n$ go run ./cmd/grader check -v queue   # one\nLANG=ru go run ./cmd/grader --lang ru check\necho \"grader failed\"\ngo run ./cmd/grader verify --mutate=all [EXERCISE...]\n```\n"
	var got []string
	for _, c := range docCommands(md) {
		got = append(got, strings.Join(c.args, " "))
	}
	want := []string{"batch --budget", "check -v queue", "--lang ru check", "verify --mutate=all"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("docCommands found %q, want %q", got, want)
	}
	tests := []struct {
		args []string
		ok   bool
	}{
		{[]string{"check", "-v", "queue"}, true},
		{[]string{"batch", "--budget"}, true}, // prose naming a flag
		{[]string{"batch", "--budget", "2m", "--jobs", "2", "subs"}, true},
		{[]string{"check", "--no-such-flag"}, false},
		{[]string{"chek", "queue"}, false},
		{[]string{"batch", "--jobs", "two"}, false},
	}
	for _, tt := range tests {
		if err := parseCommand(tt.args); (err == nil) != tt.ok {
			t.Errorf("parseCommand(%q) = %v; want ok %v", tt.args, err, tt.ok)
		}
	}
}

// TestReadmeMutationScores: the README's table of mutation scores says
// what docs/instructors.md's fuller table says, exercise by exercise, so
// that the two cannot drift apart when a score is measured again.
func TestReadmeMutationScores(t *testing.T) {
	scores := func(path string) map[string][2]string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][2]string{}
		row := regexp.MustCompile(`(?m)^\| (\w+) \| ([\d.]+%)[^|]* \| ([\d.]+%)[^|]* \|`)
		for _, m := range row.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = [2]string{m[2], m[3]}
		}
		return out
	}
	readme, full := scores("../../README.md"), scores("../../docs/instructors.md")
	if len(readme) < 10 {
		t.Fatalf("README.md has %d rows of mutation scores, want one per exercise: %v", len(readme), readme)
	}
	for ex, s := range readme {
		if full[ex] != s {
			t.Errorf("README.md gives %s's mutation scores as %v, docs/instructors.md as %v", ex, s, full[ex])
		}
	}
}
