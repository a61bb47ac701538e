package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"asynclab/grader/sandbox"
	"asynclab/internal/needs"
)

// docExceptions are the documented grader commands that no test runs,
// each with why. The list is short on purpose: it may not grow past
// maxDocExceptions, and an entry whose command has left the docs fails
// the test, so that it is removed with it.
var docExceptions = map[string]string{
	"watch":              "never ends: it grades at each save until interrupted (TestWatchLoop runs its loop)",
	"watch --html queue": "never ends, as watch (TestWatchLoop)",
	"verify --repeat 50": "the determinism run: 83 minutes on 2 cores (grading.md)",
	"verify --repeat 10 gather ascompleted queue lockorder": "a past run, told in grading.md's prose; on a small course of " +
		"those four exercises it would add 20 s of CPU for the code path that verify --repeat 10 (grading.md) runs",
}

const maxDocExceptions = 12

// docPlaceholders are the docs' placeholders, each with the fixture that
// stands for it. The other names the docs use (submissions/, repos/,
// roster.csv, submissions.zip, grades, grades-0…) are the fixtures' own
// names in the folder a command runs in (see docClass).
var docPlaceholders = map[string]string{
	"SUBMISSIONS":   "submissions/",
	"/tmp/class200": "submissions/",
	"/tmp/out":      "out",
	"OLD":           "grades",
	"NEW":           "regraded",
	"NEWER":         "regraded-again",
	"I/N":           "0/2",
	"new-I":         "new-0",
	"new-N-1":       "new-1", // "new-0 … new-N-1" with N = 2
	"F":             "json",
	"EXERCISE":      "queue",
	"$exercise":     "queue",
	"$course":       "$course", // the course's root, where the command runs
	"/asynclab":     "$course", // the course's root in prairielearn.md's image
	"$unsafe":       "",        // bubblewrap works here: no --unsafe
}

// docShard is the shard index of the docs' GitHub Actions and Kubernetes
// examples, which the scanner fills in before it splits the words.
var docShard = strings.NewReplacer("${{ matrix.shard }}", "0", "$JOB_COMPLETION_INDEX", "0")

// docExit is the exit status the docs give a command line on the
// fixtures: check grades the course's stubs (formats.md: 1 when any check
// fails); verify --mutate finds mutants of grader new's example Sleep that
// its one check lets live, such as a dropped timer.Stop (instructors.md: 1
// when one survives); all else works.
func docExit(name string, args []string) int {
	switch {
	case name == "check":
		return exitFail
	case name == "verify" && slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--mutate") }):
		return exitFail
	}
	return exitPass
}

// docRepeat is how many times the docs' verify --repeat grades each file
// here: its code path is the same for 2 as for 50, and 20 or 10 repeats
// of every exercise would take minutes.
const docRepeat = "2"

