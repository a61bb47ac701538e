//go:build grader

package queue

import (
	"sync"
	"testing"
	"time"

	"asynclab/harness"
)

// TestJoinReturnsAtOnceWhenAllDone: Join returns nil at once when every item
// put has been marked done (or nothing was ever put).
func TestJoinReturnsAtOnceWhenAllDone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		r := harness.NewRecorder()
		r.Record("Join on a new queue returned " + errText(q.Join(ctx)))
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		r.Record("Get()=" + getText(q.Get(ctx)))
		q.TaskDone()
		r.Record("Get()=" + getText(q.Get(ctx)))
		q.TaskDone()
		r.Record("Join after two items were put, got and marked done returned " + errText(q.Join(ctx)))
		if !harness.AssertTimeline(t, r, harness.At(0,
			"Join on a new queue returned nil",
			"Get()=1", "Get()=2",
			"Join after two items were put, got and marked done returned nil",
		)) {
			t.Errorf("when no item is outstanding, Join must return nil at once %s", where("Join"))
		}
	})
}

// TestJoinWaitsForTaskDone: Join waits until TaskDone has been called for
// every item put, not merely until the items have been taken.
func TestJoinWaitsForTaskDone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[string](2)
		q.Put(ctx, "a")
		q.Put(ctx, "b")
		r := harness.NewRecorder()
		var wg sync.WaitGroup
		spawn(t, &wg, func() {
			for range 2 {
				r.Record("consumer got " + getText(q.Get(ctx)))
			}
			for i := 1; i <= 2; i++ {
				time.Sleep(time.Second)
				r.Recordf("TaskDone #%d", i)
				q.TaskDone()
			}
		})
		time.Sleep(eps)
		r.Record("Join returned " + errText(q.Join(ctx)))
		wg.Wait()
		if !harness.AssertTimeline(t, r,
			harness.At(0, "consumer got a", "consumer got b"),
			harness.At(time.Second, "TaskDone #1"),
			harness.At(2*time.Second, "TaskDone #2", "Join returned nil"),
		) {
			t.Errorf("two items were put; a consumer got both at once and called TaskDone at 1s and at 2s. Join must return exactly when the last TaskDone is called: taking an item is not finishing it %s %s", where("Join"), where("TaskDone"))
		}
	})
}

// TestJoinContext: a Join that waits returns ctx.Err() when ctx ends.
func TestJoinContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		q := New[int](2)
		q.Put(ctx, 1)
		r := harness.NewRecorder()
		r.Record("Join with a cancelled context returned " + errText(q.Join(cancelled())))
		timeout := ctxFor(t, time.Second)
		time.Sleep(eps)
		r.Record("Join with a 1s timeout returned " + errText(q.Join(timeout)))
		q.Get(ctx)
		q.TaskDone()
		r.Record("Join after TaskDone returned " + errText(q.Join(ctx)))
		if !harness.AssertTimeline(t, r,
			harness.At(0, "Join with a cancelled context returned context.Canceled"),
			harness.At(time.Second, "Join with a 1s timeout returned context.DeadlineExceeded", "Join after TaskDone returned nil"),
		) {
			t.Errorf("one item was put and not marked done. Join must wait, and give up with ctx.Err() when its context ends: at once for a context that has already ended, at 1s for a 1s timeout %s", where("Join"))
		}
	})
}

// TestTaskDonePanicsWhenOverCalled: TaskDone panics when it is called more
// times than items were put.
func TestTaskDonePanicsWhenOverCalled(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		ctx := ctxFor(t, long)
		var got []string
		call := func(q *Queue[int], what string) {
			if p := try(q.TaskDone); p != nil {
				got = append(got, what+": panicked")
			} else {
				got = append(got, what+": returned")
			}
		}
		call(New[int](1), "TaskDone on a new queue")
		q := New[int](2)
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		q.Get(ctx)
		call(q, "TaskDone for item 1 of 2")
		q.Get(ctx)
		call(q, "TaskDone for item 2 of 2")
		call(q, "a third TaskDone after two items")
		if !harness.Diff(t, "what each TaskDone did", got, []string{
			"TaskDone on a new queue: panicked",
			"TaskDone for item 1 of 2: returned",
			"TaskDone for item 2 of 2: returned",
			"a third TaskDone after two items: panicked",
		}) {
			t.Errorf("calling TaskDone more times than items were put is a bug in the caller, and TaskDone must panic to say so (like task_done raising ValueError) %s", where("TaskDone"))
		}
	})
}
