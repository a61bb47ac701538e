package script_test

import (
	"context"
	"errors"
	"fmt"

	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

// Tasks makes tasks that do what their scripts say and record it. In a
// check they run in Run's virtual time, so a Delay of seconds costs
// nothing; here, in real time, they take none. Describe says what the
// scripts do, for a message.
func ExampleTasks() {
	scripts := []script.Task[string]{
		script.Succeeds("A", 0),
		{Name: "B", Err: errors.New("boom")},
	}
	r := timeline.New()
	for _, task := range script.Tasks[func(context.Context) (string, error)](r, scripts...) {
		v, err := task(context.Background())
		fmt.Printf("returned %q, %v\n", v, err)
	}
	for _, e := range r.Events() {
		fmt.Println(e.Name)
	}
	fmt.Println(script.Describe(scripts))
	fmt.Println(script.Describe(script.ABC()))
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
