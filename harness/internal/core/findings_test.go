package core

import (
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"asynclab/catalog"
	"asynclab/internal/wire"
)

// TestTextFindingsInCatalogs: every text that the grader's protocol says
// carries a finding, or is a note, is a text of the harness's in every
// language, and says tags it at the end of its first line, whatever
// its words.
func TestTextFindingsInCatalogs(t *testing.T) {
	texts := allOwnTexts()
	ids := wire.TextFindings()
	for _, id := range wire.NoteTexts() {
		ids[id] = ""
	}
	for _, lang := range []catalog.Lang{catalog.English, catalog.Russian} {
		t.Run(string(lang), func(t *testing.T) {
			t.Setenv(wire.LangEnv, string(lang))
			for id, f := range ids {
				if !assert.True(t, texts.Has(lang, id), "%s: no such text of the harness's", id) {
					continue
				}
				tag := wire.NoteTag
				if f != "" {
					tag = wire.Tag(f)
				}
				args := Args{"Goroutines": "  goroutine 1 is sleeping\n  goroutine 2 is sleeping", "Note": "\nself-deadlock", "Count": 2}
				said := say(id, args)
				first, _, _ := strings.Cut(said, "\n")
				assert.True(t, strings.HasSuffix(first, tag), "%s: first line %q, want it to end with %s", id, first, tag)
				assert.Equal(t, texts.Text(lang, id, args), wire.Untagged(said), "%s: the words, untagged", id)
			}
		})
	}
}

// TestLeftLockedTagged: a lock left held is tagged as one, inside the
// words a check puts around it.
func TestLeftLockedTagged(t *testing.T) {
	t.Setenv(wire.LangEnv, "ru")
	var got string
	runOnce(t, func(t *testing.T) { got = LeftLocked("A", "Take()") })
	line, found, _ := wire.Untag(got + ". Nobody can use A")
	assert.Equal(t, []wire.Finding{wire.FindingUnreleased}, found)
	assert.NotContains(t, line, "[asynclab:")
}

func init() {
	// Fails on its second run only: the note says which run failed.
	scenarios["fails-on-run-2"] = func(t *testing.T) {
		var n atomic.Int32
		Run(t, func(t *testing.T) {
			if n.Add(1) == 2 {
				t.Error("planned failure")
			}
		})
	}
}

// TestScenariosTagged: what the harness reports, in a test binary's
// output, carries the tags of its findings (see wire.Tag), in every
// language; a self-deadlock, said in the deadlock it caused, is not said
// again as a misuse.
func TestScenariosTagged(t *testing.T) {
	if testing.Short() {
		t.Skip("harness: runs child processes")
	}
	tests := []struct {
		name string
		want []string
		// times: a text (untagged) the output must hold exactly so many times
		times map[string]int
	}{
		{"deadlock", []string{wire.Tag(wire.FindingDeadlock)}, nil},
		{"leak", []string{wire.Tag(wire.FindingLeak)}, nil},
		{"panic-unguarded", []string{wire.Tag(wire.FindingCrash)}, nil},
		{"self-deadlock", []string{wire.Tag(wire.FindingDeadlock), wire.Tag(wire.FindingRelock)},
			map[string]int{"self-deadlock: goroutine": 1, "lock misuse": 0}},
		{"unheld-access", []string{wire.Tag(wire.FindingMisuse)}, nil},
		{"spin", []string{wire.Tag(wire.FindingStuck), "asynclab: stuck: TestScenario (busy loop"}, nil},
		{"mutex-deadlock", []string{wire.Tag(wire.FindingDeadlock), "asynclab: stuck: TestScenario (deadlock"}, nil},
		{"fails-on-run-2", []string{"run 2 of 20", wire.NoteTag}, nil},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "ru"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				t.Parallel()
				cmd := exec.Command(os.Args[0], "-test.run=^TestScenario$", "-test.v")
				budget := "1s"
				if strings.HasPrefix(tt.name, "mutex-") {
					budget = "1m"
				}
				cmd.Env = append(os.Environ(), "HARNESS_SCENARIO="+tt.name, wire.WatchdogEnv+"="+budget, wire.LangEnv+"="+lang, wire.RunsEnv+"=20")
				start := time.Now()
				out, _ := cmd.CombinedOutput()
				require.Less(t, time.Since(start), time.Minute)
				for _, w := range tt.want {
					if lang == "ru" && !strings.Contains(w, "[asynclab:") {
						continue // words
					}
					assert.Contains(t, string(out), w)
				}
				if lang == "en" {
					for text, n := range tt.times {
						assert.Equal(t, n, strings.Count(string(out), text), "%q in:\n%s", text, out)
					}
				}
			})
		}
	}
}
