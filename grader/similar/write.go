package similar

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"asynclab/catalog"
	"asynclab/grader/escape"
)

// Files Write writes in its output folder.
const (
	CSVName  = "similarity.csv"
	HTMLName = "similarity.html"
)

// Report is what Write writes: one Result per exercise, in course order,
// and the notes on the submissions that were not read.
type Report struct {
	Exercises []*Result
	Notes     []Note
}

// Write writes similarity.csv and similarity.html into out, in language
// l. Every text of a student's (ids, file names, code) is escaped: CSV
// cells are defused against formulas, and HTML is html/template's, after
// escape.Line or escape.Text made every character visible.
func Write(out string, rep Report, l catalog.Lang) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(out, CSVName), CSV(rep)); err != nil {
		return err
	}
	data, err := HTML(rep, l)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(out, HTMLName), data)
}

// CSV is similarity.csv: every pair that shares code, ranked per
// exercise, the exercises in course order. Shares are percentages.
func CSV(rep Report) []byte {
	rows := [][]string{{"exercise", "rank", "student_a", "student_b", "score", "share_a", "share_b",
		"matched_tokens_a", "own_tokens_a", "matched_tokens_b", "own_tokens_b", "flagged"}}
	for _, r := range rep.Exercises {
		for i, p := range r.Pairs {
			rows = append(rows, []string{r.Exercise, strconv.Itoa(i + 1), escape.Line(p.A), escape.Line(p.B),
				percent(p.Score), percent(p.ShareA), percent(p.ShareB),
				strconv.Itoa(p.MatchedA), strconv.Itoa(p.OwnA), strconv.Itoa(p.MatchedB), strconv.Itoa(p.OwnB),
				strconv.FormatBool(p.Flagged)})
		}
	}
	return escape.CSV(rows)
}

// percent is s as a percentage with one decimal: exactly "100.0" only for 1.
func percent(s float64) string {
	v := fmt.Sprintf("%.1f", 100*s)
	if v == "100.0" && s < 1 {
		v = "99.9"
	}
	return v
}

//go:embed similarity.html.tmpl
var pageTemplate string

// Top pairs a report lists per exercise, and shows side by side.
const (
	listedPairs = 30
	shownPairs  = 10
	minShown    = 3 // side by side even when not flagged
	maxNames    = 50
)

type pageView struct {
	Lang      string
	Params    map[string]any
	Exercises []exerciseView
	Notes     []noteView
}

type exerciseView struct {
	Name                     string
	Students, Pairs, Flagged int
	Clusters                 []string
	Common                   string // the note on MostlyCommon, if any
	Rows                     []rowView
	More                     int
	Shown                    []shownView
}

type rowView struct {
	Rank                  int
	A, B                  string
	Score, ShareA, ShareB string
	Flagged               bool
	Anchor                string
}

type shownView struct {
	Anchor, A, B, Score string
	Left, Right         []fileView
}

type fileView struct {
	Name     string
	Segments []segView
	Cut      bool
}

type segView struct {
	Text  string
	Class string // "" for code not matched, else the region's colour
}

type noteView struct{ Who, Problem string }

// regionColours is how many colours the matched regions cycle through.
const regionColours = 6

// HTML is similarity.html: self-contained, no script, no outside resource.
func HTML(rep Report, l catalog.Lang) ([]byte, error) {
	tmpl, err := template.New("similarity").Funcs(template.FuncMap{
		"T": func(id string, kv ...any) string {
			args := catalog.Args{}
			for i := 0; i+1 < len(kv); i += 2 {
				args[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return texts.Text(l, "html."+id, args)
		},
	}).Parse(pageTemplate)
	if err != nil {
		return nil, err
	}
	v := pageView{Lang: string(l)}
	for _, r := range rep.Exercises {
		if v.Params == nil {
			o := r.Options
			v.Params = map[string]any{"K": o.K, "W": o.W, "MinRun": o.MinRun, "Share": percentInt(o.CommonShare),
				"Min": o.CommonMin, "Threshold": percentInt(o.Threshold), "MinTokens": o.MinTokens}
		}
		if r.Students == 0 {
			continue // nobody submitted it: nothing to say
		}
		ev := exerciseView{Name: r.Exercise, Students: r.Students, Pairs: len(r.Pairs)}
		for _, c := range r.Clusters {
			names := make([]string, len(c))
			for i, s := range c {
				names[i] = escape.Line(s)
			}
			ev.Clusters = append(ev.Clusters, texts.Text(l, "html.cluster", catalog.Args{"Count": len(c), "Names": strings.Join(names, ", ")}))
		}
		for _, p := range r.Pairs {
			if p.Flagged {
				ev.Flagged++
			}
		}
		if n := len(r.MostlyCommon); n > 0 {
			names := make([]string, 0, min(n, maxNames))
			for _, s := range r.MostlyCommon[:min(n, maxNames)] {
				names = append(names, escape.Line(s))
			}
			list := strings.Join(names, ", ")
			if n > maxNames {
				list += ", …"
			}
			ev.Common = texts.Text(l, "html.mostly_common", catalog.Args{"Count": n, "Share": percentInt(r.Options.CommonShare), "Names": list})
		}
		show := min(len(r.Pairs), shownPairs, max(ev.Flagged, minShown))
		for i, p := range r.Pairs {
			anchor := ""
			if i < show {
				anchor = fmt.Sprintf("%s-%d", r.Exercise, i+1)
			}
			if i < listedPairs {
				ev.Rows = append(ev.Rows, rowView{Rank: i + 1, A: escape.Line(p.A), B: escape.Line(p.B), Score: percent(p.Score) + "%",
					ShareA: percent(p.ShareA) + "%", ShareB: percent(p.ShareB) + "%", Flagged: p.Flagged, Anchor: anchor})
			}
			if anchor != "" {
				a, b := r.Sides(p)
				ev.Shown = append(ev.Shown, shownView{Anchor: anchor, A: escape.Line(p.A), B: escape.Line(p.B),
					Score: percent(p.Score) + "%", Left: files(a), Right: files(b)})
			}
		}
		ev.More = max(0, len(r.Pairs)-listedPairs)
		v.Exercises = append(v.Exercises, ev)
	}
	for _, n := range rep.Notes {
		v.Notes = append(v.Notes, noteView{escape.Line(n.Student), escape.Line(n.Problem)})
	}
	for _, r := range rep.Exercises {
		for _, n := range r.Notes {
			v.Notes = append(v.Notes, noteView{escape.Line(n.Student), r.Exercise + ": " + escape.Line(n.Problem)})
		}
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func percentInt(f float64) string { return strconv.FormatFloat(100*f, 'f', -1, 64) }

func files(s Side) []fileView {
	var out []fileView
	for _, f := range s.Files {
		fv := fileView{Name: escape.Line(f.Name), Cut: f.Cut}
		for _, seg := range f.Segments {
			c := ""
			switch {
			case seg.Region > 0:
				c = fmt.Sprintf("r%d", (seg.Region-1)%regionColours)
			case seg.Region < 0:
				c = "rx"
			}
			fv.Segments = append(fv.Segments, segView{escape.Text(seg.Text), c})
		}
		out = append(out, fv)
	}
	return out
}

// writeAtomic writes data to path through a temporary file renamed over
// it: a reader never sees half a file.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644) // as batch's outputs: CreateTemp makes it 0600
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
