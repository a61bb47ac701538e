package grader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"asynclab/catalog"
	"asynclab/grader/sandbox"
)

// The gate in a process of its own (issue 13). go/types evaluates a
// submission's constant expressions and instantiates its generics: a
// 47-line file that doubles a string constant forty times makes it build
// gigabytes. So the grader never type-checks untrusted code in its own
// process. Gate workers do it: children of the grader (its own executable,
// started again with gateWorkerEnv set; see init), each under a memory
// limit, each checking one submission at a time under a wall-clock limit.
// A worker keeps the type information of the packages it has loaded (the
// standard library's, the harness's) from one request to the next, so a
// batch pays for it once per worker, not once per student. A worker that
// goes over a limit is killed, the files it was checking are rejected with
// the limit named, and the next request gets a new worker.

// GateLimits bound the gate's work on untrusted files.
type GateLimits struct {
	Memory int64         // bytes of memory of a worker, its loaded packages included
	Time   time.Duration // wall-clock time to check one exercise's files
}

// DefaultGateLimits are generous for honest code, which a worker checks
// in milliseconds once its packages are loaded, with a few hundred MB.
var DefaultGateLimits = GateLimits{Memory: 1 << 30, Time: 10 * time.Second}

// gateWorkerEnv, set to the path of a Unix socket, makes any program that
// links this package a gate worker serving that socket instead of running.
const gateWorkerEnv = "ASYNCLAB_GATE_WORKER"

func init() {
	// Before main and before testing's flags: a worker is the grader's
	// own executable, or the test binary of a package that links grader.
	if addr, ok := os.LookupEnv(gateWorkerEnv); ok {
		os.Unsetenv(gateWorkerEnv)
		os.Exit(serveGate(addr))
	}
}

// gateRequest asks a worker to gate one exercise's files.
type gateRequest struct {
	Root, Module string
	Exercise     gateExercise
	Files        map[string]string
}

// gateExercise is what Gate reads of an Exercise. Imports keeps nil (the
// default list) apart from empty (no imports at all).
type gateExercise struct {
	Name, Dir                         string
	StudentFiles, GivenFiles, Imports []string
}

// gateResponse is Gate's answer.
type gateResponse struct {
	Violations []wireViolation
	Err        string
}

// wireViolation is a Violation with the text key and arguments that
// Violation keeps unexported, so that it is said in the student's language.
type wireViolation struct {
	Violation
	Key  string       `json:"key,omitempty"`
	Args catalog.Args `json:"args,omitempty"`
}

// serveGate answers gate requests on the socket at addr until it closes.
func serveGate(addr string) int {
	conn, err := net.Dial("unix", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gate worker:", err)
		return 2
	}
	defer conn.Close()
	dec, enc := json.NewDecoder(conn), json.NewEncoder(conn)
	for {
		var req gateRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			fmt.Fprintln(os.Stderr, "gate worker:", err)
			return 2
		}
		x := req.Exercise
		e := Exercise{Name: x.Name, Dir: x.Dir, StudentFiles: x.StudentFiles, GivenFiles: x.GivenFiles, Imports: x.Imports}
		vs, err := Gate(&Course{Root: req.Root, Module: req.Module}, &e, req.Files)
		var resp gateResponse
		if err != nil {
			resp.Err = err.Error()
		}
		for _, v := range vs {
			resp.Violations = append(resp.Violations, wireViolation{Violation: v, Key: v.key, Args: v.args})
		}
		if err := enc.Encode(resp); err != nil {
			return 2
		}
	}
}

// gateWorker is a running worker, warmed for one course.
type gateWorker struct {
	root   string
	memory int64 // its memory limit
	p      *sandbox.Process
	conn   net.Conn
	dec    *json.Decoder
	enc    *json.Encoder
	log    *capped // its stderr

	ended chan struct{} // closed once the process has ended; then res holds
	res   sandbox.Result
}

// gatePool holds the idle workers; at most cap(slots) work at once.
type gatePool struct {
	slots chan struct{}
	mu    sync.Mutex
	idle  []*gateWorker
}

var (
	gates   = &gatePool{slots: make(chan struct{}, runtime.NumCPU())}
	gateSeq atomic.Int64
)

// errGateLimit is a limit a worker reached on a student's files: key is
// the message, args its arguments.
type errGateLimit struct {
	key  string
	args catalog.Args
}

func (e *errGateLimit) Error() string { return fmt.Sprintf("gate %s: %v", e.key, e.args) }

