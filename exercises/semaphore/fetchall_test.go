//go:build grader

package semaphore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"asynclab/harness"
)

// fetcher is the fetch function the checks give FetchAll. Each URL plays a
// Script (named after the URL), which records "<url> starts", "<url> sees
// cancel" and "<url> returns". It also counts how many fetches run at once.
type fetcher struct {
	r       *harness.Recorder
	scripts map[string]harness.Script[string]
	// roles, when set, replaces scripts: the i-th fetch to start plays
	// roles[i] (the last one for every fetch after), whatever its URL, so
	// that a check does not depend on the order in which FetchAll starts
	// the fetches.
	roles []harness.Script[string]

	mu      sync.Mutex
	running int
	peak    int
	started map[string]int
}

func newFetcher(r *harness.Recorder, scripts ...harness.Script[string]) *fetcher {
	f := &fetcher{r: r, scripts: map[string]harness.Script[string]{}, started: map[string]int{}}
	for _, sc := range scripts {
		f.scripts[sc.Name] = sc
	}
	return f
}

// urls are the URLs of the scripts, in order.
func urlsOf(scripts []harness.Script[string]) []string {
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
		f.r.Record("fetch of unknown URL " + url)
		return "", fmt.Errorf("no such URL: %q", url)
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
			bad = append(bad, fmt.Sprintf("%s was fetched %d times", u, n))
		}
	}
	return bad
}

// call runs FetchAll and records "FetchAll returned ..." when it returns.
func call(t *testing.T, r *harness.Recorder, ctx context.Context, limit int, urls []string, f *fetcher) ([]string, error) {
	t.Helper()
	res, err := FetchAll(ctx, limit, urls, f.fetch)
	r.Record("FetchAll returned " + errText(err))
	synctest.Wait()
	return res, err
}

// ones is n URLs u1..un that each take d.
func ones(n int, d time.Duration) []harness.Script[string] {
	var scripts []harness.Script[string]
	for i := range n {
		scripts = append(scripts, harness.Succeeds(fmt.Sprintf("u%d", i+1), d))
	}
	return scripts
}

// TestFetchAllResultsInOrder: the results come back in the order of urls,
// not in the order the fetches finish.
func TestFetchAllResultsInOrder(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		var scripts []harness.Script[string]
		for i, d := range []time.Duration{3 * s, 1 * s, 2 * s, 1 * s, 2 * s, 1 * s} {
			scripts = append(scripts, harness.Succeeds(fmt.Sprintf("u%d", i+1), d))
		}
		f := newFetcher(r, scripts...)
		got, err := call(t, r, t.Context(), 3, urlsOf(scripts), f)
		var want []string
		for _, sc := range scripts {
			want = append(want, sc.Value)
		}
		if err != nil {
			t.Errorf("FetchAll(ctx, 3, %v) returned error %v; every fetch succeeded, so it should return nil %s\nWhat happened:\n%s",
				urlsOf(scripts), err, where("FetchAll"), harness.FormatTimeline(r))
			return
		}
		if !harness.Diff(t, fmt.Sprintf("the results of FetchAll(ctx, 3, urls) for %s", harness.Describe(scripts)), got, want) {
			t.Errorf("results[i] must be what fetch returned for urls[i], whatever order the fetches finished in %s\nWhat happened:\n%s", where("FetchAll"), harness.FormatTimeline(r))
		}
	})
}

// TestFetchAllNeverMoreThanLimit: at most limit fetches run at any moment,
// and every URL is fetched once.
func TestFetchAllNeverMoreThanLimit(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		scripts := ones(10, 1*s)
		f := newFetcher(r, scripts...)
		call(t, r, t.Context(), 3, urlsOf(scripts), f)
		if f.peak > 3 {
			t.Errorf("FetchAll(ctx, 3, urls) with 10 URLs of 1s each ran %d fetches at once; it must never run more than 3 %s\nWhat happened:\n%s",
				f.peak, where("FetchAll"), harness.FormatTimeline(r))
		}
		if bad := f.badCounts(urlsOf(scripts)); len(bad) > 0 {
			t.Errorf("FetchAll(ctx, 3, urls) with 10 URLs of 1s each must fetch every URL exactly once, but:\n  %s\n%s\nWhat happened:\n%s",
				strings.Join(bad, "\n  "), where("FetchAll"), harness.FormatTimeline(r))
		}
	})
}

