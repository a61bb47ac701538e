package grader

import (
	"asynclab/catalog"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Grade grades a submission: for each exercise, it builds the checks with
// the submission's student files, runs them and scores them with the
// rubric. A problem with the grading machinery itself (no go command, no
// temporary space) is returned as an error, never as a score.
func Grade(ctx context.Context, c *Course, sub Submission, opts Options) (*Report, error) {
	s, cleanup, err := newSession(ctx, c, opts)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	exercises, err := c.selected(s.opts.Exercises)
	if err != nil {
		return nil, err
	}

	// A student's checkout is graded as batch will grade the student's
	// files: with the course's given files and nothing else of theirs.
	var orig Originals
	if s.opts.Checkout {
		var err error
		if orig, err = LoadOriginals(c.Root); err != nil && !errors.Is(err, ErrNoOriginals) {
			return nil, err
		}
		sub = maps.Clone(sub)
	}

	reports := make([]ExerciseReport, len(exercises))
	// First what needs no build (missing files, the gate), then one build
	// for every exercise left, then the runs, Jobs at a time.
	var todo []*Exercise
	index := map[string]int{}
	for i, e := range exercises {
		var notices []Notice
		if s.opts.Checkout {
			var err error
			if sub[e.Name], notices, err = s.checkout(e, sub[e.Name], orig); err != nil {
				return nil, fmt.Errorf("grading %s: %w", e.Name, err)
			}
		}
		done, err := s.prepare(ctx, e, sub[e.Name], &reports[i])
		reports[i].Notices = notices
		if err != nil {
			return nil, fmt.Errorf("grading %s: %w", e.Name, err)
		}
		if done {
			s.opts.progress(e.Name, PhaseDone)
			continue
		}
		todo = append(todo, e)
		index[e.Name] = i
	}
	// The student's time budget covers building their code and running
	// it: a file whose compile stays just under the build's limits would
	// otherwise cost minutes per exercise, in the first build and again in
	// each rebuild. The course's own packages are built before it starts.
	if len(todo) > 0 {
		s.prelude(ctx)
	}
	b := newBudget(s.opts.budget(len(todo)))
	report := func(e *Exercise) *ExerciseReport { return &reports[index[e.Name]] }
	units, err := s.buildBudgeted(ctx, b, todo, sub, false, report)
	if err != nil {
		return nil, err
	}
	for len(units) > 0 {
		blocked, err := s.runUnits(ctx, units, b, report)
		if err != nil {
			return nil, err
		}
		if len(blocked) == 0 {
			break
		}
		slices.SortFunc(blocked, func(a, b *Exercise) int { return index[a.Name] - index[b.Name] })
		if b.spent() {
			s.outOfBudget(b, blocked, report)
			break
		}
		// A bundle's exercise package whose initializers never ended
		// kept the checks of the others linked with it from starting
		// (see unit.blame): they are built again without it, and run.
		// Each round leaves out one exercise at least.
		if units, err = s.buildBudgeted(ctx, b, blocked, sub, true, report); err != nil {
			return nil, err
		}
	}
	r := &Report{Exercises: reports}
	if s.opts.Sandbox != nil {
		r.Isolation = s.opts.Sandbox.Isolation(s.opts.Limits)
	}
	for _, e := range reports {
		r.Score += e.Score
		r.Max += e.Max
	}
	r.Incomplete = s.incomplete(r)
	return r, nil
}

// buildBudgeted builds exs within budget b, settles the reports of those
// whose build failed, and returns the units to run. When the budget runs
// out during a first build, the exercises left without a test binary
// failed to build, for taking too long, as a build that reaches its limits
// does; during a rebuild (rebuild set), every exercise of exs fails as
// timed out, its checks never run.
func (s *session) buildBudgeted(ctx context.Context, b *budget, exs []*Exercise, sub Submission, rebuild bool, report func(*Exercise) *ExerciseReport) ([]*unit, error) {
	if len(exs) == 0 {
		return nil, nil
	}
	for _, e := range exs {
		s.opts.progress(e.Name, PhaseBuilding)
	}
	bctx, cancel := context.WithDeadline(ctx, b.end)
	defer cancel()
	bins, err := s.buildAll(bctx, exs, sub)
	if err != nil && ctx.Err() == nil && bctx.Err() != nil {
		if rebuild {
			s.outOfBudget(b, exs, report)
			return nil, nil
		}
		if bins == nil {
			bins = map[string]built{}
		}
		for _, e := range exs {
			if bins[e.Name].bin == "" {
				bins[e.Name] = built{status: StatusBuildFailed, output: say(s.opts.Lang, "build.budget", catalog.Args{"Budget": b.limit})}
			}
		}
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("building: %w", err)
	}
	return s.units(exs, bins, report), nil
}

// outOfBudget fails exs, whose checks budget b left no time for.
func (s *session) outOfBudget(b *budget, exs []*Exercise, report func(*Exercise) *ExerciseReport) {
	for _, e := range exs {
		r := report(e)
		r.Checks = s.failAll(e, ReasonTimedOut, say(s.opts.Lang, "verdict.budget", catalog.Args{"Budget": b.limit}))
		r.total()
		s.opts.progress(e.Name, PhaseDone)
	}
}

// selected returns the exercises called names, all of them if none.
func (c *Course) selected(names []string) ([]*Exercise, error) {
	if len(names) == 0 {
		return c.Exercises, nil
	}
	var out []*Exercise
	for _, n := range names {
		e := c.Exercise(n)
		if e == nil {
			return nil, fmt.Errorf("no exercise %q; the exercises are: %s", n, strings.Join(c.Names(), ", "))
		}
		out = append(out, e)
	}
	return out, nil
}

// prepare starts r, the report of exercise e, and settles it when there
// is nothing to build: a student file is missing, or the static gate
// refuses them. It reports whether r is final.
func (s *session) prepare(ctx context.Context, e *Exercise, files map[string]string, r *ExerciseReport) (bool, error) {
	*r = ExerciseReport{Name: e.Name, Title: e.Title, Status: StatusGraded}
	var missing []string
	for _, f := range e.StudentFiles {
		if !fileExists(files[f]) {
			missing = append(missing, shownPath(s.modRel(e, f)))
		}
	}
	if len(missing) > 0 {
		r.Status = StatusMissing
		r.Message = say(s.opts.Lang, "grade.missing", catalog.Args{"Files": strings.Join(missing, ", ")})
		r.Checks = s.failAll(e, ReasonMissing, r.Message)
		r.total()
		return true, nil
	}

	// The static gate, before anything of the student's is built, in a
	// worker process under limits: type-checking is work on untrusted code.
	vs, err := GateIsolated(ctx, s.course, e, files, DefaultGateLimits)
	if err != nil {
		return false, fmt.Errorf("static gate: %w", err)
	}
	if len(vs) > 0 {
		gated(r, vs, s.opts.Lang)
		r.Checks = s.failAll(e, r.reason(), r.outcome())
		r.total()
		return true, nil
	}
	return false, nil
}

// units settles the reports of the exercises of todo whose build failed,
// and groups the others into units to run: the joint exercises of a
// bundle (see internal/joint) in up to Jobs units, as processes cost more
// than the checks of a few exercises, and every other exercise alone.
func (s *session) units(todo []*Exercise, bins map[string]built, report func(*Exercise) *ExerciseReport) []*unit {
	var units []*unit
	var joint []*Exercise
	for _, e := range todo {
		b := bins[e.Name]
		switch {
		case b.bin == "":
			s.buildFailed(e, b, report(e))
			s.opts.progress(e.Name, PhaseDone)
		case b.joint:
			joint = append(joint, e)
		default:
			units = append(units, newUnit(bins, e))
		}
	}
	// Consecutive exercises, in groups of nearly equal size.
	n := min(s.opts.Jobs, len(joint))
	for i := range n {
		if group := joint[i*len(joint)/n : (i+1)*len(joint)/n]; len(group) > 0 {
			units = append(units, newUnit(bins, group...))
		}
	}
	return units
}

// buildFailed settles r, the report of exercise e, whose build b failed.
func (s *session) buildFailed(e *Exercise, b built, r *ExerciseReport) {
	r.Status, r.BuildOutput = b.status, b.output
	reason := ReasonBuildFailed
	if b.status == StatusError {
		reason = ReasonError
	}
	r.Checks = s.failAll(e, reason, b.output)
	r.total()
}

// runUnits runs units, Jobs at a time, with budget b, and completes the
// reports of their exercises, except those of the exercises it returns:
// another exercise's initializers kept their checks from starting (see
// unit.blame), so they must run again in a binary of their own.
func (s *session) runUnits(ctx context.Context, units []*unit, b *budget, report func(*Exercise) *ExerciseReport) ([]*Exercise, error) {
	var mu sync.Mutex
	var blocked []*Exercise
	g, gctx := errgroup.WithContext(ctx)
	// Units start in order, each once a process slot is free (see
	// session.slots), as with g.SetLimit(Jobs).
	for _, u := range units {
		u.budget = b
		select {
		case s.slots <- struct{}{}:
		case <-gctx.Done():
			if err := g.Wait(); err != nil {
				return nil, err
			}
			return nil, gctx.Err()
		}
		g.Go(func() error {
			defer func() { <-s.slots }()
			bl, err := s.finish(gctx, u, report)
			if err != nil {
				return err
			}
			mu.Lock()
			blocked = append(blocked, bl...)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return blocked, nil
}

// finish completes the reports of u's exercises with the verdicts of
// running their checks, except those of the exercises it returns, whose
// checks another exercise's initializers blocked (see unit.blame).
func (s *session) finish(ctx context.Context, u *unit, report func(*Exercise) *ExerciseReport) ([]*Exercise, error) {
	for _, e := range u.exs {
		s.opts.progress(e.Name, PhaseRunning)
	}
	verdicts, review, err := s.runUnit(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("grading %s: %w", exerciseNames(u.exs), err)
	}
	var blocked []*Exercise
	for _, e := range u.exs {
		if slices.ContainsFunc(e.Checks, func(c Check) bool { return verdicts[u.name(e, c.Test)].reason == reasonBlocked }) {
			blocked = append(blocked, e)
			continue
		}
		r := report(e)
		r.Review = review[e]
		for _, c := range e.Checks {
			v := verdicts[u.name(e, c.Test)]
			v.out = u.rename(v.out)
			r.Checks = append(r.Checks, s.checkReport(e, c, v))
		}
		r.total()
		s.opts.progress(e.Name, PhaseDone)
	}
	return blocked, nil
}

// exerciseNames is "gather, queue" for those exercises.
func exerciseNames(exs []*Exercise) string { return strings.Join(namesOf(exs), ", ") }

// namesOf is the names of exs.
func namesOf(exs []*Exercise) []string {
	names := make([]string, len(exs))
	for i, e := range exs {
		names[i] = e.Name
	}
	return names
}

func (s *session) checkReport(e *Exercise, c Check, v verdict) CheckReport {
	r := CheckReport{ID: c.Test, Name: c.Name, Status: v.status, Max: c.Points, Hint: c.Hint, Hidden: c.Hidden, Visibility: c.Visibility,
		Runs: v.runs, Passes: v.passes}
	if v.status == Pass {
		r.Points = c.Points
		return r
	}
	r.Reason = v.reason
	r.Message = message(v.out)
	r.Location = locate(r.Message, e)
	r.diagnose(e, s.opts.Lang)
	return r
}

// failAll fails every check of e for the same reason.
func (s *session) failAll(e *Exercise, reason Reason, msg string) []CheckReport {
	loc := locate(msg, e)
	checks := make([]CheckReport, len(e.Checks))
	for i, c := range e.Checks {
		checks[i] = CheckReport{ID: c.Test, Name: c.Name, Status: Fail, Max: c.Points, Hint: c.Hint, Hidden: c.Hidden, Visibility: c.Visibility,
			Reason: reason, Message: msg, Location: loc}
	}
	return checks
}
