package similar

import (
	"cmp"
	"fmt"
	"slices"
)

// File is one student file: its name in the exercise folder and its text.
type File struct {
	Name string
	Src  []byte
}

// Submission is one student's student files for one exercise.
type Submission struct {
	Student string
	Files   []File
}

// Options tune Compare; the zero value is the defaults, documented (with
// why) in docs/similarity.md.
type Options struct {
	// K is the k-gram size, in tokens: matches shorter than K tokens are
	// never seen (the noise threshold).
	K int
	// W is the winnowing window, in k-grams: every match of K+W-1 tokens
	// or more shares a fingerprint (the guarantee threshold).
	W int
	// CommonShare and CommonMin say when a fragment is course idiom, not
	// copying: a k-gram that more than CommonShare of the students with
	// work in the exercise have, and at least CommonMin of them, is
	// subtracted like the stub.
	CommonShare float64
	CommonMin   int
	// Threshold is the score from which a pair is flagged for review, and
	// MinTokens the tokens each side must have matched: a tiny match is
	// high by chance, not evidence.
	Threshold float64
	MinTokens int
	// MinRun is the fewest tokens a matched region counts with: a region
	// is a stretch of a file whose own tokens are all matched (base code
	// in it does not end it), and a shorter one is coincidence.
	MinRun int
	// MaxTokens caps the tokens read of one submission; the rest is not
	// compared, and a note says so.
	MaxTokens int
}

// Defaults of Options, measured on the course's solutions, alternatives
// and mutants (see docs/similarity.md and the tests).
const (
	DefaultK           = 12
	DefaultW           = 8
	DefaultCommonShare = 0.25
	DefaultCommonMin   = 10
	DefaultThreshold   = 0.6
	DefaultMinTokens   = 40
	DefaultMaxTokens   = 20_000
	DefaultMinRun      = 30
)

func (o Options) withDefaults() Options {
	if o.K <= 0 {
		o.K = DefaultK
	}
	if o.W <= 0 {
		o.W = DefaultW
	}
	if o.CommonShare <= 0 {
		o.CommonShare = DefaultCommonShare
	}
	if o.CommonMin <= 0 {
		o.CommonMin = DefaultCommonMin
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.MinTokens <= 0 {
		o.MinTokens = DefaultMinTokens
	}
	if o.MinRun <= 0 {
		o.MinRun = DefaultMinRun
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = DefaultMaxTokens
	}
	return o
}

// Pair is two students' submissions for one exercise, compared. A < B.
type Pair struct {
	A, B string
	// ShareA is the share of A's own tokens (not base code) covered by
	// k-grams that B has too, and ShareB the converse; Score is the larger.
	ShareA, ShareB float64
	Score          float64
	// MatchedA and OwnA count A's tokens: matched with B, and its own.
	MatchedA, MatchedB int
	OwnA, OwnB         int
	// Flagged says the pair is worth a look: Score at or above the
	// threshold, with at least MinTokens tokens matched on each side.
	Flagged bool

	a, b *doc
}

// Note is a remark on one student's submission, such as a file cut at
// MaxTokens.
type Note struct {
	Student, Problem string
}

// Result is one exercise's comparison.
type Result struct {
	Exercise string
	Options  Options // in force, defaults filled in
	// Students counts the submissions compared (with at least one file).
	Students int
	// Pairs are every two students who share a fingerprint that is not
	// base code, best first: by Score, then tokens matched, then ids.
	Pairs []Pair
	// Clusters are groups of three or more students joined by flagged
	// pairs, each sorted, the largest first.
	Clusters [][]string
	// MostlyCommon are the students at least 80% of whose code beyond
	// the course's is fragments that much of the class has, and so is
	// subtracted: on a small exercise, what everyone writes alike; or a
	// solution that many copied, which no pair then shows.
	MostlyCommon []string
	Notes        []Note
}

// mostlyCommon is the share of a student's code that makes it MostlyCommon.
const mostlyCommon = 0.8

// doc is one submission, fingerprinted.
type doc struct {
	student string
	files   []File
	toks    []tok
	grams   []gram
	set     map[uint64]bool // every k-gram's hash
	uniq    []uint64        // the same, sorted
	gidx    []int32         // per k-gram: the index of its hash in uniq
	ubase   []bool          // per hash of uniq: base code
	fps     []uint64        // the winnowed fingerprints, each once
	own     []bool          // per token: covered by a k-gram that is not base code
	ownN    int
}

// gram is the k-gram starting at token i.
type gram struct {
	i int
	h uint64
}

// fingerprint reads files into a doc: tokens, k-grams and fingerprints.
func fingerprint(student string, files []File, o Options) (*doc, bool) {
	d := &doc{student: student, files: files, set: map[uint64]bool{}}
	decl, cut := 0, false
	for i, f := range files {
		var c bool
		d.toks, decl, c = tokenize(d.toks, f.Src, i, decl, o.MaxTokens)
		cut = cut || c
	}
	seen := map[uint64]bool{}
	// k-grams never cross a declaration: one run of them per declaration.
	for s := 0; s < len(d.toks); {
		e := s
		for e < len(d.toks) && d.toks[e].decl == d.toks[s].decl {
			e++
		}
		first := len(d.grams)
		for i := s; i+o.K <= e; i++ {
			h := gramHash(d.toks[i : i+o.K])
			d.grams = append(d.grams, gram{i, h})
			d.set[h] = true
		}
		for _, h := range winnow(d.grams[first:], o.W) {
			if !seen[h] {
				seen[h] = true
				d.fps = append(d.fps, h)
			}
		}
		s = e
	}
	d.uniq = make([]uint64, 0, len(d.set))
	for h := range d.set {
		d.uniq = append(d.uniq, h)
	}
	slices.Sort(d.uniq)
	d.gidx = make([]int32, len(d.grams))
	for j, g := range d.grams {
		i, _ := slices.BinarySearch(d.uniq, g.h)
		d.gidx[j] = int32(i)
	}
	return d, cut
}

// safeFingerprint is fingerprint, with a panic (a bug, on input nobody
// foresaw) turned into an error: one submission never stops the class.
func safeFingerprint(student string, files []File, o Options) (d *doc, cut bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, cut, err = nil, false, fmt.Errorf("the grader could not read it (%v)", r)
		}
	}()
	d, cut = fingerprint(student, files, o)
	return d, cut, nil
}

