package scaffold

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/internal/testtree"
)

// emptyCourse is an instructor's course with no exercise: enough for
// LoadCourse and the gate, which never build the checks.
func emptyCourse(t *testing.T) *grader.Course {
	t.Helper()
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"go.mod":           "module asynclab\n\ngo 1.26\n",
		"solutions/go.mod": "module asynclab/solutions\n",
		"exercises/.keep":  "",
	})
	return load(t, root)
}

func load(t *testing.T, root string) *grader.Course {
	t.Helper()
	c, err := grader.LoadCourse(root)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCheckExerciseName(t *testing.T) {
	tests := []struct {
		name string
		bad  string // a fragment of the error; "" for a good name
	}{
		{"barrier", ""},
		{"ratelimit2", ""},
		{"", "needs a name"},
		{"Barrier", "lower-case"},
		{"rate_limit", "lower-case"},
		{"../x", "lower-case"},
		{"a/b", "lower-case"},
		{"x.go", "lower-case"},
		{"2pc", "lower-case"},
		{"барьер", "lower-case"},
		{"select", "cannot be a Go package's name"},
		{"main", "cannot be a Go package's name"},
		{strings.Repeat("a", 31), "longer than 30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExerciseName(tt.name)
			if (err != nil) != (tt.bad != "") || err != nil && !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("CheckExerciseName(%q) = %v, want an error saying %q", tt.name, err, tt.bad)
			}
		})
	}
}

func TestCheckCheckName(t *testing.T) {
	tests := []struct {
		name string
		bad  string
	}{
		{"TestReleasesAll", ""},
		{"TestX2", ""},
		{"TestMain", "TestMain"},
		{"Test", "test function's name"},
		{"Testx", "test function's name"},
		{"ReleasesAll", "test function's name"},
		{"Test_x", "test function's name"},
		{"TestÄ", "test function's name"},
		{"TestX/../y", "test function's name"},
		{"Test" + strings.Repeat("A", 57), "longer than 60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCheckName(tt.name)
			if (err != nil) != (tt.bad != "") || err != nil && !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("CheckCheckName(%q) = %v, want an error saying %q", tt.name, err, tt.bad)
			}
		})
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"ReleasesAll":      "releases_all",
		"SleepEndsWithCtx": "sleep_ends_with_ctx",
		"HTTPServer":       "http_server",
		"WaitsForD":        "waits_for_d",
		"X2Y":              "x2_y",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNewExerciseFollowsTheCourseRules: what NewExercise writes loads,
// has every text in both languages, READMEs with the same code and the
// Imports block the gate's table gives, gofmt'd Go files, a corpus the
// gate lets through, and a mutant that names the check and says what its
// first failure names. (cmd/grader's TestNewVerify grades it.)
func TestNewExerciseFollowsTheCourseRules(t *testing.T) {
	c := emptyCourse(t)
	written, err := NewExercise(c, "barrier")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"exercises/barrier/rubric.toml", "exercises/barrier/messages.en.toml", "exercises/barrier/messages.ru.toml",
		"exercises/barrier/README.md", "exercises/barrier/README.ru.md", "exercises/barrier/doc.go",
		"exercises/barrier/barrier.go", "exercises/barrier/checks_test.go", "exercises/barrier/checks/support.go",
		"exercises/barrier/checks/checks.go", "exercises/barrier/testdata/mutants/ignores_ctx.go",
		"exercises/barrier/testdata/alternatives/time_after.go", "exercises/barrier/testdata/alternatives/with_timeout.go",
		"solutions/barrier/barrier.go",
	}
	if !slices.Equal(written, want) {
		t.Errorf("wrote\n%s\nwant\n%s", strings.Join(written, "\n"), strings.Join(want, "\n"))
	}
	c = load(t, c.Root)
	e := c.Exercise("barrier")
	if e == nil || len(e.Checks) != 1 || e.Checks[0].Test != FirstCheck || e.Order != 1 {
		t.Fatalf("the course has %+v, want barrier with the one check %s, order 1", e, FirstCheck)
	}
	if m := e.Texts.Missing(); len(m) > 0 {
		t.Errorf("texts missing in a language: %v", m)
	}
	for _, l := range []struct {
		file string
		lang catalog.Lang
	}{{"README.md", catalog.English}, {"README.ru.md", catalog.Russian}} {
		text := read(t, filepath.Join(e.Dir, l.file))
		if got, ok := grader.ReplaceImportsBlock(text, grader.ImportsBlock(e, l.lang)); !ok || got != text {
			t.Errorf("%s: its Imports block is not ImportsBlock's", l.file)
		}
	}
	if en, ru := fences.FindAllString(read(t, filepath.Join(e.Dir, "README.md")), -1), fences.FindAllString(read(t, filepath.Join(e.Dir, "README.ru.md")), -1); len(en) == 0 || !slices.Equal(en, ru) {
		t.Errorf("the READMEs' code blocks differ:\n%q\n%q", en, ru)
	}
	filepath.WalkDir(c.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		src := []byte(read(t, p))
		if out, err := format.Source(src); err != nil || !bytes.Equal(out, src) {
			t.Errorf("%s is not gofmt'd (%v)", p, err)
		}
		return nil
	})
	corpus := []string{filepath.Join(e.Dir, "barrier.go"), filepath.Join(c.Root, "solutions/barrier/barrier.go")}
	more, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "*", "*.go"))
	for _, p := range append(corpus, more...) {
		vs, err := grader.Gate(c, e, map[string]string{"barrier.go": p})
		if err != nil || len(vs) > 0 {
			t.Errorf("the gate refuses %s: %v %v", p, vs, err)
		}
	}
	mutant := read(t, filepath.Join(e.Dir, "testdata/mutants/ignores_ctx.go"))
	for _, w := range []string{"// Mutant: ", "// Fails: " + FirstCheck + "\n", "// First failure says: "} {
		if !strings.Contains(mutant, w) {
			t.Errorf("the mutant lacks %q:\n%s", w, mutant)
		}
	}
	says := regexp.MustCompile(`First failure says: (.*)`).FindStringSubmatch(mutant)[1]
	if msg := e.Texts.Text(catalog.English, "msg.sleep_ends_with_ctx", catalog.Args{"Where": "x", "Err": "<nil>", "Took": "1m0s"}); !strings.Contains(msg, says) {
		t.Errorf("the check's message %q does not say %q, which the mutant's header promises", msg, says)
	}
	for _, p := range written {
		if !strings.Contains(read(t, filepath.Join(c.Root, p)), "TODO") {
			t.Errorf("%s has no TODO marker", p)
		}
	}
}

