package grader

import (
	"runtime"
	"time"
)

// Options tune a Grade call. The zero value grades every exercise once,
// with the race detector, NumCPU exercises at a time.
type Options struct {
	NoRace       bool          // build without -race (the race detector is on by default)
	Count        int           // runs of each check (-test.count); default 1
	Env          []string      // extra environment for the test binaries, e.g. "GOMAXPROCS=1"
	Jobs         int           // exercises graded at once; default runtime.NumCPU()
	BuildTimeout time.Duration // per build; default 10 minutes
	RunTimeout   time.Duration // per test binary run (-test.timeout); default 2 minutes
	Exercises    []string      // grade only these; default all
}

func (o Options) withDefaults() Options {
	if o.Count <= 0 {
		o.Count = 1
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.BuildTimeout <= 0 {
		o.BuildTimeout = 10 * time.Minute
	}
	if o.RunTimeout <= 0 {
		o.RunTimeout = 2 * time.Minute
	}
	return o
}