// winnow selects the fingerprints of one run of k-grams: in each window of
// w consecutive k-grams, the smallest hash (the rightmost, on a tie), each
// position once. A run shorter than a window is one window.
func winnow(gs []gram, w int) []uint64 {
	if len(gs) == 0 {
		return nil
	}
	var out []uint64
	last := -1
	for start := 0; start == 0 || start+w <= len(gs); start++ {
		end := min(start+w, len(gs))
		m := start
		for j := start; j < end; j++ {
			if gs[j].h <= gs[m].h {
				m = j
			}
		}
		if m != last {
			out = append(out, gs[m].h)
			last = m
		}
	}
	return out
}

// Compare compares the submissions of one exercise. base is the course's
// own code for it (the stub of each student file, and the given files):
// what a student has of it is not theirs, and is never a match.
func Compare(exercise string, base []File, subs []Submission, opts Options) *Result {
	o := opts.withDefaults()
	r := &Result{Exercise: exercise, Options: o}
	baseDoc, _ := fingerprint("", base, Options{K: o.K, W: o.W, MaxTokens: 1 << 30})

	var docs []*doc
	for _, s := range subs {
		if len(s.Files) == 0 {
			continue
		}
		d, cut, err := safeFingerprint(s.Student, s.Files, o)
		if err != nil {
			r.Notes = append(r.Notes, Note{s.Student, "not compared: " + err.Error()})
			continue
		}
		if cut {
			r.Notes = append(r.Notes, Note{s.Student, fmt.Sprintf("more than %d tokens: only the first %d are compared", o.MaxTokens, o.MaxTokens)})
		}
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b *doc) int { return cmp.Compare(a.student, b.student) })
	r.Students = len(docs)

	// Base code: the course's, and what a large share of the class has.
	held := map[uint64]int{}
	for _, d := range docs {
		for h := range d.set {
			held[h]++
		}
	}
	isBase := func(h uint64) bool {
		n := held[h]
		return baseDoc.set[h] || n >= o.CommonMin && float64(n) > o.CommonShare*float64(len(docs))
	}
	for _, d := range docs {
		d.ubase = make([]bool, len(d.uniq))
		for i, h := range d.uniq {
			d.ubase[i] = isBase(h)
		}
		d.own = make([]bool, len(d.toks))
		for _, g := range d.grams {
			if !isBase(g.h) {
				for i := g.i; i < g.i+o.K; i++ {
					d.own[i] = true
				}
			}
		}
		// written: tokens beyond the course's code, own or the class's.
		written := make([]bool, len(d.toks))
		for _, g := range d.grams {
			if !baseDoc.set[g.h] {
				for i := g.i; i < g.i+o.K; i++ {
					written[i] = true
				}
			}
		}
		d.ownN = count(d.own)
		if w := count(written); w >= o.MinTokens && float64(w-d.ownN) >= mostlyCommon*float64(w) {
			r.MostlyCommon = append(r.MostlyCommon, d.student)
		}
	}

	// The inverted index: fingerprint -> the submissions that have it. Two
	// submissions are compared only when they share one.
	index := map[uint64][]int{}
	for i, d := range docs {
		for _, h := range d.fps {
			if !isBase(h) {
				index[h] = append(index[h], i)
			}
		}
	}
	cand := map[[2]int]bool{}
	for _, ds := range index {
		for x := 0; x < len(ds); x++ {
			for y := x + 1; y < len(ds); y++ {
				cand[[2]int{ds[x], ds[y]}] = true
			}
		}
	}
	keys := make([][2]int, 0, len(cand))
	for k := range cand {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		a, b := docs[k[0]], docs[k[1]]
		p := Pair{A: a.student, B: b.student, OwnA: a.ownN, OwnB: b.ownN, a: a, b: b}
		ma, mb := pairMasks(a, b, o)
		p.MatchedA, p.MatchedB = count(ma), count(mb)
		p.ShareA, p.ShareB = share(p.MatchedA, a.ownN), share(p.MatchedB, b.ownN)
		p.Score = max(p.ShareA, p.ShareB)
		p.Flagged = p.Score >= o.Threshold && min(p.MatchedA, p.MatchedB) >= o.MinTokens
		if p.MatchedA > 0 || p.MatchedB > 0 {
			r.Pairs = append(r.Pairs, p)
		}
	}
	slices.SortStableFunc(r.Pairs, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(y.MatchedA+y.MatchedB, x.MatchedA+x.MatchedB),
			cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	r.Clusters = clusters(r.Pairs)
	return r
}

