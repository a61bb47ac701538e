//go:build grader

package checks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
	"asynclab/harness/errs"
	"asynclab/harness/script"
	"asynclab/harness/timeline"
)

// fetcher is the fetch function the checks give FetchAll. Each URL plays a
// Script (named after the URL), which records "<url> starts", "<url> sees
// cancel" and "<url> returns". It also counts how many fetches run at once.
type fetcher struct {
	r       *timeline.Recorder
	scripts map[string]script.Task[string]
	// roles, when set, replaces scripts: the i-th fetch to start plays
	// roles[i] (the last one for every fetch after), whatever its URL, so
	// that a check does not depend on the order in which FetchAll starts
	// the fetches.
	roles []script.Task[string]

	mu      sync.Mutex
	running int
	peak    int
	started map[string]int
}

func newFetcher(r *timeline.Recorder, scripts ...script.Task[string]) *fetcher {
	f := &fetcher{r: r, scripts: map[string]script.Task[string]{}, started: map[string]int{}}
	for _, sc := range scripts {
		f.scripts[sc.Name] = sc
	}
	return f
}

// urls are the URLs of the scripts, in order.
func urlsOf(scripts []script.Task[string]) []string {
	var urls []string
	for _, sc := range scripts {
		urls = append(urls, sc.Name)
	}
	return urls
}

func (f *fetcher) fetch(ctx context.Context, url string) (string, error) {
	f.mu.Lock()
	sc, ok := f.scripts[url]
	if f.roles != nil {
		n := 0
		for _, c := range f.started {
			n += c
		}
		sc, ok = f.roles[min(n, len(f.roles)-1)], true
		sc.Name = url
	}
	f.started[url]++
	f.running++
	f.peak = max(f.peak, f.running)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.running--
		f.mu.Unlock()
	}()
	if !ok {
		f.r.RecordIn(url, harness.Say("event.unknown_url", harness.Args{"URL": url}))
		return "", errors.New(harness.Say("msg.no_such_url", harness.Args{"URL": strconv.Quote(url)}))
	}
	return sc.Func(f.r)(ctx)
}

// counts returns, for a message, how often each URL was fetched, for those
// not fetched exactly once.
func (f *fetcher) badCounts(urls []string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var bad []string
	for _, u := range urls {
		if n := f.started[u]; n != 1 {
			bad = append(bad, harness.Count("msg.fetched_times", n, harness.Args{"URL": u}))
		}
	}
	return bad
}

// call runs FetchAll and records "FetchAll returned ..." when it returns.
func call(t *testing.T, r *timeline.Recorder, ctx context.Context, limit int, urls []string, f *fetcher) ([]string, error) {
	t.Helper()
	r.Lane(harness.Say("lane.caller", nil))
	end := r.Begin(fetchAllCall(limit, urls))
	res, err := code.FetchAll(ctx, limit, urls, f.fetch)
	end()
	r.Record(fetchAllReturned(err))
	synctest.Wait()
	return res, err
}

// The goroutines that call FetchAll and cancel its ctx are, in pictures of
// a run, the lane lane.caller: "caller", as the events call it. Each fetch
// has a lane of its own, named by its URL (see script.Task).

// fetchAllCall is the name of FetchAll's call as an interval of the
// caller's lane: "FetchAll(ctx, 2, [u1 u2 u3])".
func fetchAllCall(limit int, urls []string) string {
	return fmt.Sprintf("FetchAll(ctx, %d, %v)", limit, urls)
}

// fetchAllReturned is the event call records when FetchAll returns err.
func fetchAllReturned(err error) string {
	return harness.Say("event.fetchall_returned", harness.Args{"Err": errs.Text(err)})
}

// fetchesStart and fetchesSeeCancel are lines of the lists the checks
// compare: "at 1s: 3 fetches start".
func fetchesStart(at time.Duration, n int) string {
	return harness.Count("event.fetches_start", n, harness.Args{"At": at})
}
func fetchesSeeCancel(at time.Duration, n int) string {
	return harness.Count("event.fetches_see_cancel", n, harness.Args{"At": at})
}
func fetchAllReturnsAt(at time.Duration, err error) string {
	return harness.Say("event.fetchall_returns_at", harness.Args{"At": at, "Err": errs.Text(err)})
}

