package grader

import (
	"asynclab/grader/layeredcache"
	"asynclab/internal/wire"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"asynclab/grader/sandbox"

	"golang.org/x/sys/cpu"
)

// session is one Grade call's settings and scratch space.
type session struct {
	course    *Course
	opts      Options
	tmp       string
	goBin     string
	test2json []string
	buildEnv  []string
	runEnv    []string
	sandbox   *sandbox.Sandbox // where test binaries run
	// slots are the test binaries that may run at once (Jobs): a unit
	// takes one for its runs, and its checks that run alone take what
	// is free, for running at once (see runChecks).
	slots chan struct{}
	// noRace is why the checks are built without the race detector
	// (Incomplete.Cause), "" when they are built with it.
	noRace string
	cc     string // go env CC, for the notice
	// sharedExtra are more packages buildShared builds (Warm's).
	sharedExtra []string
	// sink stores the timelines test binaries hand over on pipes
	// (Options.Timelines in bubblewrap); nil when they write them.
	sink *timelineStore
}

// newSession checks the toolchain and makes the scratch folder; call the
// returned func to remove it.
func newSession(ctx context.Context, c *Course, opts Options) (*session, func(), error) {
	s := &session{course: c, opts: opts.withDefaults()}
	s.slots = make(chan struct{}, s.opts.Jobs)
	var err error
	if s.goBin, err = exec.LookPath("go"); err != nil {
		return nil, nil, fmt.Errorf("the go command is needed to grade: %w", err)
	}
	env := os.Environ()
	// Nothing is downloaded while student code is built: the course's own
	// modules are fetched beforehand (see probe), with the proxy allowed.
	s.buildEnv = slices.Concat(env, []string{"GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local", "GOPROXY=off"})
	if s.opts.GoCache != "" {
		s.buildEnv = append(s.buildEnv, "GOCACHE="+s.opts.GoCache)
	}
	if s.opts.GoCacheLower != "" {
		prog, ok := layeredcache.Command()
		if !ok {
			return nil, nil, errors.New("the grader's own path cannot be a GOCACHEPROG (it has both kinds of quotes)")
		}
		s.buildEnv = append(s.buildEnv, "GOCACHEPROG="+prog, layeredcache.LowerEnv+"="+s.opts.GoCacheLower)
	}
	// -race needs cgo; no C gets in, since the gate bans import "C" and
	// only .go files are taken from a submission. Without race, no cgo.
	if s.opts.NoRace {
		s.buildEnv = append(s.buildEnv, "CGO_ENABLED=0")
	}
	if s.opts.Sandbox == nil && os.Getenv("ASYNCLAB_SANDBOX") == "1" {
		// For measuring the sandbox's cost on the course's own tests: a
		// measurement without it would be a wrong one, so it is an error.
		s.opts.Sandbox = sandbox.Detect()
		if err := s.opts.Sandbox.WhyNotIsolated(); err != nil {
			return nil, nil, fmt.Errorf("ASYNCLAB_SANDBOX=1 asks for the sandbox: %w", err)
		}
		s.opts = s.opts.withDefaults()
	}
	s.sandbox = s.opts.Sandbox
	// The checks' messages are in the language asked for (see harness).
	extra := slices.Concat([]string{LangEnv + "=" + string(s.opts.Lang)}, s.opts.Env)
	if s.sandbox == nil {
		s.sandbox = sandbox.Plain()
		s.runEnv = slices.Concat(env, []string{"GORACE=" + raceOptions}, extra)
	} else {
		s.runEnv = sandboxEnv(env, extra)
	}

	s.sink = newTimelineStore(s.opts, s.sandbox)

	tc, err := s.probe(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.cc = tc.cc
	switch cause := tc.raceCause(); {
	case s.opts.NoRace:
		s.noRace = CauseNoRace
	case cause != "" && !s.opts.RaceOptional:
		return nil, nil, &NoRaceError{Cause: cause, CC: tc.cc, Lang: s.opts.Lang}
	case cause != "":
		// Grade what can be graded without it (see Options.RaceOptional).
		s.opts.NoRace, s.noRace = true, cause
		s.buildEnv = append(s.buildEnv, "CGO_ENABLED=0")
	}
	s.test2json = tc.test2json
	if tc.goamd64 != "" {
		s.buildEnv = append(s.buildEnv, "GOAMD64="+tc.goamd64)
	}

	if s.tmp, err = os.MkdirTemp(s.opts.TempDir, "asynclab-grade-"); err != nil {
		return nil, nil, fmt.Errorf("no space to build in: %w", err)
	}
	return s, func() { os.RemoveAll(s.tmp) }, nil
}

// LangEnv is the environment variable that tells a test binary the
// language of its messages.
const LangEnv = wire.LangEnv

// raceOptions configure the race detector in the test binaries.
// atexit_sleep_ms=0: otherwise every binary sleeps 1s at exit.
// suppress_equal_*=0: otherwise a race is reported once per process, so it
// would fail only the first check that runs into it, and a check's verdict
// would depend on which checks ran before it in the same binary.
//
// halt_on_error=1: the first race ends the binary, the check it was in
// fails for it, and the checks after it run again in processes of their
// own. A race is also how code with no unsafe import gets at memory it
// should not (two words of an interface written apart, then read as one
// type and used as another): past the first race, nothing the binary says
// can be trusted, so it must say nothing more.
const raceOptions = "atexit_sleep_ms=0 suppress_equal_stacks=0 suppress_equal_addresses=0 halt_on_error=1"

// sandboxEnv is the whole environment of a sandboxed test binary: the race
// detector's options, the grader's own settings (ASYNCLAB_*), GOMAXPROCS
// when set, a HOME and TMPDIR in the sandbox's /tmp, and extra; nothing
// else of the grader's environment (tokens, paths) is passed on.
func sandboxEnv(env, extra []string) []string {
	out := []string{"GORACE=" + raceOptions, "HOME=/tmp", "TMPDIR=/tmp"}
	for _, kv := range env {
		if strings.HasPrefix(kv, wire.EnvPrefix) || strings.HasPrefix(kv, "GOMAXPROCS=") {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

// toolchain is what Grade needs to know about the go command.
type toolchain struct {
	cgo       bool     // go env CGO_ENABLED is 1
	cc        string   // go env CC
	ccFound   bool     // and that C compiler is on PATH
	test2json []string // command that filters test output into JSON events
	goamd64   string   // GOAMD64 for the builds, "" to leave it be
}

// hasAMD64v3 reports whether this machine runs GOAMD64=v3 code. The grader
// then builds for v3 when GOAMD64 is left at its default, v1: the race
// detector's v3 runtime needs nothing from libgcc, so the linker skips
// searching and loading it, a third of linking a race-enabled test binary
// (measured: 0.37 s down to 0.25 s), and the binaries run only here.
func hasAMD64v3() bool {
	x := cpu.X86
	return x.HasAVX && x.HasAVX2 && x.HasBMI1 && x.HasBMI2 && x.HasF16C && x.HasFMA && x.HasLZCNT && x.HasMOVBE &&
		x.HasOSXSAVE && x.HasPOPCNT && x.HasSSE3 && x.HasSSSE3 && x.HasSSE41 && x.HasSSE42 && x.HasCX16
}

// toolchains caches probe results: they hold for the life of the process,
// and each costs a go command.
var toolchains sync.Map // go binary, course root and the environment that decides cgo -> toolchain

func (s *session) probe(ctx context.Context) (toolchain, error) {
	// Whether cgo can be used depends on the environment too.
	key := strings.Join([]string{s.goBin, s.course.Root, os.Getenv("CGO_ENABLED"), os.Getenv("CC"), os.Getenv("PATH")}, "\x00")
	if tc, ok := toolchains.Load(key); ok {
		return tc.(toolchain), nil
	}
	// The course's own modules (trusted: its go.mod) are fetched once,
	// with the user's proxy settings, so that a fresh clone builds with
	// GOPROXY=off. Offline with an empty cache, this fails, and so will
	// the build, which says why.
	// It runs on copies of go.mod and go.sum: grading never edits the
	// course.
	if dir, err := os.MkdirTemp(s.opts.TempDir, "asynclab-mod-"); err == nil {
		for _, f := range []string{"go.mod", "go.sum"} {
			copyFile(filepath.Join(s.course.Root, f), filepath.Join(dir, f))
		}
		dl := exec.CommandContext(ctx, s.goBin, "mod", "download")
		dl.Dir = dir
		dl.Env = slices.Concat(os.Environ(), []string{"GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local"})
		dl.Run()
		os.RemoveAll(dir)
	}

	out, err := s.goCmd(ctx, "env", "-json", "CGO_ENABLED", "GOARCH", "GOHOSTARCH", "GOAMD64", "CC")
	if err != nil {
		return toolchain{}, err
	}
	var vars map[string]string
	if err := json.Unmarshal([]byte(out), &vars); err != nil {
		return toolchain{}, fmt.Errorf("go env: unexpected output %q: %w", out, err)
	}
	tc := toolchain{cgo: vars["CGO_ENABLED"] == "1", cc: vars["CC"]}
	if cc := strings.Fields(tc.cc); len(cc) > 0 {
		_, err := exec.LookPath(cc[0])
		tc.ccFound = err == nil
	}
	if vars["GOARCH"] == "amd64" && vars["GOHOSTARCH"] == "amd64" && vars["GOAMD64"] == "v1" && os.Getenv("GOAMD64") == "" && hasAMD64v3() {
		tc.goamd64 = "v3"
	}
	// Asking for the tool's path builds it once; running it directly then
	// saves a go command per test run.
	if t2j, err := s.goCmd(ctx, "tool", "-n", "test2json"); err == nil && fileExists(t2j) {
		tc.test2json = []string{t2j}
	} else {
		tc.test2json = []string{s.goBin, "tool", "test2json"}
	}
	toolchains.Store(key, tc)
	return tc, nil
}

// goCmd runs the go command in the course root and returns its output.
func (s *session) goCmd(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.goBin, args...)
	cmd.Dir = s.course.Root
	cmd.Env = s.buildEnv
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%v: %s", err, exit.Stderr)
		}
		return "", fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// pkg is the import path of an exercise, as test2json reports it.
func (s *session) pkg(e *Exercise) string {
	return path.Join(s.course.Module, filepath.ToSlash(relTo(s.course.Root, e.Dir)))
}
