package grader

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"asynclab/catalog"
)

// checkout prepares exercise e of a student's checkout (Options.Checkout)
// to be graded as grader batch grades it, which takes only the student
// files from a submission: it returns files, e's student files in the
// submission, with the original of each given file that differs from
// orig (written into the session's scratch folder) and "" for each .go
// file of e's folder that is none of the course's, which the build leaves
// out; and the notices that tell the student so. orig may be nil (a course
// that does not record its given files): the given files are then taken
// as they are.
func (s *session) checkout(e *Exercise, files map[string]string, orig Originals) (map[string]string, []Notice, error) {
	out := make(map[string]string, len(files))
	for f, p := range files {
		out[f] = p
	}
	var notices []Notice
	notice := func(kind, file, id string, args catalog.Args) {
		args["File"] = shownPath(file)
		args["Student"] = strings.Join(e.StudentFiles, ", ")
		notices = append(notices, Notice{Kind: kind, File: file, Text: say(s.opts.Lang, id, args)})
	}
	for _, g := range e.GivenFiles {
		rel := s.modRel(e, g)
		want, ok := orig[rel]
		if !ok {
			continue
		}
		have, err := os.ReadFile(filepath.Join(e.Dir, g))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, nil, err
		}
		if err == nil && bytes.Equal(normalText(have), want) {
			continue
		}
		p := filepath.Join(s.tmp, "given", e.Name, g)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(p, want, 0o644); err != nil {
			return nil, nil, err
		}
		out[g] = p
		notice(NoticeGivenChanged, rel, "checkout.given_changed", catalog.Args{"Given": g})
	}
	entries, err := os.ReadDir(e.Dir)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range entries {
		name := d.Name()
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			slices.Contains(e.StudentFiles, name) || slices.Contains(e.GivenFiles, name) {
			continue
		}
		out[name] = ""
		notice(NoticeNotGraded, s.modRel(e, name), "checkout.not_graded", catalog.Args{"Name": name})
	}
	return out, notices, nil
}