var fences = regexp.MustCompile("(?s)```.*?```")

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNewExerciseRefuses: an existing folder or solution, a bad name, a
// student's copy; nothing is written.
func TestNewExerciseRefuses(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		ex    string
		want  string
	}{
		{"folder exists", map[string]string{"exercises/barrier/notes.txt": "x"}, "barrier", "exercises/barrier exists already"},
		{"solution exists", map[string]string{"solutions/barrier/barrier.go": "package barrier\n"}, "barrier", "solutions/barrier exists already"},
		{"path", nil, "../barrier", "lower-case letters"},
		{"student's copy", nil, "barrier", "student's copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := emptyCourse(t)
			if tt.name == "student's copy" {
				os.RemoveAll(filepath.Join(c.Root, "solutions"))
			}
			testtree.Write(t, c.Root, tt.files)
			before := tree(t, c.Root)
			_, err := NewExercise(c, tt.ex)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
			if after := tree(t, c.Root); !slices.Equal(before, after) {
				t.Errorf("files changed:\n%v\n%v", before, after)
			}
		})
	}
}

func tree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p+"\x00"+read(t, p))
		}
		return err
	})
	return out
}

// TestNewCheck: a new check appears in the rubric, the English catalog
// (its name only), the test file (gofmt'd), a body in checks/ and a
// mutant that names it; the course still loads with it, and its missing
// texts are Gaps. A name the exercise has is refused, and
// nothing is written.
func TestNewCheck(t *testing.T) {
	c := emptyCourse(t)
	if _, err := NewExercise(c, "barrier"); err != nil {
		t.Fatal(err)
	}
	c = load(t, c.Root)
	written, err := NewCheck(c, c.Exercise("barrier"), "TestReleasesAll")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"exercises/barrier/rubric.toml", "exercises/barrier/messages.en.toml",
		"exercises/barrier/checks/releases_all.go", "exercises/barrier/checks_test.go", "exercises/barrier/testdata/mutants/releases_all.go",
	}
	if !slices.Equal(written, want) {
		t.Errorf("wrote\n%s\nwant\n%s", strings.Join(written, "\n"), strings.Join(want, "\n"))
	}
	c = load(t, c.Root)
	e := c.Exercise("barrier")
	if len(e.Checks) != 2 || e.Checks[1].Test != "TestReleasesAll" || e.Checks[1].Points != 1 {
		t.Errorf("checks %+v, want TestReleasesAll second, 1 point", e.Checks)
	}
	if got := e.Texts.Text(catalog.English, "TestReleasesAll.name", nil); got != "Releases all" {
		t.Errorf("English name %q, want the test name's words, Releases all", got)
	}
	ru := c.In(catalog.Russian).Exercise("barrier").Checks[1]
	if ru.Name != "Releases all" || ru.Hint != "" {
		t.Errorf("in Russian, name %q and hint %q: want the English name and no hint (not an [id])", ru.Name, ru.Hint)
	}
	gaps := FindGaps(e)
	wantGaps := []TODOFile{
		{Name: "messages.en.toml", IDs: []string{"TestReleasesAll.hint"}},
		{Name: "messages.ru.toml", IDs: []string{"TestReleasesAll.name"}},
	}
	if diff := cmp.Diff(wantGaps, gaps.Files); diff != "" {
		t.Errorf("FindGaps (-want +got):\n%s", diff)
	}
	wrapper := read(t, filepath.Join(e.Dir, "checks_test.go"))
	if !strings.Contains(wrapper, "func TestReleasesAll(t *testing.T)      { checks.ReleasesAll(t) }\n") {
		t.Errorf("checks_test.go lacks the aligned wrapper:\n%s", wrapper)
	}
	body := read(t, filepath.Join(e.Dir, "checks/releases_all.go"))
	for _, w := range []string{"//go:build grader\n\npackage checks\n", "func ReleasesAll(t *testing.T) {", `t.Error("TODO: TestReleasesAll has no body yet: write it in exercises/barrier/checks/releases_all.go")`, `"asynclab/harness"`} {
		if !strings.Contains(body, w) {
			t.Errorf("the body lacks %q:\n%s", w, body)
		}
	}
	mutant := read(t, filepath.Join(e.Dir, "testdata/mutants/releases_all.go"))
	if !strings.HasPrefix(mutant, "// Mutant: TODO") || !strings.Contains(mutant, "// Fails: TestReleasesAll\npackage barrier\n") {
		t.Errorf("the mutant's header:\n%s", mutant)
	}

	// An exercise with no Russian catalog at all is not translated: its
	// Russian texts are no gaps, id by id.
	ruPath := filepath.Join(e.Dir, "messages.ru.toml")
	ruText := read(t, ruPath)
	os.Remove(ruPath)
	if diff := cmp.Diff(wantGaps[:1], FindGaps(load(t, c.Root).Exercise("barrier")).Files); diff != "" {
		t.Errorf("FindGaps without messages.ru.toml (-want +got):\n%s", diff)
	}
	testtree.Write(t, c.Root, map[string]string{"exercises/barrier/messages.ru.toml": ruText})

	for _, tt := range []struct{ test, want string }{
		{"TestReleasesAll", "is a check of barrier already"},
		{FirstCheck, "is a check of barrier already"},
		{"TestX/y", "test function's name"},
	} {
		before := tree(t, c.Root)
		if _, err := NewCheck(c, e, tt.test); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewCheck(%s) = %v, want an error saying %q", tt.test, err, tt.want)
		}
		if after := tree(t, c.Root); !slices.Equal(before, after) {
			t.Errorf("NewCheck(%s) changed files", tt.test)
		}
	}
	// A name only the checks package or the catalogs have is taken too.
	testtree.Write(t, c.Root, map[string]string{"exercises/barrier/checks/extra.go": "//go:build grader\n\npackage checks\n\nfunc Spare() {}\n"})
	if _, err := NewCheck(c, e, "TestSpare"); err == nil || !strings.Contains(err.Error(), "declares Spare already") {
		t.Errorf("NewCheck(TestSpare) = %v, want it refused: the checks package declares Spare", err)
	}
	os.Remove(filepath.Join(e.Dir, "checks/extra.go"))
	f, _ := os.OpenFile(filepath.Join(e.Dir, "messages.en.toml"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n[TestLater]\nname = \"later\"\n")
	f.Close()
	c = load(t, c.Root)
	if _, err := NewCheck(c, c.Exercise("barrier"), "TestLater"); err == nil || !strings.Contains(err.Error(), "has texts under TestLater already") {
		t.Errorf("NewCheck(TestLater) = %v, want it refused: the catalog has [TestLater]", err)
	}
}

