package batch

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/escape"
	"asynclab/grader/late"
	"asynclab/grader/similar"
)

//go:embed report.html.tmpl
var reportTemplate string

// reportTmpl is the page; T, its words, is set per language by reportHTML.
var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{"T": tFunc(catalog.English)}).Parse(reportTemplate))

// tFunc is the template's T for language l: {{T "report.students" "Count" 3}}
// is the text report.students with {{.Count}} = 3.
func tFunc(l catalog.Lang) func(id string, kv ...any) string {
	return func(id string, kv ...any) string {
		args := catalog.Args{}
		for i := 0; i+1 < len(kv); i += 2 {
			args[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return tr(l, id, args)
	}
}

// Colours of the charts, also looked for by the test that renders the page.
const (
	histColor     = "#3b6fd4" // score histogram bars
	exerciseColor = "#2a9d8f" // average per exercise bars
)

// TimingStart and TimingEnd enclose the only part of report.html that
// changes from one run to the next (how long students took): everything
// outside them is the same for the same grades.
const (
	TimingStart = "<!-- timing:start -->"
	TimingEnd   = "<!-- timing:end -->"
)

type bar struct {
	X, Y, W, H int
	Label      string
	Count      int
	LabelX     int
}

type exerciseRow struct {
	Name, Title string
	Average     string // "12.5/22"
	Percent     int
	Width       int
	Graded      int // students whose exercise built and ran
}

type checkRow struct {
	Exercise, Name, ID string
	Hidden             bool
	Passes, Total      int
	Percent            int
	Width              int
	Color              string
}

type failedRow struct {
	ID, What, Detail string
}

// rollRow is a student in the report's list, with links to the
// feedback they are sent.
type rollRow struct {
	ID, Score  string
	Page, Text string // feedback/<id>.html and .md, escaped for a URL path
}

type slowRow struct {
	ID      string
	Seconds string
	Reused  string
}

type reportView struct {
	Lang                     string
	Students, Graded, Errors int
	Max                      int
	Average, Median          string
	Isolation                string
	HistColor, ExColor       string
	Hist                     []bar
	HistW, HistH, HistBase   int
	YTicks                   []bar
	Exercises                []exerciseRow
	Checks                   []checkRow
	Failed                   []failedRow
	Slowest                  []slowRow
	Roll                     []rollRow
	Skipped                  []Note
	LMS                      *lmsView
	TotalSeconds             string
	TimingStart, TimingEnd   template.HTML
	// Late is the deadline's section: who was late, who had their own
	// deadline, whose work came after it; nil without a deadline.
	Late *lateView
	// Similarity is the similarity report's file name, when out has one.
	Similarity, SimilarityText string
}

// lmsView is the roster and gradebook section of the report.
type lmsView struct {
	Roster                       bool
	Matched, Submissions, People int
	NoSubmission                 []personRow
	NoRoster                     []Note // Path is the submission's id, Problem why
	Gradebook, Kind              string
	Rows                         int
	Left                         []Note
	Regrade                      *regradeView
}

// lateView is the deadline's section of the report.
type lateView struct {
	Policy string
	Rows   []lateRow
	Unused []string // extensions that applied to nobody
}

type lateRow struct {
	ID, Deadline, Submitted, From, Status string
	Days, Penalty, Raw, Score             int
	Extended                              bool
}

// newLateView lists the students whose lateness is worth a look: late,
// nothing by their cutoff, or graded under their own deadline. Those on
// time, and those whose work has no time, are counted out.
func newLateView(results []*Result) *lateView {
	var v *lateView
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	for _, r := range results {
		o := r.Late
		if o == nil || r.Report == nil {
			continue
		}
		if v == nil {
			v = &lateView{Policy: o.Policy}
		}
		if o.Status != late.Late && o.Status != late.Nothing && !o.Extended {
			continue
		}
		v.Rows = append(v.Rows, lateRow{ID: escape.Line(r.ID), Deadline: stamp(o.Deadline), Submitted: stamp(o.SubmittedAt), From: o.TimeFrom,
			Status: o.Status, Days: o.LateDays(), Penalty: o.Penalty, Raw: o.RawScore, Score: o.Score(), Extended: o.Extended})
	}
	return v
}

// regradeView is the regrade's section of the report: the students whose
// score or a check's verdict changed.
type regradeView struct {
	From                    string
	Changed, Students, Kept int
	NeverLower              bool
	Rows                    []regradeRow
}

type regradeRow struct {
	ID, Old, New, Final, Checks, Note string
	Kept                              bool
}

func newRegradeView(rep *RegradeReport) *regradeView {
	if rep == nil {
		return nil
	}
	v := &regradeView{From: escape.Line(rep.From), Changed: rep.Changed, Students: rep.Students, Kept: rep.Kept, NeverLower: rep.NeverLower}
	num := func(p *int) string {
		if p == nil {
			return "–"
		}
		return fmt.Sprint(*p)
	}
	for _, c := range rep.Changes {
		if len(c.Checks) == 0 && sameScore(c.Old, c.New) && c.Note == "" {
			continue
		}
		v.Rows = append(v.Rows, regradeRow{ID: escape.Line(c.ID), Old: num(c.Old), New: num(c.New), Final: num(c.Final),
			Checks: escape.Line(strings.Join(c.Checks, "; ")), Note: escape.Line(c.Note), Kept: c.Kept})
	}
	return v
}

type personRow struct {
	Name, IDs string
	Line      int
}

// newLMSView is rep for the page, every text on one line (escape.Line):
// a roster's names, like ids, are the students'.
func newLMSView(rep *LMSReport) *lmsView {
	if rep == nil || rep.Matching == nil && rep.Gradebook == "" && rep.Regrade == nil {
		return nil
	}
	v := &lmsView{Gradebook: rep.Gradebook, Kind: string(rep.Kind), Rows: rep.Rows, Regrade: newRegradeView(rep.Regrade)}
	if m := rep.Matching; m != nil {
		v.Roster, v.People = true, rep.People
		v.Matched, v.Submissions = len(m.Of), len(m.Of)+len(m.NoRoster)
		for _, p := range m.NoSubmission {
			v.NoSubmission = append(v.NoSubmission, personRow{Name: escape.Line(p.Label()), IDs: escape.Line(strings.TrimPrefix(ids(p), ", ")), Line: p.Line})
		}
		for _, u := range m.NoRoster {
			v.NoRoster = append(v.NoRoster, Note{Path: escape.Line(u.ID), Problem: escape.Line(u.Why)})
		}
	}
	for _, l := range rep.Left {
		v.Left = append(v.Left, Note{Path: escape.Line(l.ID), Problem: escape.Line(l.Why)})
	}
	return v
}

// reportHTML is report.html. html/template escapes every string it puts in
// the page, and no field of reportView but the timing markers is
// template.HTML; the texts a student controls (ids, entry names, what
// their code or the compiler printed) go through escape.Line or
// escape.Text first, so that control characters and bidirectional
// overrides show as escapes instead of acting on the page.
func reportHTML(exercises []ExerciseInfo, results []*Result, skipped []Note, lms *LMSReport, l catalog.Lang) ([]byte, error) {
	return reportIn("", exercises, results, skipped, lms, l)
}

// reportIn is reportHTML for the output folder out: when out has a
// similarity report (grader batch --similarity, grader similar), the page
// links to it.
// unused are the extensions that applied to nobody, listed under the
// deadline.
func reportIn(out string, exercises []ExerciseInfo, results []*Result, skipped []Note, lms *LMSReport, l catalog.Lang, unused ...string) ([]byte, error) {
	v := reportView{Lang: string(l), Skipped: visibleNotes(skipped), Students: len(results), Max: classMax(exercises), HistColor: histColor, ExColor: exerciseColor,
		TimingStart: TimingStart, TimingEnd: TimingEnd, LMS: newLMSView(lms)}
	v.Late = newLateView(results)
	if v.Late != nil {
		for _, n := range unused {
			v.Late.Unused = append(v.Late.Unused, escape.Line(n))
		}
	}
	if st, err := os.Stat(filepath.Join(out, similar.HTMLName)); out != "" && err == nil && st.Mode().IsRegular() {
		v.Similarity, v.SimilarityText = similar.HTMLName, similar.Texts().Text(l, "html.link", nil)
	}
	var pcts []float64
	isolations := map[string]bool{}
	for _, r := range results {
		isolations[firstNonEmpty(r.Isolation, "none")] = true
		if r.Status != Graded {
			v.Errors++
			continue
		}
		v.Graded++
		if r.Report.Max > 0 {
			pcts = append(pcts, 100*float64(r.Report.Score)/float64(r.Report.Max))
		}
	}
	var iso []string
	for k := range isolations {
		iso = append(iso, k)
	}
	slices.Sort(iso)
	v.Isolation = strings.Join(iso, "; ")
	if len(pcts) > 0 {
		sum := 0.0
		for _, p := range pcts {
			sum += p
		}
		v.Average = fmt.Sprintf("%.1f%%", sum/float64(len(pcts)))
		s := slices.Clone(pcts)
		slices.Sort(s)
		med := s[len(s)/2]
		if len(s)%2 == 0 {
			med = (s[len(s)/2-1] + s[len(s)/2]) / 2
		}
		v.Median = fmt.Sprintf("%.1f%%", med)
	} else {
		v.Average, v.Median = "–", "–"
	}
	histogram(&v, pcts)

	for _, e := range exercises {
		row := exerciseRow{Name: e.Name, Title: e.Title}
		total, n := 0, 0
		for _, r := range results {
			if r.Status != Graded {
				continue
			}
			if er, ok := exerciseOf(r.Report, e.Name); ok {
				total += er.Score
				n++
				if er.Status == grader.StatusGraded {
					row.Graded++
				}
			}
		}
		if n > 0 && e.Max > 0 {
			avg := float64(total) / float64(n)
			row.Average = fmt.Sprintf("%.1f/%d", avg, e.Max)
			row.Percent = int(100*avg/float64(e.Max) + 0.5)
		} else {
			row.Average = fmt.Sprintf("–/%d", e.Max)
		}
		row.Width = row.Percent * 180 / 100
		v.Exercises = append(v.Exercises, row)
		v.Checks = append(v.Checks, checkRows(e.Name, results)...)
	}

	for _, r := range results {
		// An id is a file's name (intake.CheckID) but may hold what a
		// URL path gives a meaning to: "#", "?", "%".
		row := rollRow{ID: escape.Line(r.ID), Score: tr(l, "report.not_graded", nil),
			Page: "feedback/" + url.PathEscape(r.ID+".html"), Text: "feedback/" + url.PathEscape(r.ID+".md")}
		if r.Status == Graded {
			row.Score = fmt.Sprintf("%d/%d", r.Report.Score, r.Report.Max)
		}
		v.Roll = append(v.Roll, row)
	}
	for _, r := range results {
		if r.Status != Graded {
			v.Failed = append(v.Failed, failedRow{ID: escape.Line(r.ID), What: tr(l, "report.what_error", nil), Detail: escape.Text(r.Error)})
			continue
		}
		id := escape.Line(r.ID)
		for _, e := range r.Report.Exercises {
			switch e.Status {
			case StatusRejected:
				v.Failed = append(v.Failed, failedRow{ID: id, What: e.Name + ": " + tr(l, "status.rejected", nil), Detail: escape.Text(e.Message)})
			case grader.StatusError:
				v.Failed = append(v.Failed, failedRow{ID: id, What: e.Name + ": " + tr(l, "report.not_graded", nil), Detail: escape.Text(firstNonEmpty(e.Message, e.BuildOutput))})
			case grader.StatusBuildFailed:
				v.Failed = append(v.Failed, failedRow{ID: id, What: e.Name + ": " + tr(l, "status.build_failed", nil), Detail: escape.Line(firstLine(e.BuildOutput))})
			}
			if review := reviewOf(e); review != "" {
				v.Failed = append(v.Failed, failedRow{ID: id, What: e.Name + ": " + tr(l, "report.review", nil), Detail: review})
			}
		}
	}

	slow := slices.Clone(results)
	sort.SliceStable(slow, func(i, j int) bool { return slow[i].Timing.Seconds > slow[j].Timing.Seconds })
	total := 0.0
	for _, r := range results {
		total += r.Timing.Seconds
	}
	v.TotalSeconds = fmt.Sprintf("%.1f", total)
	for _, r := range slow[:min(10, len(slow))] {
		v.Slowest = append(v.Slowest, slowRow{ID: escape.Line(r.ID), Seconds: fmt.Sprintf("%.1f", r.Timing.Seconds), Reused: strings.Join(r.Reused, ", ")})
	}

	var b bytes.Buffer
	tmpl, err := reportTmpl.Clone()
	if err != nil {
		return nil, err
	}
	if err := tmpl.Funcs(template.FuncMap{"T": tFunc(l)}).Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// histogram lays out ten bars of 10 points of percentage each (the last
// one takes 100%).
func histogram(v *reportView, pcts []float64) {
	const bins, plotH, barW, gap, left, top = 10, 160, 44, 8, 40, 10
	counts := make([]int, bins)
	for _, p := range pcts {
		counts[min(int(p/10), bins-1)]++
	}
	most := max(slices.Max(counts), 1)
	v.HistW, v.HistH, v.HistBase = left+bins*(barW+gap)+10, top+plotH+40, top+plotH
	for i, c := range counts {
		h := c * plotH / most
		x := left + i*(barW+gap)
		v.Hist = append(v.Hist, bar{X: x, Y: top + plotH - h, W: barW, H: h, Count: c,
			Label: fmt.Sprintf("%d–%d%%", i*10, min(i*10+9, 100)+boolInt(i == bins-1)), LabelX: x + barW/2})
	}
	for _, t := range []int{0, most / 2, most} {
		v.YTicks = append(v.YTicks, bar{Y: top + plotH - t*plotH/most, Count: t})
	}
	v.YTicks = slices.CompactFunc(v.YTicks, func(a, b bar) bool { return a.Count == b.Count })
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkRows is the pass rate of each check of exercise name, over the
// students who were graded (a missing or broken exercise fails its checks).
func checkRows(name string, results []*Result) []checkRow {
	var rows []checkRow
	index := map[string]int{}
	for _, r := range results {
		if r.Status != Graded {
			continue
		}
		er, ok := exerciseOf(r.Report, name)
		if !ok {
			continue
		}
		for _, c := range er.Checks {
			i, seen := index[c.ID]
			if !seen {
				i = len(rows)
				index[c.ID] = i
				rows = append(rows, checkRow{Exercise: name, Name: c.Name, ID: c.ID, Hidden: c.Hidden})
			}
			rows[i].Total++
			if c.Status == grader.Pass {
				rows[i].Passes++
			}
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Percent = 100 * r.Passes / max(r.Total, 1)
		r.Width = r.Percent * 2
		switch {
		case r.Percent >= 75:
			r.Color = "#4caf50"
		case r.Percent >= 40:
			r.Color = "#f0a500"
		default:
			r.Color = "#d9534f"
		}
	}
	return rows
}

// visibleNotes is notes with their texts on one line each (escape.Line):
// an entry's name is the student's choice.
func visibleNotes(notes []Note) []Note {
	var out []Note
	for _, n := range notes {
		out = append(out, Note{Path: escape.Line(n.Path), Problem: escape.Line(n.Problem)})
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// MaskTiming replaces the timing section of a report.html with a marker,
// to compare two reports of the same grades.
func MaskTiming(page string) string {
	i := strings.Index(page, TimingStart)
	j := strings.Index(page, TimingEnd)
	if i < 0 || j < i {
		return page
	}
	return page[:i] + "(timing)" + page[j+len(TimingEnd):]
}
