package timeline_test

import (
	"fmt"
	"strings"
	"time"

	"asynclab/harness/timeline"
)

// SideBySide is how a timeline assertion shows the expected run next to
// the actual one, in virtual time; events in one row happened at the same
// instant, in no particular order, and ✗ marks the instants that differ.
func ExampleSideBySide() {
	want := []timeline.Instant{
		timeline.At(0, "A starts", "B starts"),
		timeline.At(time.Second, "B returns"),
	}
	got := []timeline.Instant{
		timeline.At(0, "A starts"),
		timeline.At(time.Second, "B starts", "B returns"),
	}
	for line := range strings.Lines(timeline.SideBySide(want, got)) {
		fmt.Println(strings.TrimRight(line, " \n"))
	}
	// Output:
	//      time      want        got
	//   ✗  0s        A starts    A starts
	//                B starts
	//   ✗  1s        B returns   B returns
	//                            B starts
}
