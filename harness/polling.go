package harness

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
)

// AssertWaiting checks that the goroutines currently inside a function wait
// by blocking, not by polling. fn is matched against the end of function
// names in stack frames, such as ").Get" or "Join".
//
// Call it from a check body in [Run] while some goroutine should be waiting
// in fn. It first lets every goroutine run until all are blocked
// (synctest.Wait); a goroutine that blocks on a channel, a select or a
// sync.Cond passes, while one that is asleep inside fn is polling: it would
// wake up again and again to look, instead of being woken when something
// changes. It fails too if no goroutine is inside fn at all.
func AssertWaiting(t *testing.T, fn string) bool {
	t.Helper()
	synctest.Wait()
	_, bubble := currentGoroutine()
	self, _ := currentGoroutine()
	var waiting []goroutine
	name := fn // the full name as it appears in the student's code, once found
	for _, g := range dumpGoroutines() {
		if g.Bubble != bubble || g.ID == self {
			continue
		}
		for _, f := range g.Frames {
			if strings.HasSuffix(f.Func, fn) && isCourseFile(f.File) {
				waiting = append(waiting, g)
				name = shortFunc(f.Func)
				break
			}
		}
	}
	if len(waiting) == 0 {
		t.Errorf("expected a goroutine to be waiting inside %s, but none was: the call returned instead of waiting", fn)
		return false
	}
	ok := true
	for _, g := range waiting {
		if strings.HasPrefix(g.baseState(), "sleep") {
			where := ""
			if f, found := g.studentFrame(); found {
				where = fmt.Sprintf(" at %s:%d", Rel(f.File), f.Line)
			}
			t.Errorf("%s polls: goroutine %d is sleeping in a loop%s instead of blocking until it is woken.\nWait on a channel or a sync.Cond instead of time.Sleep.\n%s",
				name, g.ID, where, formatGoroutines([]goroutine{g}))
			ok = false
		}
	}
	return ok
}