// share is matched/own, exactly 1 when every own token is matched.
func share(matched, own int) float64 {
	if own == 0 {
		return 0
	}
	if matched == own {
		return 1
	}
	return float64(matched) / float64(own)
}

// pairMasks mark the own tokens of a and of b that are matched: covered
// by a k-gram that is not base code, that both have, and that lies, on
// both sides, in a region of at least o.MinRun matched tokens (or in one
// that is all the file's own code, so that identical files match whole).
// A region is a stretch whose own tokens are all matched: base code in it
// does not end it. It works on the sorted hashes of each side (no map):
// it runs once for every pair that shares a fingerprint.
func pairMasks(a, b *doc, o Options) (ma, mb []bool) {
	// inA[i] is the index in b.uniq of a.uniq[i], or -1; inB the converse.
	inA, inB := make([]int32, len(a.uniq)), make([]int32, len(b.uniq))
	for i := range inA {
		inA[i] = -1
	}
	for j := range inB {
		inB[j] = -1
	}
	for i, j := 0, 0; i < len(a.uniq) && j < len(b.uniq); {
		switch {
		case a.uniq[i] < b.uniq[j]:
			i++
		case a.uniq[i] > b.uniq[j]:
			j++
		default:
			if !a.ubase[i] {
				inA[i], inB[j] = int32(j), int32(i)
			}
			i++
			j++
		}
	}
	ka, kb := longRuns(a, inA, o), longRuns(b, inB, o)
	keepA, keepB := make([]bool, len(a.uniq)), make([]bool, len(b.uniq))
	for i, j := range inA {
		if j >= 0 && ka[i] && kb[j] {
			keepA[i], keepB[j] = true, true
		}
	}
	return cover(a, keepA, o.K), cover(b, keepB, o.K)
}

// longRuns says which of d's hashes (by index in d.uniq) the other side
// has too (other[i] >= 0) and lie, somewhere in d, in a region long
// enough to count.
func longRuns(d *doc, other []int32, o Options) []bool {
	shared := make([]bool, len(d.uniq))
	for i, j := range other {
		shared[i] = j >= 0
	}
	m := cover(d, shared, o.K)
	// Cut the regions shorter than MinRun.
	start, n := 0, 0
	flush := func(end int) {
		if n < o.MinRun && n < d.ownN {
			for i := start; i < end; i++ {
				m[i] = false
			}
		}
	}
	for i := range d.toks {
		switch {
		case m[i]:
			n++
		case d.own[i]:
			flush(i)
			start, n = i+1, 0
		}
	}
	flush(len(d.toks))
	kept := make([]bool, len(d.uniq))
	for j, g := range d.grams {
		if shared[d.gidx[j]] && !slices.Contains(m[g.i:g.i+o.K], false) {
			kept[d.gidx[j]] = true
		}
	}
	return kept
}

// cover marks the tokens of d covered by a k-gram whose hash is marked
// in hs (by index in d.uniq).
func cover(d *doc, hs []bool, k int) []bool {
	m := make([]bool, len(d.toks))
	for j, g := range d.grams {
		if hs[d.gidx[j]] {
			for i := g.i; i < g.i+k; i++ {
				m[i] = true
			}
		}
	}
	return m
}

func count(m []bool) int {
	n := 0
	for _, x := range m {
		if x {
			n++
		}
	}
	return n
}

// clusters are the connected groups of three or more students that the
// flagged pairs join.
func clusters(pairs []Pair) [][]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	for _, p := range pairs {
		if p.Flagged {
			ra, rb := find(p.A), find(p.B)
			if ra != rb {
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	groups := map[string][]string{}
	for x := range parent {
		r := find(x)
		groups[r] = append(groups[r], x)
	}
	var out [][]string
	for _, g := range groups {
		if len(g) >= 3 {
			slices.Sort(g)
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a[0], b[0])) })
	return out
}
