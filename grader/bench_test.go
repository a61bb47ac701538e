package grader

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkChecks times running each exercise's checks against its
// reference solution: the test binary, test2json and the verdicts. The
// build happens once, outside the timer.
func BenchmarkChecks(b *testing.B) {
	c := repoCourse(b)
	ctx := context.Background()
	for _, e := range c.Exercises {
		b.Run(e.Name, func(b *testing.B) {
			s, cleanup, err := newSession(ctx, c, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer cleanup()
			files := map[string]string{}
			for _, f := range e.StudentFiles {
				files[f] = filepath.Join(c.Root, "solutions", e.Name, f)
			}
			bin, err := s.build(ctx, e, files)
			if err != nil {
				b.Fatal(err)
			}
			if bin.bin == "" {
				b.Fatalf("the solution does not build:\n%s", bin.output)
			}
			for b.Loop() {
				u := newUnit(map[string]built{e.Name: bin}, e)
				verdicts, _, err := s.runChecks(ctx, u, u.tests())
				if err != nil {
					b.Fatal(err)
				}
				for test, v := range verdicts {
					if v.status != Pass {
						b.Fatalf("%s: %s (%s)\n%s", test, v.status, v.reason, v.out)
					}
				}
			}
		})
	}
}
