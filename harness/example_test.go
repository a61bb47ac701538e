package harness_test

import (
	"fmt"
	"testing"

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

// TestExampleRun runs the check that ExampleRun shows, so that the
// example stays true.
func TestExampleRun(t *testing.T) { RunsAllAtOnce(t) }
