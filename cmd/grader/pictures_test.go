package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/grader/chrometrace"
	"asynclab/internal/needs"
	"asynclab/internal/testtree"
)

// relayCourse is a course of one exercise, relay, whose check compares a
// timeline, with a student file that records its second event too early.
func relayCourse(t *testing.T) string {
	t.Helper()
	root := courseWithHarness(t)
	testtree.Write(t, root, map[string]string{
		"exercises/relay/rubric.toml":      "name = \"relay\"\norder = 1\nstudent_files = [\"relay.go\"]\ngiven_files = []\n\n[[check]]\ntest = \"TestRelay\"\npoints = 1\n",
		"exercises/relay/messages.en.toml": "title = \"Relay\"\n[TestRelay]\nname = \"b one second after a\"\nhint = \"Sleep a second.\"\n",
		"exercises/relay/messages.ru.toml": "title = \"Эстафета\"\n[TestRelay]\nname = \"b через секунду после a\"\nhint = \"Поспите секунду.\"\n",
		"exercises/relay/relay.go":         "package relay\n\n// Relay records a, then b a second later.\nfunc Relay(record func(string)) {\n\trecord(\"a\")\n\trecord(\"b\")\n}\n",
		"solutions/relay/relay.go":         "package relay\n\nimport \"time\"\n\nfunc Relay(record func(string)) {\n\trecord(\"a\")\n\ttime.Sleep(time.Second)\n\trecord(\"b\")\n}\n",
		"exercises/relay/checks_test.go": `//go:build grader

package relay

import (
	"embed"
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/timeline"
)

//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "relay.go") }

func TestRelay(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		Relay(r.Record)
		timeline.Assert(t, r, timeline.At(0, "a"), timeline.At(time.Second, "b"))
	})
}
`,
	})
	return root
}

// TestCheckHTML: grader check --html --trace writes the page and the
// Chrome trace of the failing check, and says where.
func TestCheckHTML(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	root := relayCourse(t)
	traces := filepath.Join(t.TempDir(), "traces")
	code, stdout, stderr := runGrader(t, root, "check", "--html", "--trace", traces, "relay")
	if code != exitFail {
		t.Fatalf("exit %d, want %d (the check fails)\nstdout:\n%s\nstderr:\n%s", code, exitFail, stdout, stderr)
	}
	page := filepath.Join(root, ".asynclab", "report.html")
	if !strings.Contains(stderr, page) {
		t.Errorf("stderr does not name %s:\n%s", page, stderr)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-check="TestRelay"`, `<svg`, `class="divergence"`, "b one second after a", "Sleep a second.", "✗ marks the instants that differ"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(traces, chrometrace.FileName("relay", "TestRelay"))); err != nil {
		t.Errorf("no Chrome trace: %v", err)
	}
}
