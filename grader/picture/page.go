// Package picture draws failing checks' timelines as a self-contained
// HTML page (inline SVG and CSS; it fetches nothing), for grader check
// --html and batch's feedback pages: concurrency is learned by seeing what
// ran when, and a picture of lanes reads faster than a wall of text rows.
//
// For each failing check it draws what the check expected and what the
// run did, as lanes on one virtual-time axis: events as marks, intervals
// as bars, and the divergence the check found as ✗ lines on both, with
// the words of its message. Beside the picture are the message and hint
// as the terminal shows them, and a text version of the picture. Shapes
// and labels carry the meaning, so the page reads without colour, and the
// colours are the Okabe-Ito palette, which colour-blind readers tell apart.
// Events of one instant are drawn at one x, in the recorder's stable
// order, which claims nothing about which happened first.
//
// Everything in a trace comes from the student's process: the page shows
// it through html/template, which escapes it.
package picture

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"asynclab/catalog"
	"asynclab/internal/wire"
)

// Page is what a page shows.
type Page struct {
	Lang catalog.Lang
	// Title heads the page; empty: the catalog's (page.title).
	Title string
	// Lead, when set, is a line under the title (a student's id and
	// score, say).
	Lead      string
	Exercises []Exercise
	// None is what the page says when it has no check to show; empty:
	// the catalog's (page.none: every check passed).
	None string
	// Links are other pages, such as each student's from a class report.
	Links []Link
}

// Link is a link to another page, relative to this one.
type Link struct {
	Text, Href string
}

// Exercise is an exercise's failing checks.
type Exercise struct {
	Name, Title string
	Score, Max  int
	Checks      []Check
	// Status, when the exercise was not graded (grader.StatusMissing,
	// StatusRejected, StatusBuildFailed, StatusError), says why, and
	// Output is what the gate, the compiler or the grader said.
	Status, Output string
}

// Check is a failing check, as the terminal shows it, and its timelines.
type Check struct {
	ID, Name string
	Where    string // the student's file:line the message points at, if any
	Message  string
	Hint     string
	// Trace is what the harness recorded of the failing run; nil when it
	// recorded no timeline (the check uses no Recorder, or the run was
	// stopped before it ended).
	Trace *wire.TraceFile
	// Withheld: a hidden check in a student's feedback, shown by name only.
	Withheld bool
}

//go:embed page.html.tmpl
var tmplFiles embed.FS

var tmpl = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"f":   func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"add": func(a, b float64) float64 { return a + b },
	"sub": func(a, b float64) float64 { return a - b },
	// hasX: the words already start with the ✗ they explain.
	"hasX": func(s string) bool { return strings.HasPrefix(s, "✗") },
}).ParseFS(tmplFiles, "page.html.tmpl"))

// pageView is Page as the template reads it.
type pageView struct {
	Lang      string
	Title     string
	Lead      string
	T         func(id string) string
	Exercises []exerciseView
	Links     []Link
	Empty     bool
	None      string
}

type exerciseView struct {
	Exercise
	Checks []checkView
	Why    string // why it was not graded, in the page's words
}

type checkView struct {
	Check
	Anchor  string
	Figures []figure
}

// Render writes p as one HTML page.
func Render(w io.Writer, p Page) error {
	l := p.Lang
	if l == "" {
		l = catalog.English
	}
	v := pageView{Lang: string(l), Title: p.Title, Lead: p.Lead, Links: p.Links, Empty: true,
		T: func(id string) string { return say(l, id, nil) }}
	if v.Title == "" {
		v.Title = say(l, "page.title", nil)
	}
	v.None = cmp.Or(p.None, say(l, "page.none", nil))
	n := 0
	for _, e := range p.Exercises {
		ev := exerciseView{Exercise: e}
		for _, c := range e.Checks {
			n++
			cv := checkView{Check: c, Anchor: fmt.Sprintf("c%d", n)}
			if c.Trace != nil {
				for i, tl := range c.Trace.Timelines {
					fig := layout(tl, l, fmt.Sprintf("c%d-%d", n, i+1))
					if len(c.Trace.Timelines) > 1 { // a check with several recorders
						fig.Heading = say(l, "figure.nth", catalog.Args{"N": i + 1, "Of": len(c.Trace.Timelines)})
					}
					cv.Figures = append(cv.Figures, fig)
				}
			}
			ev.Checks = append(ev.Checks, cv)
			v.Empty = false
		}
		if e.Status != "" {
			ev.Why, v.Empty = say(l, "exercise."+e.Status, nil), false
		}
		v.Exercises = append(v.Exercises, ev)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteFile renders p to path, whole or not at all, readable by all (a
// page to open in a browser, or to send).
func WriteFile(path string, p Page) error {
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".page-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