// TestDocsCommands runs every grader command line of README.md and
// docs/*.md (code blocks and inline code), so that the docs cannot rot:
// each must parse with the flags its command has, and then run as a
// process of its own (the test binary is the grader: see TestMain), with
// the docs' placeholders filled in (docPlaceholders), exit with the
// status the docs give it (docExit) and write what they say it writes
// (docWrites). A command line that appears more than once runs once.
//
// Where the commands run:
//   - the student's commands (check, list, hint, export, similar…) in a
//     copy of this repository's course, whose stubs fail, from its root
//     as the docs' "go run ./cmd/grader" does, with the fixtures of
//     docClass beside it;
//   - verify, batch, regrade and merge, whose runs on the real course take
//     minutes, on a small course of the exercises the line names (queue
//     when it names none), each made by grader new (one check, a
//     solution, two alternatives, a mutant): the same flags and code
//     paths, on exercises that build in seconds.
//     Each runs in a folder of its own with the fixtures it names, and
//     --root;
//   - authoring.md's walk-through (the commands on barrier), in document
//     order in a course of its own, since each step changes it.
//
// Inline code that names a command without the operands it needs
// ("`grader batch`", "`grader batch --budget`") is prose about it: it is
// parsed, not run. docExceptions are the commands no test can run.
func TestDocsCommands(t *testing.T) {
	found := docsCommands(t)
	if len(found) < 50 {
		t.Fatalf("found %d grader commands in the docs; the scanner must have lost them", len(found))
	}
	runs, refs, problems := planDocRuns(found, docExceptions)
	for _, p := range problems {
		t.Error(p)
	}
	runs = dedup(runs)
	t.Logf("%d command lines: %d distinct ones run, %d exceptions, %d mentions in prose parsed", len(found), len(runs), len(docExceptions), refs)
	if t.Failed() {
		return
	}
	if testing.Short() {
		t.Skip("runs the docs' commands: builds and grades")
	}
	needSolutions(t, filepath.Join("..", "..")) // verify's, and the course's mutants
	needs.RaceDetector(t)
	needGit(t)
	needs.Bwrap(t, sandbox.Detect()) // batch, and check --format prairielearn

	var walk, small, course []docRun
	for _, r := range runs {
		switch {
		case slices.Contains(r.args, "barrier"):
			walk = append(walk, r)
		case r.name == "verify" || r.name == "batch" || r.name == "regrade" || r.name == "merge":
			small = append(small, r)
		default:
			course = append(course, r)
		}
	}
	queue := smallCourse(t, "queue")
	class := docClass(t, queue)
	t.Run("course", func(t *testing.T) {
		t.Parallel()
		root := copyCourse(t)
		copyTree(t, class, root) // submissions/ and the rest, where the docs have them
		for _, r := range course {
			t.Run(r.test(), func(t *testing.T) { runDocCommand(t, r, root, "") })
		}
	})
	t.Run("small course", func(t *testing.T) {
		t.Parallel()
		graded := gradeClass(t, queue, class)
		courses := smallCourses(t, small, map[string]string{"queue": queue})
		for _, r := range small {
			t.Run(r.test(), func(t *testing.T) {
				t.Parallel()
				runDocCommand(t, r, courses[smallKey(r)], graded)
			})
		}
	})
	t.Run("walk-through", func(t *testing.T) {
		t.Parallel()
		root := courseWithHarness(t)
		for _, r := range walk {
			t.Run(r.test(), func(t *testing.T) { runDocCommand(t, r, root, "") })
		}
	})
}

// planDocRuns sorts the command lines found: the runs (each with its
// command's name), the mentions in prose (refs), and the exceptions. Its
// problems are the lines that do not parse, a code block's line that
// lacks its operands, and an exceptions table that is too long or names a
// command that no doc has.
func planDocRuns(found []docRun, exceptions map[string]string) (runs []docRun, refs int, problems []string) {
	seen := map[string]bool{}
	for _, f := range found {
		name, ref, err := parseCommand(f.args)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %q: %v", f.where, f.key(), err))
			continue
		case ref && f.inline:
			refs++
			continue
		case ref:
			problems = append(problems, fmt.Sprintf("%s: %q: a code block's command lacks its operands", f.where, f.key()))
			continue
		}
		if _, ok := exceptions[f.key()]; ok {
			seen[f.key()] = true
			continue
		}
		f.name = name
		runs = append(runs, f)
	}
	if len(exceptions) > maxDocExceptions {
		problems = append(problems, fmt.Sprintf("%d exceptions: at most %d commands of the docs may go unrun", len(exceptions), maxDocExceptions))
	}
	for _, c := range slices.Sorted(maps.Keys(exceptions)) {
		if !seen[c] {
			problems = append(problems, fmt.Sprintf("the exceptions have %q, which no doc has any more: remove it", c))
		}
	}
	return runs, refs, problems
}

// docRun is a command line of a document, and the command it runs.
type docRun struct {
	docCommand
	where string // file:line
	name  string // the command: check, batch…
}

// test is the name of r's subtest: where it is ("docs/lms.md:158"),
// without the slash that would make a subtest of it.
func (r docRun) test() string { return strings.ReplaceAll(r.where, "/", "_") }

// docsCommands reads the grader commands of README.md and docs/*.md.
func docsCommands(t *testing.T) []docRun {
	t.Helper()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []docRun
	for _, f := range append([]string{"../../README.md"}, files...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range docCommands(string(b)) {
			out = append(out, docRun{docCommand: c, where: fmt.Sprintf("%s:%d", strings.TrimPrefix(f, "../../"), c.line)})
		}
	}
	return out
}

