package core

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestParseHeader(t *testing.T) {
	tests := []struct {
		line   string
		id     int
		inside string
		ok     bool
	}{
		{"goroutine 18 [chan receive, synctest bubble 3]:", 18, "chan receive, synctest bubble 3", true},
		{"goroutine 1 [running]:", 1, "running", true},
		{"goroutine 7 gp=0xc000007a40 m=0 mp=0x7c2f20 [running]:", 7, "running", true},
		{"goroutine 7 gp=0xc000007a40 m=nil [select, 2 minutes]:", 7, "select, 2 minutes", true},
		{"goroutine x [running]:", 0, "", false},
		{"goroutine 3 running", 0, "", false},
		{"created by main.main in goroutine 1", 0, "", false},
	}
	for _, tt := range tests {
		id, inside, ok := parseHeader(tt.line)
		if id != tt.id || inside != tt.inside || ok != tt.ok {
			t.Errorf("parseHeader(%q) = %d, %q, %v; want %d, %q, %v", tt.line, id, inside, ok, tt.id, tt.inside, tt.ok)
		}
	}
}

// TestGoroutineIDMatchesStack: the fast id is the one runtime.Stack shows, in any
// goroutine, in a bubble or not.
func TestGoroutineIDMatchesStack(t *testing.T) {
	if !fastGoroutineID() {
		t.Logf("goid does not know this Go release: GoroutineID reads runtime.Stack")
	}
	check := func(where string) {
		if got, want := GoroutineID(), stackGoroutineID(); got != want {
			t.Errorf("%s: GoroutineID() = %d, runtime.Stack says %d", where, got, want)
		}
	}
	check("test goroutine")
	done := make(chan bool)
	for range 3 {
		go func() { check("another goroutine"); done <- true }()
		<-done
	}
	synctest.Test(t, func(t *testing.T) {
		check("bubble")
		done := make(chan bool)
		go func() { check("goroutine in a bubble"); done <- true }()
		<-done
	})
}

// stackGoroutineID is the calling goroutine's id as runtime.Stack says it.
func stackGoroutineID() int {
	id, _ := currentGoroutine()
	return id
}

// TestParseStacksReadsEveryDump: a dump of goroutines in many states, in a
// bubble and outside, deep enough for the runtime to elide frames, parses
// with nothing left unread, and every frame has its line.
func TestParseStacksReadsEveryDump(t *testing.T) {
	unparsed.take()
	var mu sync.Mutex
	mu.Lock()
	cond := sync.NewCond(&sync.Mutex{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var deep func(n int)
	deep = func(n int) {
		if n == 0 {
			<-stop
			return
		}
		deep(n - 1)
	}
	wg.Go(func() { <-stop })
	wg.Go(func() {
		select {
		case <-stop:
		case <-time.After(time.Hour):
		}
	})
	wg.Go(func() { mu.Lock(); mu.Unlock() })
	wg.Go(func() { cond.L.Lock(); cond.Wait(); cond.L.Unlock() })
	wg.Go(func() { deep(300) }) // more than the runtime prints
	wg.Go(func() { runtime.LockOSThread(); <-stop })
	time.Sleep(10 * time.Millisecond) // let them all block
	var inBubble []goroutine
	synctest.Test(t, func(t *testing.T) {
		ch := make(chan int)
		go func() { <-ch }()
		go func() {
			select {
			case <-ch:
			case <-time.After(time.Hour):
			}
		}()
		synctest.Wait()
		inBubble = othersInBubble()
		close(ch)
	})
	all := dumpGoroutines()
	close(stop)
	mu.Unlock()
	cond.L.Lock()
	cond.Broadcast()
	cond.L.Unlock()
	wg.Wait()

	if n, first := unparsed.take(); n > 0 {
		t.Errorf("%d parts of the dump could not be read; the first:\n%s", n, strings.Join(first, "\n---\n"))
	}
	if len(inBubble) != 2 {
		t.Errorf("the bubble's other goroutines: got %d, want 2", len(inBubble))
	}
	sawElided := false
	for _, g := range append(all, inBubble...) {
		if len(g.Frames) == 0 {
			t.Errorf("goroutine %d [%s] has no frames", g.ID, g.State)
		}
		for _, f := range g.Frames {
			if f.Line <= 0 || f.File == "" || f.Func == "" {
				t.Errorf("goroutine %d: frame %+v lacks its function, file or line", g.ID, f)
			}
		}
		if len(g.Frames) >= 100 {
			sawElided = true
		}
	}
	if !sawElided {
		t.Error("no goroutine deep enough for the runtime to elide frames: the test lost its point")
	}
}

// TestParseStacksNotesWhatItCannotRead: a block it cannot read is noted,
// and the goroutines around it are still read.
func TestParseStacksNotesWhatItCannotRead(t *testing.T) {
	good := "goroutine 7 [chan receive]:\nmain.f()\n\t/x/main.go:3 +0x1d\ncreated by main.main in goroutine 1\n\t/x/main.go:9 +0x25"
	tests := []struct {
		name string
		bad  string
	}{
		{"header", "goroutine seven [running]:\nmain.g()\n\t/x/main.go:4"},
		{"bubble", "goroutine 8 [select, synctest bubble x]:\nmain.g()\n\t/x/main.go:4"},
		{"frame without location", "goroutine 8 [running]:\nmain.g()\nmain.h()"},
		{"location without line", "goroutine 8 [running]:\nmain.g()\n\t/x/main.go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unparsed.take()
			gs := parseStacks(good+"\n\n"+tt.bad+"\n\n"+good, anyBubble)
			n, _ := unparsed.take()
			if n == 0 {
				t.Errorf("parseStacks read %q without a note", tt.bad)
			}
			ids := 0
			for _, g := range gs {
				if g.ID == 7 {
					ids++
				}
			}
			if ids != 2 {
				t.Errorf("the readable goroutines around it: got %d, want 2", ids)
			}
		})
	}
}
