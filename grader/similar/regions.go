package similar

// Side is one submission of a pair as the report shows it: its files cut
// into segments, each matched with the other side or not.
type Side struct {
	Student string
	Files   []ShownFile
}

// ShownFile is one file of a Side. Cut says it was longer than MaxShown
// bytes, and only its start is shown.
type ShownFile struct {
	Name     string
	Segments []Segment
	Cut      bool
}

// Segment is a stretch of a file. Region is 0 for code not matched, else
// the number of the matched region it is in: the same number on both
// sides marks the same code.
type Segment struct {
	Text   string
	Region int
}

// MaxShown is the most bytes of one file a report shows.
const MaxShown = 64 << 10

// Sides are the two submissions of p, cut into matched regions, for the
// report. p must be one of r.Pairs.
func (r *Result) Sides(p Pair) (Side, Side) {
	ma, mb := pairMasks(p.a, p.b, r.Options)
	// A's regions: runs of matched tokens, numbered in order.
	ra := make([]int, len(p.a.toks))
	n := 0
	for i := range ma {
		if ma[i] {
			if i == 0 || !ma[i-1] {
				n++
			}
			ra[i] = n
		}
	}
	// B's tokens take the number of the region of A that has their k-gram.
	byHash := map[uint64]int{}
	for _, g := range p.a.grams {
		if ra[g.i] != 0 && byHash[g.h] == 0 {
			byHash[g.h] = ra[g.i]
		}
	}
	rb := make([]int, len(p.b.toks))
	for _, g := range p.b.grams {
		if reg := byHash[g.h]; reg != 0 {
			for i := g.i; i < g.i+r.Options.K; i++ {
				if mb[i] && rb[i] == 0 {
					rb[i] = reg
				}
			}
		}
	}
	// A token of B matched, but by a k-gram that A's regions lost to
	// MinRun on A's side, still shows as matched.
	for i := range rb {
		if mb[i] && rb[i] == 0 {
			rb[i] = -1
		}
	}
	return side(p.a, ra), side(p.b, rb)
}

// side cuts d's files at the edges of its regions (region[i] for token i;
// -1 is matched, with no number).
func side(d *doc, region []int) Side {
	s := Side{Student: d.student}
	for fi, f := range d.files {
		sf := ShownFile{Name: f.Name}
		src := f.Src
		if len(src) > MaxShown {
			src, sf.Cut = src[:MaxShown], true
		}
		type span struct{ start, end, reg int }
		var spans []span
		at, cur := 0, 0 // bytes cut so far; region of the last token
		emit := func(end, reg int) {
			end = min(end, len(src))
			if end <= at {
				return
			}
			if n := len(spans); n > 0 && spans[n-1].reg == reg {
				spans[n-1].end = end
			} else {
				spans = append(spans, span{at, end, reg})
			}
			at = end
		}
		for i, t := range d.toks {
			if t.file != fi {
				continue
			}
			reg := region[i]
			// The gap before a token is matched when the tokens on both
			// sides of it are in the same region.
			if reg != cur || reg == 0 {
				emit(t.off, 0)
			} else {
				emit(t.off, reg)
			}
			emit(t.end, reg)
			cur = reg
		}
		emit(len(src), 0)
		for _, sp := range spans {
			sf.Segments = append(sf.Segments, Segment{string(src[sp.start:sp.end]), sp.reg})
		}
		s.Files = append(s.Files, sf)
	}
	return s
}
