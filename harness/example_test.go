package harness_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"asynclab/harness"
)

// printT is a harness.TestingT that prints what an assertion says, as a
// check's failure would show it.
type printT struct{}

func (printT) Helper()                           {}
func (printT) Error(args ...any)                 { fmt.Println(args...) }
func (printT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// Diff compares what the code returned with what the check wants and, when
// they differ, says so in the student's terms: two strings are shown
// whole, one under the other.
func ExampleDiff() {
	ok := harness.Diff(printT{}, "the greeting", "hello, world", "hello, there")
	fmt.Println(ok)
	// Output:
	// the greeting:
	//   got:  hello, world
	//   want: hello, there
	// false
}

// SideBySide is how a timeline assertion shows the expected run next to
// the actual one, in virtual time; events in one row happened at the same
// instant, in no particular order, and ✗ marks the instants that differ.
func ExampleSideBySide() {
	want := []harness.Instant{
		harness.At(0, "A starts", "B starts"),
		harness.At(time.Second, "B returns"),
	}
	got := []harness.Instant{
		harness.At(0, "A starts"),
		harness.At(time.Second, "B starts", "B returns"),
	}
	for line := range strings.Lines(harness.SideBySide(want, got)) {
		fmt.Println(strings.TrimRight(line, " \n"))
	}
	// Output:
	//      time      want        got
	//   ✗  0s        A starts    A starts
	//                B starts
	//   ✗  1s        B returns   B returns
	//                            B starts
}

// ErrText names errors as a student writes them, so that a timeline reads
// "Put returned ErrClosed", whatever the error wraps.
func ExampleErrText() {
	errClosed := errors.New("queue closed")
	closed := harness.Sentinel{Name: "ErrClosed", Err: errClosed}
	for _, err := range []error{
		nil,
		fmt.Errorf("put: %w", errClosed),
		context.DeadlineExceeded,
		errors.New("disk full"),
	} {
		fmt.Println(harness.ErrText(err, closed))
	}
	// Output:
	// nil
	// ErrClosed
	// context.DeadlineExceeded
	// error "disk full"
}

// TestExampleRun runs the check that ExampleRun shows, so that the
// example stays true.
func TestExampleRun(t *testing.T) { RunsAllAtOnce(t) }

// Tasks makes tasks that do what their scripts say and record it. In a
// check they run in Run's virtual time, so a Delay of seconds costs
// nothing; here, in real time, they take none. Describe says what the
// scripts do, for a message.
func ExampleTasks() {
	scripts := []harness.Script[string]{
		harness.Succeeds("A", 0),
		{Name: "B", Err: errors.New("boom")},
	}
	r := harness.NewRecorder()
	for _, task := range harness.Tasks[func(context.Context) (string, error)](r, scripts...) {
		v, err := task(context.Background())
		fmt.Printf("returned %q, %v\n", v, err)
	}
	for _, e := range r.Events() {
		fmt.Println(e.Name)
	}
	fmt.Println(harness.Describe(scripts))
	fmt.Println(harness.Describe(harness.ABC()))
	// Output:
	// returned "from A", <nil>
	// returned "", boom
	// A starts
	// A returns
	// B starts
	// B returns
	// A (0s), B (fails at 0s)
	// A (3s), B (1s), C (2s)
}