// gateLimits is the limit a worker reached on a student's files. Which of
// the two a runaway constant reaches first, memory or time, depends on
// how busy the machine is: the message names both, the same every time.
func gateLimits(memory int64, time time.Duration) *errGateLimit {
	return &errGateLimit{key: "gate.limits", args: catalog.Args{"Memory": sandbox.Bytes(memory), "Time": time, "MaxConstant": sandbox.Bytes(MaxStringConstant)}}
}

// errGateCrash is a worker's death while gating, not at a limit.
type errGateCrash struct{ exit, log string }

func (e *errGateCrash) Error() string {
	return fmt.Sprintf("the gate's worker failed (%s): %s", e.exit, e.log)
}

// GateIsolated gates e's student files (files, as in Gate) in a worker
// process under lim: the way to gate files that are not the course's own.
// A limit reached is a violation that rejects the exercise; an error is
// the grader's own failure (no worker could start, or one failed to load
// the packages the exercise allows).
func GateIsolated(ctx context.Context, c *Course, e *Exercise, files map[string]string, lim GateLimits) ([]Violation, error) {
	select {
	case gates.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-gates.slots }()
	req := gateRequest{Root: c.Root, Module: c.Module, Exercise: wireExercise(e), Files: files}
	var resp gateResponse
	for try := 1; ; try++ {
		w, err := gates.get(c, lim)
		if err != nil {
			return nil, err
		}
		resp, err = w.call(ctx, req, lim.Time)
		var limit *errGateLimit
		var crash *errGateCrash
		switch {
		case errors.As(err, &limit):
			return []Violation{limitViolation(e, files, limit)}, nil
		case errors.As(err, &crash) && try == 1:
			continue // the machine's fault, or the file's: a new worker tells
		case errors.As(err, &crash):
			// Twice, with workers that had just gated the course's own
			// files: the student's file makes the type checker die (a
			// single allocation larger than the machine, say).
			return []Violation{limitViolation(e, files, &errGateLimit{key: "gate.crashed", args: catalog.Args{"Limit": crash.exit}})}, nil
		case err != nil:
			return nil, err
		}
		gates.put(w)
		break
	}
	if resp.Err != "" {
		return nil, errors.New(resp.Err)
	}
	var vs []Violation
	for _, v := range resp.Violations {
		v.Violation.key, v.Violation.args = v.Key, v.Args
		vs = append(vs, v.Violation)
	}
	return vs, nil
}

// prewarmGate starts n gate workers for c in the background and warms them
// up, so that the first students of a batch do not wait for them.
func prewarmGate(c *Course, lim GateLimits, n int) {
	for range min(n, cap(gates.slots)) {
		go func() {
			gates.slots <- struct{}{}
			defer func() { <-gates.slots }()
			if w, err := gates.get(c, lim); err == nil {
				gates.put(w)
			}
		}()
	}
}

// limitViolation rejects e's files for the gate limit they reached, at
// the first student file.
func limitViolation(e *Exercise, files map[string]string, l *errGateLimit) Violation {
	file := "exercises/" + e.Name
	for _, f := range e.StudentFiles {
		if _, ok := files[f]; ok {
			file += "/" + f
			break
		}
	}
	return Violation{File: file, Line: 1, Rule: RuleLimit, Detail: say(catalog.English, l.key, l.args), key: l.key, args: l.args}
}

// wireExercise is what Gate reads of e.
func wireExercise(e *Exercise) gateExercise {
	return gateExercise{Name: e.Name, Dir: e.Dir, StudentFiles: e.StudentFiles, GivenFiles: e.GivenFiles, Imports: e.Imports}
}

