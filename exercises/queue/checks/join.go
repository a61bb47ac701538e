//go:build grader

package checks

import (
	"context"
	"sync"
	"testing"
	"time"

	"asynclab/harness"
	"asynclab/harness/timeline"
)

// JoinReturnsAtOnceWhenAllDone: Join returns nil at once when every item
// put has been marked done (or nothing was ever put), also with a ctx that
// has already ended: there is nothing to wait for, so nothing to give up.
func JoinReturnsAtOnceWhenAllDone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		r := timeline.New()
		r.Lane("main")
		onNew := func(result string) string {
			return harness.Say("event.join_new_queue_returned", harness.Args{"Result": result})
		}
		allDone := func(result string) string {
			return harness.Say("event.join_all_done_returned", harness.Args{"Result": result})
		}
		onNewCancelled := func(result string) string {
			return harness.Say("event.join_new_queue_cancelled_returned", harness.Args{"Result": result})
		}
		allDoneCancelled := func(result string) string {
			return harness.Say("event.join_all_done_cancelled_returned", harness.Args{"Result": result})
		}
		r.Record(onNew(joinCall(r, q, ctx)))
		ended, cancelEnded := context.WithCancel(context.Background())
		cancelEnded() // a context that has already ended
		r.Record(onNewCancelled(joinCall(r, q, ended)))
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		r.Record("Get()=" + getCall(r, q, ctx))
		q.TaskDone()
		r.Record("Get()=" + getCall(r, q, ctx))
		q.TaskDone()
		r.Record(allDone(joinCall(r, q, ctx)))
		r.Record(allDoneCancelled(joinCall(r, q, ended)))
		if !timeline.Assert(t, r, timeline.At(0,
			onNew("nil"),
			onNewCancelled("nil"),
			"Get()=1", "Get()=2",
			allDone("nil"),
			allDoneCancelled("nil"),
		)) {
			t.Error(harness.Say("msg.join_at_once_wrong", harness.Args{"Where": code.Funcs.Yours("Join")}))
		}
	})
}

// JoinWaitsForTaskDone: Join waits until TaskDone has been called for
// every item put, not merely until the items have been taken.
func JoinWaitsForTaskDone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewString(2)
		q.Put(ctx, "a")
		q.Put(ctx, "b")
		r := timeline.New()
		r.Lane("main")
		consumerGot := func(result string) string {
			return harness.Say("event.consumer_got", harness.Args{"Result": result})
		}
		var wg sync.WaitGroup
		harness.Spawn(t, &wg, func() {
			r.Lane(harness.Say("lane.consumer", nil))
			for range 2 {
				r.Record(consumerGot(getCall(r, q, ctx)))
			}
			for i := 1; i <= 2; i++ {
				time.Sleep(time.Second)
				r.Recordf("TaskDone #%d", i)
				q.TaskDone()
			}
		})
		time.Sleep(time.Nanosecond)
		r.Record(returned("Join", joinCall(r, q, ctx)))
		wg.Wait()
		if !timeline.Assert(t, r,
			timeline.At(0, consumerGot("a"), consumerGot("b")),
			timeline.At(time.Second, "TaskDone #1"),
			timeline.At(2*time.Second, "TaskDone #2", returned("Join", "nil")),
		) {
			t.Error(harness.Say("msg.join_taskdone_wrong", harness.Args{"Where": code.Funcs.Yours("Join", "TaskDone")}))
		}
	})
}

// JoinContext: a Join that waits returns ctx.Err() when ctx ends.
func JoinContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		q := code.NewInt(2)
		q.Put(ctx, 1)
		r := timeline.New()
		r.Lane("main")
		afterDone := func(result string) string {
			return harness.Say("event.join_after_taskdone_returned", harness.Args{"Result": result})
		}
		ended, cancelEnded := context.WithCancel(context.Background())
		cancelEnded() // a context that has already ended
		r.Record(withCancelled("Join", joinCall(r, q, ended)))
		timeout := harness.Timeout(t, time.Second)
		time.Sleep(time.Nanosecond)
		r.Record(withTimeout("Join", joinCall(r, q, timeout)))
		q.Get(ctx)
		q.TaskDone()
		r.Record(afterDone(joinCall(r, q, ctx)))
		if !timeline.Assert(t, r,
			timeline.At(0, withCancelled("Join", "context.Canceled")),
			timeline.At(time.Second, withTimeout("Join", "context.DeadlineExceeded"), afterDone("nil")),
		) {
			t.Error(harness.Say("msg.join_ctx_wrong", harness.Args{"Where": code.Funcs.Yours("Join")}))
		}
	})
}

// TaskDonePanicsWhenOverCalled: TaskDone panics when it is called more
// times than items were put.
func TaskDonePanicsWhenOverCalled(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		ctx := harness.Timeout(t, time.Minute)
		var got []string
		call := func(q Queue[int], what string) {
			if p := harness.Try(q.TaskDone); p != nil {
				got = append(got, harness.Say("event.call_panicked", harness.Args{"What": what}))
			} else {
				got = append(got, harness.Say("event.call_returned", harness.Args{"What": what}))
			}
		}
		onNew := harness.Say("event.taskdone_new_queue", nil)
		forItem := func(i int) string {
			return harness.Say("event.taskdone_for_item", harness.Args{"Item": i, "Of": 2})
		}
		third := harness.Say("event.third_taskdone", nil)
		call(code.NewInt(1), onNew)
		q := code.NewInt(2)
		q.Put(ctx, 1)
		q.Put(ctx, 2)
		q.Get(ctx)
		call(q, forItem(1))
		q.Get(ctx)
		call(q, forItem(2))
		call(q, third)
		if !harness.Diff(t, harness.Say("msg.what_taskdone", nil), got, []string{
			harness.Say("event.call_panicked", harness.Args{"What": onNew}),
			harness.Say("event.call_returned", harness.Args{"What": forItem(1)}),
			harness.Say("event.call_returned", harness.Args{"What": forItem(2)}),
			harness.Say("event.call_panicked", harness.Args{"What": third}),
		}) {
			t.Error(harness.Say("msg.taskdone_wrong", harness.Args{"Where": code.Funcs.Yours("TaskDone")}))
		}
	})
}
