package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"asynclab/grader"
	"asynclab/grader/render"
)

// stateDir is the folder, in the course root, where the grader keeps what
// it remembers between runs for the student: the hint levels reached and
// the last results. It is in .gitignore and safe to delete.
const stateDir = ".asynclab"

// hintsFile maps an exercise's name to how many of its hints were shown.
const hintsFile = "hints.json"

// resultsFile maps an exercise's name to its last result.
const resultsFile = "results.json"

// result is what "grader list" shows of an exercise's last grading.
type result struct {
	Score int       `json:"score"`
	Max   int       `json:"max"`
	State string    `json:"state"` // render.Progress's words: "done", "in progress", …
	When  time.Time `json:"when"`
	// Failing is the check whose failure the report showed first, and
	// Finding that failure's strongest finding (grader.Finding*): what
	// grader hint talks about.
	Failing string `json:"failing,omitempty"`
	Finding string `json:"finding,omitempty"`
}

// loadJSON reads root/.asynclab/name into v; a missing file leaves v alone.
func loadJSON(root, name string, v any) error {
	data, err := os.ReadFile(filepath.Join(root, stateDir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// saveJSON writes v to root/.asynclab/name, replacing the file at once.
func saveJSON(root, name string, v any) error {
	dir := filepath.Join(root, stateDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// remember records r's exercises as their last results. It is best
// effort: a read-only checkout still gets graded.
func remember(root string, r *grader.Report, now time.Time) {
	results := map[string]result{}
	_ = loadJSON(root, resultsFile, &results)
	for _, e := range r.Exercises {
		res := result{Score: e.Score, Max: e.Max, State: render.Of(e).String(), When: now}
		for _, c := range grader.ShownOrder(e.Checks) {
			if c.Status == grader.Fail {
				res.Failing = c.ID
				if len(c.Findings) > 0 {
					res.Finding = c.Findings[0]
				}
				break
			}
		}
		results[e.Name] = res
	}
	_ = saveJSON(root, resultsFile, results)
}