// dedup keeps the first of the runs that are the same command line once
// placeholders are filled in.
func dedup(runs []docRun) []docRun {
	seen := map[string]bool{}
	var out []docRun
	for _, r := range runs {
		k := strings.Join(append(slices.Clone(r.env), substitute(r.args, "COURSE")...), " ")
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// substitute fills in the docs' placeholders, root for $course.
func substitute(args []string, root string) []string {
	var out []string
	for i, a := range args {
		switch s, ok := docPlaceholders[a]; {
		case i > 0 && args[i-1] == "--repeat":
			a = docRepeat
		case s == "$course":
			a = root
		case ok && s == "":
			continue
		case ok:
			a = s
		}
		out = append(out, a)
	}
	return out
}

// runDocCommand runs r's command line as its document shows it. Without
// a template, it runs in root, the course, as the docs' "go run
// ./cmd/grader" does. With one, in a folder of its own (whose parent is
// empty too, for ../starter) holding the fixtures of template that the
// line names (not the one it writes with --out), and the course is given
// by --root, unless the line gives it.
func runDocCommand(t *testing.T, r docRun, root, template string) {
	t.Helper()
	args := substitute(r.args, root)
	work := root
	if template != "" {
		work = filepath.Join(t.TempDir(), "work")
		args = docFixtures(t, args, template, work)
	}
	writes := docWrites(r.name, args, root)
	if template != "" {
		if flagValue(args, "--root") == "" {
			args = append(args, "--root", root)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a safety net
	defer cancel()
	cmd := graderCmd(ctx, args...)
	cmd.Dir = work
	cmd.Env = append(cmd.Env, r.env...)
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", r.where, err)
	}
	want := docExit(r.name, args)
	if code != want {
		t.Errorf("%s: grader %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.where, strings.Join(args, " "), code, want, tail(stdout.String()), tail(stderr.String()))
	}
	for _, w := range writes {
		if !filepath.IsAbs(w) {
			w = filepath.Join(work, w)
		}
		if _, err := os.Stat(w); err != nil {
			t.Errorf("%s: grader %s wrote no %s", r.where, strings.Join(args, " "), w)
		}
	}
	t.Logf("%s: grader %s: exit %d in %.1fs", r.where, r.key(), code, time.Since(start).Seconds())
}

// docWrites are files the docs say a command line writes, which the test
// looks for after it ran (relative to the folder it ran in, or under
// root, the course).
func docWrites(name string, args []string, root string) []string {
	out := flagValue(args, "--out")
	if out == "" {
		out = "grades"
	}
	var w []string
	switch name {
	case "batch", "regrade", "merge":
		w = append(w, filepath.Join(out, "grades.csv"))
		if slices.Contains(args, "--similarity") {
			w = append(w, filepath.Join(out, "similarity.csv"))
		}
	case "similar":
		w = append(w, filepath.Join(out, "similarity.csv"))
	case "export":
		w = append(w, filepath.Join(args[len(args)-1], "go.mod"))
	case "check":
		if slices.Contains(args, "--html") {
			w = append(w, filepath.Join(root, ".asynclab", "report.html"))
		}
		if d := flagValue(args, "--trace"); d != "" {
			w = append(w, d)
		}
	}
	return w
}

// docFixtures makes the folder work with the entries of template that
// args name, but the one --out names, and returns args with their shell
// globs (grades-*) expanded.
func docFixtures(t *testing.T, args []string, template, work string) []string {
	t.Helper()
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(template)
	if err != nil {
		t.Fatal(err)
	}
	var expanded []string
	for _, a := range args {
		if !strings.Contains(a, "*") {
			expanded = append(expanded, a)
			continue
		}
		for _, e := range entries {
			if ok, _ := filepath.Match(a, e.Name()); ok {
				expanded = append(expanded, e.Name())
			}
		}
	}
	out := flagValue(expanded, "--out")
	for _, a := range expanded {
		name := strings.TrimSuffix(a, "/")
		if name == out || name == "" || strings.HasPrefix(name, "-") || strings.Contains(name, "/") {
			continue
		}
		if _, err := os.Stat(filepath.Join(template, name)); err == nil {
			copyTree(t, filepath.Join(template, name), filepath.Join(work, name))
		}
	}
	return expanded
}

// flagValue is the value args give flag ("--out DIR" or "--out=DIR").
func flagValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return strings.TrimSuffix(args[i+1], "/")
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return strings.TrimSuffix(v, "/")
		}
	}
	return ""
}

// tail is the end of a long output, for a failure's message.
func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

// docCommand is a grader command line found in a document: its
// environment assignments (LANG=…) and its arguments after "grader", as a
// shell would split them.
type docCommand struct {
	line   int
	env    []string
	args   []string
	inline bool // in inline code (prose), not in a code block
}

// key is what makes two command lines the same one.
func (c docCommand) key() string {
	return strings.Join(append(slices.Clone(c.env), c.args...), " ")
}

var (
	inlineCode = regexp.MustCompile("`([^`]+)`")
	// a grader command: the README's form or an installed grader, at the
	// start of a shell line (after a prompt, variables, sudo, time…), a
	// command substitution or subshell, a YAML "run:", or after && or ;
	graderStart = regexp.MustCompile(`(?:^|&& |; |\$\(|<\(|\(|run: |/usr/bin/time )(?:\$ )?((?:[A-Z_]+=\S+ )*)(?:sudo |time |nice (?:-n \d+ )?)*(?:go run \./cmd/grader|grader)\s+([a-z-].*)$`)
	// a placeholder for optional words: "[--never-lower]", "[EXERCISE...]"
	optional = regexp.MustCompile(`\[[^\]]*\]`)
)

// docCommands finds the grader command lines of a Markdown text: lines of
// its code blocks (joined across a trailing \; in a block with "$ "
// prompts, only the prompted lines, the rest being output) and its inline
// code spans (which may go on over a line break) that run grader.
func docCommands(md string) []docCommand {
	var out []docCommand
	lines := strings.Split(md, "\n")
	inBlock, prompted := false, false
	for i := 0; i < len(lines); i++ {
		line, start := lines[i], i
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inBlock = !inBlock
			prompted = inBlock && hasPrompt(lines[i+1:])
			continue
		}
		var candidates []string
		if inBlock {
			for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
				i++
				line = strings.TrimSuffix(line, `\`) + " " + strings.TrimSpace(lines[i])
			}
			if prompted && !strings.HasPrefix(strings.TrimSpace(line), "$ ") {
				continue
			}
			candidates = []string{line}
		} else {
			// an inline span may go on over the paragraph's next line
			for strings.Count(line, "`")%2 == 1 && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" && !strings.HasPrefix(strings.TrimSpace(lines[i+1]), "```") {
				i++
				line += " " + strings.TrimSpace(lines[i])
			}
			for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
				candidates = append(candidates, m[1])
			}
		}
		for _, c := range candidates {
			if env, args, ok := graderArgs(c); ok {
				out = append(out, docCommand{line: start + 1, env: env, args: args, inline: !inBlock})
			}
		}
	}
	return out
}