// TestWithCheckTable: a new check's table goes after the other checks',
// before [msg] and an exercise's own tables, so that a text added at the
// end of the catalog still lands under [msg].
func TestWithCheckTable(t *testing.T) {
	table := "\n[TestNew]\nname = \"new\"\n"
	tests := []struct{ name, catalog, want string }{
		{"after the checks, before msg",
			"title = \"T\"\n\n[TestA]\nname = \"a\"\n\n# what the checks say\n[msg]\nx = \"y\"\n",
			"title = \"T\"\n\n[TestA]\nname = \"a\"\n\n[TestNew]\nname = \"new\"\n\n# what the checks say\n[msg]\nx = \"y\"\n"},
		{"after a hidden check's msg table",
			"[TestA]\nname = \"a\"\n\n[TestA.msg]\nz = \"w\"\n\n[msg]\n",
			"[TestA]\nname = \"a\"\n\n[TestA.msg]\nz = \"w\"\n\n[TestNew]\nname = \"new\"\n\n[msg]\n"},
		{"no checks yet: before msg, after hints",
			"title = \"T\"\n\n[hints]\n1 = \"h\"\n\n[msg]\nx = \"y\"\n",
			"title = \"T\"\n\n[hints]\n1 = \"h\"\n\n[TestNew]\nname = \"new\"\n\n[msg]\nx = \"y\"\n"},
		{"last check at the end", "[TestA]\nname = \"a\"\n", "[TestA]\nname = \"a\"\n\n[TestNew]\nname = \"new\"\n"},
		{"no tables", "title = \"T\"\n", "title = \"T\"\n\n[TestNew]\nname = \"new\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, withCheckTable(tt.catalog, table))
		})
	}
}