// TestFetchAllTakesFourSeconds: 10 fetches of 1s with limit 3 take exactly
// 4s: 3, 3, 3, then 1.
func TestFetchAllTakesFourSeconds(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		scripts := ones(10, 1*s)
		f := newFetcher(r, scripts...)
		_, err := call(t, r, t.Context(), 3, urlsOf(scripts), f)
		var got []string
		for _, in := range r.TimelineOf(harness.HasSuffix(" starts")) {
			got = append(got, fmt.Sprintf("at %v: %d fetches start", in.At, len(in.Events)))
		}
		at, _ := r.When("FetchAll returned " + errText(err))
		got = append(got, fmt.Sprintf("at %v: FetchAll returns %s", at, errText(err)))
		want := []string{
			"at 0s: 3 fetches start",
			"at 1s: 3 fetches start",
			"at 2s: 3 fetches start",
			"at 3s: 1 fetches start",
			"at 4s: FetchAll returns nil",
		}
		if !harness.Diff(t, "what FetchAll(ctx, 3, urls) did with 10 URLs of 1s each", got, want) {
			t.Errorf("with limit 3, three fetches run from the start, and each time they finish the next three start, so the 10 URLs take exactly 4s %s\nWhat happened:\n%s",
				where("FetchAll"), harness.FormatTimeline(r))
		}
	})
}

// TestFetchAllStartsNextAtOnce: whenever a fetch finishes and URLs are
// left, the next fetch starts at that instant, so limit fetches run as
// long as there are that many left.
func TestFetchAllStartsNextAtOnce(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		var scripts []harness.Script[string]
		for i, d := range []time.Duration{5 * s, 1 * s, 2 * s, 1 * s, 3 * s, 1 * s, 2 * s, 1 * s, 1 * s, 2 * s} {
			scripts = append(scripts, harness.Succeeds(fmt.Sprintf("u%d", i+1), d))
		}
		const limit = 3
		f := newFetcher(r, scripts...)
		call(t, r, t.Context(), limit, urlsOf(scripts), f)
		n := len(scripts)
		started, finished := 0, 0
		fail := func(format string, args ...any) {
			t.Errorf("FetchAll(ctx, %d, urls) with %s: %s. As long as there is work, FetchAll must keep %d fetches running: each time one finishes, the next URL starts at that very instant, without waiting for the others %s\nWhat happened:\n%s",
				limit, harness.Describe(scripts), fmt.Sprintf(format, args...), limit, where("FetchAll"), harness.FormatTimeline(r))
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
				fail("after the events at %v, %d fetches had finished and %d were running, but %d should have been", in.At, finished, running, want)
				return
			}
		}
		if finished != n {
			fail("only %d of the %d fetches ran", finished, n)
		}
	})
}

// failing is the scenario of the error checks: all three start at once,
// b fails at 1s, a would take 3s and c 2s. a goes on working stubborn
// after it sees the cancellation.
func failing(stubborn time.Duration) ([]harness.Script[string], error) {
	errB := errors.New("b failed")
	a := harness.Succeeds("a", 3*s)
	a.Stubborn = stubborn
	return []harness.Script[string]{a, {Name: "b", Delay: 1 * s, Err: errB}, harness.Succeeds("c", 2*s)}, errB
}

// TestFetchAllErrorCancelsRunning: when a fetch fails, the running ones see
// their ctx cancelled at that instant.
func TestFetchAllErrorCancelsRunning(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		scripts, _ := failing(0)
		f := newFetcher(r, scripts...)
		call(t, r, t.Context(), 3, urlsOf(scripts), f)
		harness.AssertTimelineOf(t, r, harness.HasSuffix(" sees cancel"),
			[]harness.Instant{harness.At(1*s, "a sees cancel", "c sees cancel")},
			"FetchAll(ctx, 3, urls) with %s: b failed at 1s, so at that instant a and c, still running, should see their ctx cancelled %s. They saw it at these times instead:",
			harness.Describe(scripts), where("FetchAll"))
	})
}

