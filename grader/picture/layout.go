package picture

import (
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"asynclab/catalog"
	"asynclab/internal/wire"
)

// Geometry of a figure, in SVG user units (pixels at 100%).
const (
	gutter    = 150.0 // lane names, left of the plot: at least this
	maxGutter = 330.0 // and at most this; a longer name is cut, whole in its tooltip
	plotWidth = 720.0
	rowHeight = 18.0 // one line of labels in a lane
	lanePad   = 6.0
	panelHead = 24.0 // a panel's title
	axisH     = 30.0
	charWidth = 6.4 // an estimate of a label's character at 11px
	markSize  = 5.0
)

// figure is one timeline laid out: everything the template draws, with
// coordinates worked out here, so that the template only writes them.
type figure struct {
	ID        string // unique in the page: svg ids and aria references
	Heading   string // "Timeline 2 of 3", for a check with several
	Width     float64
	Height    float64
	Title     string // for the svg's <title>
	Desc      string // the svg's <desc>: what the picture shows, in a sentence
	Panels    []panel
	Ticks     []tick
	AxisY     float64
	PlotLeft  float64
	PlotRight float64
	Diverge   []divLine
	Words     string    // the divergence, in the message's words
	Text      []textRow // the text equivalent
	Spans     []textSpan
	Truncated bool
}

type panel struct {
	Title string
	Y     float64 // top of its title
	Lanes []laneView
	Want  bool
}

type laneView struct {
	Label string // Name, cut to the names' column
	Name  string
	Y, H  float64
	Shade bool
	Marks []markView
	Bars  []barView
}

type markView struct {
	X, Y  float64 // the centre of the mark
	Label string
	Where string // for the tooltip
	At    string // the time, for the tooltip
	// ShownWhere is beside the label: Where, the first time in its lane.
	ShownWhere string
	Diverges   bool // an event the divergence names
	TextX      float64
}

type barView struct {
	X, Y, W  float64
	Label    string
	Where    string
	From, To string
	// ShownWhere is beside the label: Where, the first time in its lane.
	ShownWhere string
	Open       bool
	TextX      float64
}

type tick struct {
	X     float64
	Label string
}

type divLine struct {
	X      float64
	Y1, Y2 float64
	At     string
}

// textRow is one event of the text equivalent.
type textRow struct {
	Panel    string
	At       string
	Lane     string
	Event    string
	Where    string
	Diverges bool
}

type textSpan struct {
	Lane, Name, From, To, Where string
	Open                        bool
}

// fmtDur is a virtual time as the text messages of language l write it
// (2s, 300ms, 0s in English; see catalog.Duration).
func fmtDur(l catalog.Lang, d time.Duration) string { return catalog.Duration(l, d) }