// hasPrompt tells whether the code block starting at lines has a line
// with a "$ " prompt before its closing fence.
func hasPrompt(lines []string) bool {
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "```") {
			return false
		}
		if strings.HasPrefix(l, "$ ") {
			return true
		}
	}
	return false
}

// graderArgs cuts a shell line down to grader's environment and
// arguments: the words after "grader", up to a comment, a pipe, a
// redirection, the end of a subshell or the next command.
func graderArgs(line string) (env, args []string, ok bool) {
	m := graderStart.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		return nil, nil, false
	}
	env = strings.Fields(m[1])
	for _, w := range shellWords(docShard.Replace(optional.ReplaceAllString(m[2], ""))) {
		if strings.Contains(w, "…") || w == "..." || w == `\` {
			continue // "…", "...": more of the same, not an argument
		}
		args = append(args, w)
	}
	return env, args, len(args) > 0
}

// shellWords splits s as sh would split a simple command's words, with
// their quotes removed, up to the first unquoted operator (| & ; < > ( ))
// or comment. The digits of a redirection such as 2> are not a word.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				w.WriteRune(r)
			}
			continue
		case r == '"' || r == '\'':
			quote, in = r, true
			continue
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
			}
			w.Reset()
			in = false
			continue
		case strings.ContainsRune("|&;<>()", r) || r == '#' && !in:
			if in && !(r == '>' && strings.Trim(w.String(), "0123456789") == "") {
				words = append(words, w.String())
			}
			return words
		}
		w.WriteRune(r)
		in = true
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// parseCommand finds the command args name and parses its flags, as the
// grader would, without running it. ref reports a mention of the command
// rather than a command line: it lacks the operands the command needs
// ("grader batch"), or ends in a flag without its value ("grader batch
// --budget").
func parseCommand(args []string) (name string, ref bool, err error) {
	root := newRoot()
	root.InitDefaultCompletionCmd()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return "", false, err
	}
	if cmd == root {
		return "", false, errUnknown(args[0])
	}
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags(rest); err != nil {
		if strings.HasPrefix(err.Error(), "flag needs an argument") && strings.HasPrefix(args[len(args)-1], "-") {
			return cmd.Name(), true, nil
		}
		return "", false, err
	}
	return cmd.Name(), cmd.ValidateArgs(cmd.Flags().Args()) != nil, nil
}

type errUnknown string

func (e errUnknown) Error() string { return "no command " + string(e) }

// TestDocsCommandsScanner: what the docs test finds and what it refuses.
func TestDocsCommandsScanner(t *testing.T) {
	md := "Run `grader batch --budget` or:\n\n```sh\ngo run ./cmd/grader check -v queue   # one\nLANG=ru go run ./cmd/grader --lang ru check\n" +
		"echo \"grader failed\"\ngo run ./cmd/grader verify --mutate=all [EXERCISE...]\n```\n\n```\n$ grader batch --late \"10%/day, max 3 days\" \\\n" +
		"      --out grades subs/ 2>/dev/null\nnext: grader verify barrier says so\n```\n\nas `grader verify\n--mutate queue` does\n\n" +
		"```yaml\n  - run: r=$(go run ./cmd/grader check --format classroom) || true\n```\n\n" +
		"```sh\nsource <(grader completion bash)\n/usr/bin/time grader similar --out out subs   # 0.7 s\n```\n"
	var got []string
	for _, c := range docCommands(md) {
		got = append(got, c.key())
	}
	want := []string{"batch --budget", "check -v queue", "LANG=ru --lang ru check", "verify --mutate=all",
		"batch --late 10%/day, max 3 days --out grades subs/", "verify --mutate queue", "check --format classroom",
		"completion bash", "similar --out out subs"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("docCommands found\n%q\nwant\n%q", got, want)
	}
	tests := []struct {
		args []string
		name string
		ref  bool
		ok   bool
	}{
		{[]string{"check", "-v", "queue"}, "check", false, true},
		{[]string{"batch", "--budget"}, "batch", true, true}, // prose naming a flag
		{[]string{"batch"}, "batch", true, true},             // prose naming a command
		{[]string{"batch", "--budget", "2m", "--jobs", "2", "subs"}, "batch", false, true},
		{[]string{"--lang", "ru", "check"}, "check", false, true},
		{[]string{"check", "--no-such-flag"}, "", false, false},
		{[]string{"chek", "queue"}, "", false, false},
		{[]string{"batch", "--jobs", "two"}, "", false, false},
	}
	for _, tt := range tests {
		name, ref, err := parseCommand(tt.args)
		if (err == nil) != tt.ok || name != tt.name || ref != tt.ref {
			t.Errorf("parseCommand(%q) = %q, %v, %v; want %q, ref %v, ok %v", tt.args, name, ref, err, tt.name, tt.ref, tt.ok)
		}
	}
}

