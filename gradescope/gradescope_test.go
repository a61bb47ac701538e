package gradescope

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/internal/testtree"

	"github.com/google/go-cmp/cmp"
)

func bash(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	return p
}

// TestScriptsParse: bash -n, since they cannot run here for real.
func TestScriptsParse(t *testing.T) {
	sh := bash(t)
	for _, script := range []string{"setup.sh", "run_autograder"} {
		if out, err := exec.Command(sh, "-n", script).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", script, err, out)
		}
		if st, err := os.Stat(script); err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable: %v", script, err)
		}
	}
}

// fakeGrader stands for the grader: it prints its arguments and the
// student files it would grade, and exits with $FAKE_EXIT.
const fakeGrader = `#!/usr/bin/env bash
echo "args: ${*//$AUTOGRADER/\$AUTOGRADER}"
cd "$AUTOGRADER/source"
for f in exercises/*/*.go; do echo "$f: $(cat "$f")"; done
exit "$FAKE_EXIT"
`

// TestRunAutograder runs run_autograder on a fake /autograder: which
// submitted file is laid over which exercise, what the grader is asked, and
// what becomes of results.json.
func TestRunAutograder(t *testing.T) {
	sh := bash(t)
	script, err := filepath.Abs("run_autograder")
	if err != nil {
		t.Fatal(err)
	}
	course := map[string]string{
		"source/exercises/gather/rubric.toml": "name = \"gather\"\nstudent_files = [\"gather.go\"]\n",
		"source/exercises/gather/gather.go":   "stub",
		"source/exercises/queue/rubric.toml":  "name = \"queue\"\nstudent_files = [\"queue.go\", \"errors.go\"]\ngiven_files = [\"x.go\"]\n",
		"source/exercises/queue/queue.go":     "stub",
		"source/exercises/queue/x.go":         "given",
		"grader":                              fakeGrader,
	}
	tests := []struct {
		name      string
		submitted map[string]string
		exit      string
		bwrap     string   // what stands for bwrap: true (it works), false; default true
		want      []string // results.json's lines; nil: no results.json
		wantCode  int
	}{
		{
			name:      "files uploaded one by one",
			submitted: map[string]string{"queue.go": "mine", "errors.go": "my errors"},
			exit:      "1",
			bwrap:     "false", // bubblewrap does not work in this container
			want: []string{
				"args: check --root $AUTOGRADER/source --format gradescope --unsafe",
				"exercises/queue/errors.go: my errors", // gather.go was not submitted: missing, not the stub
				"exercises/queue/queue.go: mine",
				"exercises/queue/x.go: given",
			},
		},
		{
			name: "a whole checkout",
			submitted: map[string]string{
				"exercises/gather/gather.go": "mine", "exercises/queue/queue.go": "my queue",
				"exercises/queue/x.go": "not a student file", "notes/gather.go": "not this one",
			},
			exit: "0",
			want: []string{
				"args: check --root $AUTOGRADER/source --format gradescope",
				"exercises/gather/gather.go: mine",
				"exercises/queue/queue.go: my queue",
				"exercises/queue/x.go: given",
			},
		},
		{
			name:      "in a folder per exercise, in a zip's folder",
			submitted: map[string]string{"gather/gather.go": "mine", "work/hw/queue.go": "my queue"},
			exit:      "1",
			want: []string{
				"args: check --root $AUTOGRADER/source --format gradescope",
				"exercises/gather/gather.go: mine",
				"exercises/queue/queue.go: my queue",
				"exercises/queue/x.go: given",
			},
		},
		{
			name:      "the grader fails",
			submitted: map[string]string{"gather.go": "mine"},
			exit:      "2",
			wantCode:  2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			testtree.WriteMode(t, root, 0o755, course)
			testtree.WriteMode(t, filepath.Join(root, "submission"), 0o755, tt.submitted)
			cmd := exec.Command(sh, script)
			bwrap := tt.bwrap
			if bwrap == "" {
				bwrap = "true"
			}
			cmd.Env = append(os.Environ(), "AUTOGRADER="+root, "FAKE_EXIT="+tt.exit, "BWRAP="+bwrap)
			out, err := cmd.CombinedOutput()
			code := cmd.ProcessState.ExitCode()
			if code != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d\n%s", code, err, tt.wantCode, out)
			}
			results, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
			if tt.want == nil {
				if err == nil {
					t.Errorf("results.json left behind after the grader failed:\n%s", results)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			got := strings.Split(strings.TrimSuffix(string(results), "\n"), "\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("results.json (-want +got):\n%s", diff)
			}
		})
	}
}
