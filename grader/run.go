package grader

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// killGrace is how long past -test.timeout a binary may take to print its
// own timeout report before the grader kills it.
const killGrace = 5 * time.Second

// run runs the checks named tests in the test binary bin, as go test would
// (in the exercise's folder), and reads its results through test2json.
func (s *session) run(ctx context.Context, e *Exercise, bin string, tests []string) (*runOutput, error) {
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	args := []string{
		"-test.v=test2json",
		"-test.paniconexit0",
		"-test.timeout=" + s.opts.RunTimeout.String(),
		fmt.Sprintf("-test.count=%d", s.opts.Count),
		"-test.run=^(" + strings.Join(quoted, "|") + ")$",
	}

	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	defer pw.Close()

	t2j := exec.CommandContext(ctx, s.test2json[0], append(s.test2json[1:], "-t", "-p", s.pkg(e))...)
	t2j.Stdin = pr
	t2jErr := &capped{max: 64 << 10}
	t2j.Stderr = t2jErr
	events, err := t2j.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := t2j.Start(); err != nil {
		return nil, fmt.Errorf("starting test2json: %w", err)
	}

	cmd := exec.Command(bin, args...)
	cmd.Dir = e.Dir
	cmd.Env = s.runEnv
	cmd.Stdout, cmd.Stderr = pw, pw
	setpgid(cmd)
	if err := cmd.Start(); err != nil {
		pw.Close()
		t2j.Wait()
		return nil, fmt.Errorf("starting the test binary: %w", err)
	}
	pw.Close() // the binary holds the write end now
	pr.Close()

	var killed atomic.Bool
	exited := make(chan struct{})
	go func() {
		timer := time.NewTimer(s.opts.RunTimeout + killGrace)
		defer timer.Stop()
		select {
		case <-timer.C:
			killed.Store(true)
		case <-ctx.Done():
		case <-exited:
		}
		killpg(cmd)
	}()
	waitErr := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		close(exited)
		killpg(cmd) // children left behind would keep the pipe open
		waitErr <- err
	}()

	out, readErr := readEvents(events, maxOutput)
	t2jWait := t2j.Wait()
	binWait := <-waitErr
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case readErr != nil:
		return nil, fmt.Errorf("reading test2json output: %w", readErr)
	case t2jWait != nil:
		return nil, fmt.Errorf("test2json: %v\n%s", t2jWait, t2jErr)
	case binWait != nil && cmd.ProcessState == nil:
		return nil, binWait
	}
	out.exit = cmd.ProcessState.ExitCode()
	out.killed = killed.Load()
	return out, nil
}
