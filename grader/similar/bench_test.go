package similar

import (
	"fmt"
	"testing"
)

// syntheticClass is n students of one exercise: each starts from one of
// the course's programs for it (the solution, an alternative, a mutant),
// renamed, reordered or padded with dead code by turns, so that the class
// has the copies, near-copies and shared idiom of a real one.
func syntheticClass(tb testing.TB, ec exerciseCode, n int) []Submission {
	tb.Helper()
	sources := [][]byte{ec.solution}
	for _, k := range sortedKeys(ec.alternatives) {
		sources = append(sources, ec.alternatives[k])
	}
	for _, k := range sortedKeys(ec.mutants) {
		sources = append(sources, ec.mutants[k])
	}
	subs := make([]Submission, n)
	for i := range subs {
		src := sources[i%len(sources)]
		switch (i / len(sources)) % 4 {
		case 1:
			src = rename(tb, src)
		case 2:
			src = reorder(tb, src)
		case 3:
			src = deadCode(tb, rename(tb, src))
		}
		subs[i] = Submission{fmt.Sprintf("student%03d", i), []File{{ec.file, src}}}
	}
	return subs
}

// BenchmarkClass200 compares a class of 200 students on one exercise
// (queue, the largest) and, as Class200x10, on all ten. Generating the
// class is not timed. See docs/similarity.md for the figures.
func BenchmarkClass200(b *testing.B) {
	ecs := loadCourse(b)
	classes := make([][]Submission, len(ecs))
	queue := 0
	for i, ec := range ecs {
		classes[i] = syntheticClass(b, ec, 200)
		if ec.name == "queue" {
			queue = i
		}
	}
	b.Run("queue", func(b *testing.B) {
		for b.Loop() {
			Compare(ecs[queue].name, base(ecs[queue]), classes[queue], Options{})
		}
	})
	b.Run("all10", func(b *testing.B) {
		for b.Loop() {
			for i, ec := range ecs {
				Compare(ec.name, base(ec), classes[i], Options{})
			}
		}
	})
}