// get takes an idle worker for c's course and lim, or starts one and
// warms it up, untimed, so that a student's request times only the
// student's code: for each exercise it gates a file of the course's making
// that imports every package the exercise allows (never the checkout's
// student files, which in a student's checkout are the student's).
func (g *gatePool) get(c *Course, lim GateLimits) (*gateWorker, error) {
	g.mu.Lock()
	for i, w := range g.idle {
		if w.root == c.Root && w.memory == lim.Memory {
			g.idle = slices.Delete(g.idle, i, i+1)
			g.mu.Unlock()
			return w, nil
		}
	}
	g.mu.Unlock()
	w, err := startGateWorker(c.Root, lim)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*gateWorker, error) {
		w.kill()
		return nil, fmt.Errorf("warming up the gate: %w", err)
	}
	dir, err := os.MkdirTemp("", "asynclab-gate-warm-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	for _, e := range c.Exercises {
		pkg, err := packageName(c, e, nil)
		if err != nil {
			continue // the gate says so for the student's files
		}
		var src strings.Builder
		fmt.Fprintf(&src, "package %s\n\nimport (\n", pkg)
		for _, p := range e.AllowedImports() {
			fmt.Fprintf(&src, "\t_ %q\n", p)
		}
		src.WriteString(")\n")
		warm := filepath.Join(dir, e.Name+".go")
		if err := os.WriteFile(warm, []byte(src.String()), 0o644); err != nil {
			return fail(err)
		}
		req := gateRequest{Root: c.Root, Module: c.Module, Exercise: wireExercise(e), Files: map[string]string{e.StudentFiles[0]: warm}}
		if _, err := w.call(context.Background(), req, 0); err != nil {
			return fail(err)
		}
	}
	return w, nil
}

// put keeps w for the next request. Workers beyond the pool's size (the
// workers of other courses) are stopped.
func (g *gatePool) put(w *gateWorker) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.idle = append(g.idle, w)
	if len(g.idle) > cap(g.slots) {
		g.idle[0].kill()
		g.idle = g.idle[1:]
	}
}

// startGateWorker starts a worker under lim's memory limit.
func startGateWorker(root string, lim GateLimits) (*gateWorker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("starting the gate: %w", err)
	}
	dir, err := os.MkdirTemp("", "asynclab-gate-")
	if err != nil {
		return nil, fmt.Errorf("starting the gate: %w", err)
	}
	defer os.RemoveAll(dir) // the socket's name is not needed once connected
	addr := filepath.Join(dir, fmt.Sprintf("%d.sock", gateSeq.Add(1)))
	ln, err := net.Listen("unix", addr)
	if err != nil {
		return nil, fmt.Errorf("starting the gate: %w", err)
	}
	defer ln.Close()
	w := &gateWorker{root: root, memory: lim.Memory, log: &capped{max: 16 << 10}, ended: make(chan struct{})}
	w.p, err = sandbox.Limited().Start(context.Background(), sandbox.Spec{
		Path: exe, Dir: root, Env: append(os.Environ(), gateWorkerEnv+"="+addr),
		Stdout: w.log, Stderr: w.log,
		Limits: sandbox.Limits{Memory: lim.Memory, Pids: 256, Output: 64 << 10},
	})
	if err != nil {
		return nil, fmt.Errorf("starting the gate: %w", err)
	}
	go func() {
		w.res, _ = w.p.Wait()
		close(w.ended)
	}()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, _ := ln.Accept() // nil once ln is closed
		accepted <- conn
	}()
	select {
	case w.conn = <-accepted:
	case <-w.ended:
	case <-time.After(time.Minute):
	}
	if w.conn == nil {
		w.kill()
		return nil, fmt.Errorf("the gate's worker did not start: %s", strings.TrimSpace(w.log.String()))
	}
	w.dec, w.enc = json.NewDecoder(w.conn), json.NewEncoder(w.conn)
	return w, nil
}

// call sends req and waits for the answer, at most limit when limit > 0.
// When the worker goes over a limit the error is an *errGateLimit, and
// the worker is gone.
func (w *gateWorker) call(ctx context.Context, req gateRequest, limit time.Duration) (gateResponse, error) {
	type answer struct {
		resp gateResponse
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		var a answer
		if a.err = w.enc.Encode(req); a.err == nil {
			a.err = w.dec.Decode(&a.resp)
		}
		got <- a
	}()
	var timer <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		timer = t.C
	}
	select {
	case a := <-got:
		if a.err == nil {
			return a.resp, nil
		}
		// The worker died mid-request: say why, once it has ended.
		w.kill()
		<-w.ended
		if w.res.Limit == sandbox.LimitMemory {
			return gateResponse{}, gateLimits(w.memory, limit)
		}
		return gateResponse{}, &errGateCrash{exit: fmt.Sprintf("exit status %d", w.res.Exit), log: strings.TrimSpace(w.log.String())}
	case <-timer:
		w.kill()
		return gateResponse{}, gateLimits(w.memory, limit)
	case <-ctx.Done():
		w.kill()
		return gateResponse{}, ctx.Err()
	}
}

// kill stops the worker.
func (w *gateWorker) kill() {
	if w.conn != nil {
		w.conn.Close()
	}
	w.p.Kill()
}