// TestDocsPlan: what the docs test runs, parses or refuses.
func TestDocsPlan(t *testing.T) {
	line := func(where string, inline bool, args ...string) docRun {
		return docRun{docCommand: docCommand{args: args, inline: inline}, where: where}
	}
	found := []docRun{
		line("a.md:1", false, "check", "queue"),
		line("a.md:2", true, "batch"),                // prose: parsed only
		line("a.md:3", false, "batch"),               // a code block's line must run
		line("a.md:4", false, "check", "--nope"),     // does not parse
		line("a.md:5", false, "watch"),               // an exception
		line("a.md:6", true, "batch", "--budget"),    // prose naming a flag
		line("a.md:7", false, "hint", "a", "b", "c"), // too many operands
	}
	exceptions := map[string]string{"watch": "never ends", "verify --repeat 50": "an hour"}
	runs, refs, problems := planDocRuns(found, exceptions)
	if len(runs) != 1 || runs[0].where != "a.md:1" || runs[0].name != "check" || refs != 2 {
		t.Errorf("runs %+v, refs %d; want a.md:1's check and 2 mentions", runs, refs)
	}
	want := []string{`a.md:3: "batch": a code block's command lacks its operands`, `a.md:4: "check --nope": unknown flag: --nope`,
		`a.md:7: "hint a b c": a code block's command lacks its operands`,
		`the exceptions have "verify --repeat 50", which no doc has any more: remove it`}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	many := map[string]string{}
	for i := range maxDocExceptions + 1 {
		many[fmt.Sprint("watch ", i)] = "why"
	}
	if _, _, problems := planDocRuns(nil, many); !strings.Contains(strings.Join(problems, "\n"), "at most 12 commands") {
		t.Errorf("a table of %d exceptions passes: %q", len(many), problems)
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