// TestFetchAllReturnsFirstErrorAfterFetches: FetchAll returns the first
// error, and only once every fetch it started has returned.
func TestFetchAllReturnsFirstErrorAfterFetches(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		scripts, errB := failing(1 * s)
		f := newFetcher(r, scripts...)
		_, err := call(t, r, t.Context(), 3, urlsOf(scripts), f)
		at, _ := r.When("FetchAll returned " + errText(err))
		switch {
		case !errors.Is(err, errB):
			t.Errorf("FetchAll(ctx, 3, urls) with %s returned %s; it should return the first error, b's (%q): the errors of a and c, which came from the cancellation, are consequences of it %s\nWhat happened:\n%s",
				harness.Describe(scripts), errText(err), errB, where("FetchAll"), harness.FormatTimeline(r))
		case at != 2*s:
			t.Errorf("FetchAll(ctx, 3, urls) with %s returned b's error at %v; b failed at 1s and a, cancelled then, took until 2s to return. FetchAll must wait for every fetch it started to return before it returns, at 2s: otherwise they would go on running behind the caller's back %s\nWhat happened:\n%s",
				harness.Describe(scripts), at, where("FetchAll"), harness.FormatTimeline(r))
		}
	})
}

// TestFetchAllErrorStopsStarting: after a fetch fails, no new fetch starts.
func TestFetchAllErrorStopsStarting(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		errFailed := errors.New("fetch failed")
		urls := []string{"u1", "u2", "u3", "u4"}
		f := newFetcher(r)
		f.roles = []harness.Script[string]{
			{Delay: 3 * s, Value: "slow"},
			{Delay: 1 * s, Err: errFailed},
			{Delay: 1 * s, Value: "quick"},
		}
		_, err := call(t, r, t.Context(), 2, urls, f)
		var got []string
		for _, in := range r.TimelineOf(harness.HasSuffix(" starts")) {
			got = append(got, fmt.Sprintf("at %v: %d fetches start", in.At, len(in.Events)))
		}
		// Which error comes back is TestFetchAllReturnsFirstErrorAfterFetches's
		// business; here it is enough that one does.
		if err != nil {
			got = append(got, "FetchAll returns an error")
		} else {
			got = append(got, "FetchAll returns nil")
		}
		want := []string{"at 0s: 2 fetches start", "FetchAll returns an error"}
		if !harness.Diff(t, "what FetchAll(ctx, 2, urls) did with 4 URLs, where the first to start takes 3s and the second fails at 1s", got, want) {
			t.Errorf("once a fetch has failed, FetchAll must not start any other: the two URLs left are never fetched %s\nWhat happened:\n%s",
				where("FetchAll"), harness.FormatTimeline(r))
		}
	})
}

// TestFetchAllCallerCancels: cancelling FetchAll's ctx cancels the running
// fetches, starts no more, and FetchAll returns an error.
func TestFetchAllCallerCancels(t *testing.T) {
	harness.Run(t, func(t *testing.T) {
		defer guard(t)
		r := harness.NewRecorder()
		scripts := ones(3, 2*s)
		f := newFetcher(r, scripts...)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var wg sync.WaitGroup
		var err error
		spawn(t, &wg, func() { _, err = call(t, r, ctx, 2, urlsOf(scripts), f) })
		time.Sleep(1 * s)
		r.Record("caller cancels")
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
				got = append(got, fmt.Sprintf("at %v: %d fetches start", in.At, starts))
			}
			if cancels > 0 {
				got = append(got, fmt.Sprintf("at %v: %d fetches see cancel", in.At, cancels))
			}
		}
		at, _ := r.When("FetchAll returned " + errText(err))
		got = append(got, fmt.Sprintf("at %v: FetchAll returns %s", at, errText(err)))
		want := []string{
			"at 0s: 2 fetches start",
			"at 1s: 2 fetches see cancel",
			"at 1s: FetchAll returns context.Canceled",
		}
		if !harness.Diff(t, "what FetchAll(ctx, 2, urls) did with 3 URLs of 2s each, when the caller cancelled ctx at 1s", got, want) {
			t.Errorf("the fetches must get a ctx derived from FetchAll's ctx, so that the caller's cancel reaches them; after it, no fetch starts, and FetchAll returns the error (context.Canceled) once the running ones have returned %s\nWhat happened:\n%s",
				where("FetchAll"), harness.FormatTimeline(r))
		}
	})
}