// ones is n URLs u1..un that each take d.
func ones(n int, d time.Duration) []script.Task[string] {
	var scripts []script.Task[string]
	for i := range n {
		scripts = append(scripts, script.Succeeds(fmt.Sprintf("u%d", i+1), d))
	}
	return scripts
}

// FetchAllResultsInOrder: the results come back in the order of urls,
// not in the order the fetches finish.
func FetchAllResultsInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		var scripts []script.Task[string]
		for i, d := range []time.Duration{3 * time.Second, 1 * time.Second, 2 * time.Second, 1 * time.Second, 2 * time.Second, 1 * time.Second} {
			scripts = append(scripts, script.Succeeds(fmt.Sprintf("u%d", i+1), d))
		}
		f := newFetcher(r, scripts...)
		got, err := call(t, r, t.Context(), 3, urlsOf(scripts), f)
		var want []string
		for _, sc := range scripts {
			want = append(want, sc.Value)
		}
		if err != nil {
			t.Error(harness.Say("msg.fetch_error", harness.Args{"URLs": fmt.Sprint(urlsOf(scripts)), "Err": fmt.Sprint(err),
				"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
			return
		}
		if !harness.Diff(t, harness.Say("msg.results_what", harness.Args{"Fetches": script.Describe(scripts)}), got, want) {
			t.Error(harness.Say("msg.results_order", harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllNeverMoreThanLimit: at most limit fetches run at any moment,
// and every URL is fetched once.
func FetchAllNeverMoreThanLimit(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts := ones(10, 1*time.Second)
		f := newFetcher(r, scripts...)
		call(t, r, t.Context(), 3, urlsOf(scripts), f)
		if f.peak > 3 {
			t.Error(harness.Count("msg.over_limit", f.peak, harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
		if bad := f.badCounts(urlsOf(scripts)); len(bad) > 0 {
			t.Error(harness.Say("msg.once_each", harness.Args{"Counts": strings.Join(bad, "\n  "), "Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllTakesFourSeconds: 10 fetches of 1s with limit 3 take exactly
// 4s: 3, 3, 3, then 1.
func FetchAllTakesFourSeconds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts := ones(10, 1*time.Second)
		f := newFetcher(r, scripts...)
		_, err := call(t, r, t.Context(), 3, urlsOf(scripts), f)
		var got []string
		for _, in := range r.TimelineOf(timeline.HasSuffix(" starts")) {
			got = append(got, fetchesStart(in.At, len(in.Events)))
		}
		at, _ := r.When(fetchAllReturned(err))
		got = append(got, fetchAllReturnsAt(at, err))
		want := []string{
			fetchesStart(0, 3),
			fetchesStart(1*time.Second, 3),
			fetchesStart(2*time.Second, 3),
			fetchesStart(3*time.Second, 1),
			fetchAllReturnsAt(4*time.Second, nil),
		}
		if !harness.Diff(t, harness.Say("msg.four_seconds_what", nil), got, want) {
			t.Error(harness.Say("msg.four_seconds", harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllStartsNextAtOnce: whenever a fetch finishes and URLs are
// left, the next fetch starts at that instant, so limit fetches run as
// long as there are that many left.
func FetchAllStartsNextAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		var scripts []script.Task[string]
		for i, d := range []time.Duration{5 * time.Second, 1 * time.Second, 2 * time.Second, 1 * time.Second, 3 * time.Second, 1 * time.Second, 2 * time.Second, 1 * time.Second, 1 * time.Second, 2 * time.Second} {
			scripts = append(scripts, script.Succeeds(fmt.Sprintf("u%d", i+1), d))
		}
		const limit = 3
		f := newFetcher(r, scripts...)
		call(t, r, t.Context(), limit, urlsOf(scripts), f)
		n := len(scripts)
		started, finished := 0, 0
		fail := func(problem string) {
			t.Error(harness.Say("msg.next_at_once", harness.Args{"Limit": limit, "Fetches": script.Describe(scripts), "Problem": problem,
				"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
		for _, in := range r.Timeline() {
			for _, e := range in.Events {
				switch {
				case strings.HasSuffix(e, " starts"):
					started++
				case strings.HasSuffix(e, " returns"):
					finished++
				}
			}
			if running, want := started-finished, min(limit, n-finished); running != want {
				fail(harness.Say("msg.next_running", harness.Args{"At": in.At, "Finished": finished, "Running": running, "Want": want}))
				return
			}
		}
		if finished != n {
			fail(harness.Say("msg.next_only", harness.Args{"Finished": finished, "N": n}))
		}
	})
}

// failing is the scenario of the error checks: all three start at once,
// b fails at 1s, a would take 3s and c 2s. a goes on working stubborn
// after it sees the cancellation.
func failing(stubborn time.Duration) ([]script.Task[string], error) {
	errB := errors.New(harness.Say("msg.b_failed", nil))
	a := script.Succeeds("a", 3*time.Second)
	a.Stubborn = stubborn
	return []script.Task[string]{a, {Name: "b", Delay: 1 * time.Second, Err: errB}, script.Succeeds("c", 2*time.Second)}, errB
}

// FetchAllErrorCancelsRunning: when a fetch fails, the running ones see
// their ctx cancelled at that instant.
func FetchAllErrorCancelsRunning(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts, _ := failing(0)
		f := newFetcher(r, scripts...)
		call(t, r, t.Context(), 3, urlsOf(scripts), f)
		timeline.AssertOf(t, r, timeline.HasSuffix(" sees cancel"),
			[]timeline.Instant{timeline.At(1*time.Second, "a sees cancel", "c sees cancel")},
			"%s", harness.Say("msg.error_cancels", harness.Args{"Fetches": script.Describe(scripts), "Where": code.Funcs.Yours("FetchAll")}))
	})
}

// FetchAllReturnsFirstErrorAfterFetches: FetchAll returns the first
// error, and only once every fetch it started has returned.
func FetchAllReturnsFirstErrorAfterFetches(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts, errB := failing(1 * time.Second)
		f := newFetcher(r, scripts...)
		_, err := call(t, r, t.Context(), 3, urlsOf(scripts), f)
		at, _ := r.When(fetchAllReturned(err))
		switch {
		case !errs.IsOnly(err, errB):
			t.Error(harness.Say("msg.first_error", harness.Args{"Fetches": script.Describe(scripts), "Err": errs.Text(err),
				"ErrB": strconv.Quote(errB.Error()), "Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		case at != 2*time.Second:
			t.Error(harness.Say("msg.error_too_early", harness.Args{"Fetches": script.Describe(scripts), "At": at,
				"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllErrorStopsStarting: after a fetch fails, no new fetch starts.
func FetchAllErrorStopsStarting(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		errFailed := errors.New(harness.Say("msg.fetch_failed", nil))
		urls := []string{"u1", "u2", "u3", "u4"}
		f := newFetcher(r)
		f.roles = []script.Task[string]{
			{Delay: 3 * time.Second, Value: "slow"},
			{Delay: 1 * time.Second, Err: errFailed},
			{Delay: 1 * time.Second, Value: "quick"},
		}
		_, err := call(t, r, t.Context(), 2, urls, f)
		var got []string
		for _, in := range r.TimelineOf(timeline.HasSuffix(" starts")) {
			got = append(got, fetchesStart(in.At, len(in.Events)))
		}
		// Which error comes back is TestFetchAllReturnsFirstErrorAfterFetches's
		// business; here it is enough that one does.
		if err != nil {
			got = append(got, harness.Say("event.fetchall_returns_error", nil))
		} else {
			got = append(got, harness.Say("event.fetchall_returns_nil", nil))
		}
		want := []string{fetchesStart(0, 2), harness.Say("event.fetchall_returns_error", nil)}
		if !harness.Diff(t, harness.Say("msg.stops_starting_what", nil), got, want) {
			t.Error(harness.Say("msg.stops_starting", harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllCallerCancels: cancelling FetchAll's ctx cancels the running
// fetches, starts no more, and FetchAll returns an error.
func FetchAllCallerCancels(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts := ones(3, 2*time.Second)
		f := newFetcher(r, scripts...)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var wg sync.WaitGroup
		var err error
		r.Lane(harness.Say("lane.caller", nil))
		harness.Spawn(t, &wg, func() { _, err = call(t, r, ctx, 2, urlsOf(scripts), f) })
		time.Sleep(1 * time.Second)
		r.Record(harness.Say("event.caller_cancels", nil))
		cancel()
		wg.Wait()
		synctest.Wait()
		var got []string
		for _, in := range r.Timeline() {
			starts, cancels := 0, 0
			for _, e := range in.Events {
				switch {
				case strings.HasSuffix(e, " starts"):
					starts++
				case strings.HasSuffix(e, " sees cancel"):
					cancels++
				}
			}
			if starts > 0 {
				got = append(got, fetchesStart(in.At, starts))
			}
			if cancels > 0 {
				got = append(got, fetchesSeeCancel(in.At, cancels))
			}
		}
		at, _ := r.When(fetchAllReturned(err))
		got = append(got, fetchAllReturnsAt(at, err))
		want := []string{
			fetchesStart(0, 2),
			fetchesSeeCancel(1*time.Second, 2),
			fetchAllReturnsAt(1*time.Second, context.Canceled),
		}
		if !harness.Diff(t, harness.Say("msg.caller_cancels_what", nil), got, want) {
			t.Error(harness.Say("msg.caller_cancels", harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// total is how many fetches have started.
func (f *fetcher) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.started {
		n += c
	}
	return n
}

// FetchAllLimitAndNoURLs: FetchAll panics if limit < 1, as NewSemaphore
// does, before it fetches anything; with no URLs it fetches nothing and
// returns an empty result (nil or empty) and nil at once.
func FetchAllLimitAndNoURLs(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		ctx := harness.Timeout(t, time.Minute)
		scripts := ones(3, 1*time.Second)
		var got, want []string
		for _, limit := range []int{0, -1} {
			f := newFetcher(r, scripts...)
			var err error
			p := harness.Try(func() { _, err = code.FetchAll(ctx, limit, urlsOf(scripts), f.fetch) })
			call := fmt.Sprintf("FetchAll(ctx, %d, %v)", limit, urlsOf(scripts))
			if p != nil {
				got = append(got, harness.Count("event.limit_panicked", f.total(), harness.Args{"Call": call}))
			} else {
				got = append(got, harness.Count("event.limit_returned", f.total(), harness.Args{"Call": call, "Err": errs.Text(err)}))
			}
			want = append(want, harness.Count("event.limit_panicked", 0, harness.Args{"Call": call}))
		}
		for _, urls := range [][]string{nil, {}} {
			f := newFetcher(r)
			call := "FetchAll(ctx, 3, []string{})"
			if urls == nil {
				call = "FetchAll(ctx, 3, nil)"
			}
			start := r.Since()
			var (
				res []string
				err error
			)
			if p := harness.Try(func() { res, err = code.FetchAll(ctx, 3, urls, f.fetch) }); p != nil {
				got = append(got, harness.Count("event.limit_panicked", f.total(), harness.Args{"Call": call}))
			} else {
				got = append(got, harness.Count("event.no_urls_returned", f.total(), harness.Args{"Call": call,
					"Len": len(res), "Err": errs.Text(err), "After": r.Since() - start}))
			}
			want = append(want, harness.Count("event.no_urls_returned", 0, harness.Args{"Call": call,
				"Len": 0, "Err": errs.Text(nil), "After": time.Duration(0)}))
		}
		if !harness.Diff(t, harness.Say("msg.limit_what", nil), got, want) {
			t.Error(harness.Say("msg.limit_and_no_urls", harness.Args{"Where": code.Funcs.Yours("FetchAll")}))
		}
	})
}

// FetchAllContextAlreadyDone: called with a ctx that has already ended,
// FetchAll starts no fetch and returns ctx.Err() at once.
func FetchAllContextAlreadyDone(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts := ones(3, 1*time.Second)
		f := newFetcher(r, scripts...)
		ended, cancelEnded := context.WithCancel(context.Background())
		cancelEnded() // a context that has already ended
		_, err := call(t, r, ended, 2, urlsOf(scripts), f)
		var got []string
		for _, in := range r.TimelineOf(timeline.HasSuffix(" starts")) {
			got = append(got, fetchesStart(in.At, len(in.Events)))
		}
		at, _ := r.When(fetchAllReturned(err))
		got = append(got, fetchAllReturnsAt(at, err))
		want := []string{fetchAllReturnsAt(0, context.Canceled)}
		if !harness.Diff(t, harness.Say("msg.already_done_what", nil), got, want) {
			t.Error(harness.Say("msg.already_done", harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllCallerCancelsFetchesFinish: when the caller cancels ctx, FetchAll
// returns ctx.Err() even if the running fetches ignore the cancellation and
// succeed: a URL it never fetched has no result, so nil would be a lie.
func FetchAllCallerCancelsFetchesFinish(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		fetch := func(ctx context.Context, url string) (string, error) {
			r.RecordIn(url, url+" starts")
			end := r.BeginIn(url, fmt.Sprintf("fetch(ctx, %q)", url))
			time.Sleep(2 * time.Second) // it does not look at ctx
			end()
			r.RecordIn(url, url+" returns")
			return "page " + url, nil
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var wg sync.WaitGroup
		var err error
		r.Lane(harness.Say("lane.caller", nil))
		harness.Spawn(t, &wg, func() {
			urls := []string{"u1", "u2", "u3"}
			r.Lane(harness.Say("lane.caller", nil))
			end := r.Begin(fetchAllCall(2, urls))
			_, err = code.FetchAll(ctx, 2, urls, fetch)
			end()
			r.Record(fetchAllReturned(err))
		})
		time.Sleep(1 * time.Second)
		r.Record(harness.Say("event.caller_cancels", nil))
		cancel()
		wg.Wait()
		synctest.Wait()
		var got []string
		for _, in := range r.TimelineOf(timeline.HasSuffix(" starts")) {
			got = append(got, fetchesStart(in.At, len(in.Events)))
		}
		at, _ := r.When(fetchAllReturned(err))
		got = append(got, fetchAllReturnsAt(at, err))
		want := []string{fetchesStart(0, 2), fetchAllReturnsAt(2*time.Second, context.Canceled)}
		if !harness.Diff(t, harness.Say("msg.cancel_ignored_what", nil), got, want) {
			t.Error(harness.Say("msg.cancel_ignored", harness.Args{"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}

// FetchAllCancelsItsContext: when FetchAll returns, the ctx it gave the
// fetches has ended (defer cancel()), so that nothing a fetch left behind
// watching it goes on running, and the context's resources are freed.
func FetchAllCancelsItsContext(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		r := timeline.New()
		scripts := ones(4, 1*time.Second)
		f := newFetcher(r, scripts...)
		var (
			mu   sync.Mutex
			ctxs []context.Context
		)
		fetch := func(ctx context.Context, url string) (string, error) {
			mu.Lock()
			ctxs = append(ctxs, ctx)
			mu.Unlock()
			return f.fetch(ctx, url)
		}
		r.Lane(harness.Say("lane.caller", nil))
		end := r.Begin(fetchAllCall(2, urlsOf(scripts)))
		_, err := code.FetchAll(t.Context(), 2, urlsOf(scripts), fetch)
		end()
		r.Record(fetchAllReturned(err))
		mu.Lock()
		defer mu.Unlock()
		if err != nil || len(ctxs) != len(scripts) {
			t.Error(harness.Count("msg.context_not_fetched", len(ctxs), harness.Args{"Err": errs.Text(err), "N": len(scripts),
				"Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
			return
		}
		live := 0
		for _, c := range ctxs {
			if c.Err() == nil {
				live++
			}
		}
		if live > 0 {
			t.Error(harness.Count("msg.context_live", live, harness.Args{"N": len(ctxs), "Where": code.Funcs.Yours("FetchAll"), "Story": timeline.Story(r)}))
		}
	})
}