// layout lays out tl for language l. id makes the figure's ids unique.
func layout(tl wire.Timeline, l catalog.Lang, id string) figure {
	f := figure{ID: id, Truncated: tl.Truncated}
	// The axis covers everything drawn: the run, what was expected, and
	// the instants of the divergence.
	end := tl.End
	for _, m := range tl.Events {
		end = max(end, m.At)
	}
	for _, m := range tl.Want {
		end = max(end, m.At)
	}
	for _, s := range tl.Spans {
		end = max(end, s.To)
	}
	var divAt []time.Duration
	divEvents := map[string]bool{}
	if d := tl.Divergence; d != nil {
		divAt = d.At
		for _, at := range d.At {
			end = max(end, at)
		}
		for _, e := range d.Events {
			divEvents[e] = true
		}
		f.Words = d.Words
	}
	laneName := func(id string) string {
		for _, ln := range tl.Lanes {
			if ln.ID == id && ln.Goroutine > 0 {
				return say(l, "lane.goroutine", catalog.Args{"N": ln.Goroutine})
			}
		}
		if id == "" {
			return say(l, "lane.not_in_run", nil)
		}
		return id
	}
	// The names' column is as wide as the longest name needs, within
	// bounds, so that a name such as "Transfer(account 1 → account 2, 30)"
	// is not drawn under the bars.
	left := gutter
	for _, ln := range tl.Lanes {
		left = max(left, min(nameWidth(laneName(ln.ID)), maxGutter))
	}
	f.PlotLeft, f.PlotRight = left, left+plotWidth

	step, span := niceStep(end)
	x := func(d time.Duration) float64 { return left + float64(d)/float64(span)*plotWidth }

	y := 8.0
	rightmost := left + plotWidth
	addPanel := func(title string, want bool, marks []wire.Mark, spans []wire.Span) {
		p := panel{Title: title, Y: y, Want: want}
		y += panelHead
		// The lanes of the panel: the run's, in its order, then (for
		// what was expected) the events the run never recorded.
		var ids []string
		has := map[string]bool{}
		for _, m := range marks {
			has[m.Lane] = true
		}
		for _, s := range spans {
			has[s.Lane] = true
		}
		for _, ln := range tl.Lanes {
			if has[ln.ID] || !want {
				ids = append(ids, ln.ID)
			}
		}
		if has[""] {
			ids = append(ids, "")
		}
		for i, lane := range ids {
			lv := laneView{Label: fitName(laneName(lane), left), Name: laneName(lane), Y: y, Shade: i%2 == 0}
			rows := newRows()
			// A lane's file:line is written once, at its first use: a
			// task's events are all called from the same line, say. The
			// tooltips and the text version have every one.
			seen := map[string]bool{}
			once := func(where string) string {
				if seen[where] {
					return ""
				}
				seen[where] = true
				return where
			}
			for _, s := range spans {
				if s.Lane != lane {
					continue
				}
				x1, x2 := x(s.From), x(s.To)
				if s.Open {
					x2 = x(span) // it never ended: to the end of the axis
				}
				label := s.Name
				if s.Open {
					label += " " + say(l, "legend.open_suffix", nil)
				}
				where := once(s.Where)
				w := textWidth(label)
				if where != "" {
					w += textWidth(where) + 6
				}
				r := rows.place(x1, max(x2, x1+w+8))
				lv.Bars = append(lv.Bars, barView{X: x1, Y: y + lanePad + float64(r)*rowHeight + 2, W: max(x2-x1, 1.5), Label: label, Where: s.Where, ShownWhere: where,
					From: fmtDur(l, s.From), To: fmtDur(l, s.To), Open: s.Open, TextX: x1 + 3})
				rightmost = max(rightmost, x1+w+12)
			}
			for _, m := range marks {
				if m.Lane != lane {
					continue
				}
				where := once(m.Where)
				label := m.Label()
				if where != "" {
					label += "  " + where
				}
				xm := x(m.At)
				w := textWidth(label) + markSize*2 + 6
				r := rows.place(xm-markSize, xm+w)
				lv.Marks = append(lv.Marks, markView{X: xm, Y: y + lanePad + float64(r)*rowHeight + rowHeight/2, Label: m.Label(), Where: m.Where, ShownWhere: where,
					At: fmtDur(l, m.At), Diverges: divEvents[m.Name], TextX: xm + markSize + 4})
				rightmost = max(rightmost, xm+w)
			}
			lv.H = lanePad*2 + float64(max(rows.n(), 1))*rowHeight
			y += lv.H
			p.Lanes = append(p.Lanes, lv)
		}
		f.Panels = append(f.Panels, p)
		y += 10
	}
	top := y
	if len(tl.Want) > 0 {
		title := say(l, "panel.want", nil)
		if tl.WantPart {
			title = say(l, "panel.want_part", nil)
		}
		addPanel(title, true, tl.Want, nil)
	}
	addPanel(say(l, "panel.got", nil), false, tl.Events, tl.Spans)
	bottom := y - 10
	f.AxisY = y + 4
	if end == 0 {
		// Everything happened at 0s: one tick, and no scale to suggest
		// that time passed (a span still open goes on to the right edge).
		f.Ticks = []tick{{X: x(0), Label: fmtDur(l, 0)}}
	} else {
		for t := time.Duration(0); t <= span; t += step {
			f.Ticks = append(f.Ticks, tick{X: x(t), Label: fmtDur(l, t)})
		}
	}
	for _, at := range divAt {
		f.Diverge = append(f.Diverge, divLine{X: x(at), Y1: top, Y2: bottom, At: fmtDur(l, at)})
	}
	f.Height = f.AxisY + axisH
	f.Width = math.Ceil(rightmost + 16)

	// The text equivalent: every event of each panel, by time, with its
	// lane, in the order the file gives (lane, then name within an instant).
	for _, p := range []struct {
		title string
		marks []wire.Mark
		on    bool
	}{{say(l, "panel.want", nil), tl.Want, len(tl.Want) > 0}, {say(l, "panel.got", nil), tl.Events, true}} {
		if !p.on {
			continue
		}
		for _, m := range p.marks {
			f.Text = append(f.Text, textRow{Panel: p.title, At: fmtDur(l, m.At), Lane: laneName(m.Lane), Event: m.Label(), Where: m.Where,
				Diverges: divEvents[m.Name] || slices.Contains(divAt, m.At)})
		}
	}
	for _, s := range tl.Spans {
		f.Spans = append(f.Spans, textSpan{Lane: laneName(s.Lane), Name: s.Name, From: fmtDur(l, s.From), To: fmtDur(l, s.To), Where: s.Where, Open: s.Open})
	}
	f.Title = say(l, "figure.title", nil)
	f.Desc = say(l, "figure.desc", catalog.Args{"Lanes": len(tl.Lanes), "Events": len(tl.Events), "End": fmtDur(l, end)})
	return f
}

// rows places labels in the lines of a lane: each in the first line where
// it overlaps nothing, so that labels at one instant, or close instants,
// stack in the order given instead of covering one another.
type rows struct{ ends []float64 }

func newRows() *rows { return &rows{} }

func (r *rows) place(x1, x2 float64) int {
	for i, e := range r.ends {
		if x1 > e+2 {
			r.ends[i] = x2
			return i
		}
	}
	r.ends = append(r.ends, x2)
	return len(r.ends) - 1
}

func (r *rows) n() int { return len(r.ends) }

// textWidth estimates the width of a label at the page's 11px.
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * charWidth }

// niceStep is a tick step (1, 2 or 5 times a power of ten) that cuts
// [0, end] into at most 8 parts, and the end of the axis, a whole number
// of steps at or after end.
func niceStep(end time.Duration) (step, span time.Duration) {
	if end <= 0 {
		return time.Second / 4, time.Second
	}
	raw := float64(end) / 8
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			step = time.Duration(m * pow)
			break
		}
	}
	step = max(step, 1)
	span = time.Duration(math.Ceil(float64(end)/float64(step))) * step
	return step, span
}

// nameWidth is the width a lane's name takes in the names' column.
func nameWidth(name string) float64 {
	return float64(utf8.RuneCountInString(name))*charWidth + 16
}

// fitName cuts name, with "…", to fit a names' column of width w.
func fitName(name string, w float64) string {
	if nameWidth(name) <= w {
		return name
	}
	r := []rune(name)
	n := max(int((w-16)/charWidth)-1, 1)
	return string(r[:min(n, len(r))]) + "…"
}
