package grader

import (
	"context"
	"slices"
)

// runUnit runs the checks of u: its public checks first, then its hidden
// ones, never both in one process, so that what a check's inputs leave in
// the student's package-level variables cannot reach the message of a
// check of the other kind (a hidden check's inputs, a public message).
// An exercise whose checks could not start (the run ended or stalled
// before the first, see runOutput.neverStarted; or another exercise's
// initializers blocked them, see unit.blame) does not run again: its
// other checks get the same verdict.
func (s *session) runUnit(ctx context.Context, u *unit) (map[string]verdict, map[*Exercise][]string, error) {
	verdicts := map[string]verdict{}
	review := map[*Exercise][]string{}
	settled := map[*Exercise]verdict{}
	for _, phase := range u.phases() {
		var tests []string
		for _, t := range phase {
			if v, ok := settled[u.owner[t]]; ok {
				verdicts[t] = v
			} else {
				tests = append(tests, t)
			}
		}
		if len(tests) == 0 {
			continue
		}
		var vs map[string]verdict
		notes := map[*Exercise][]string{}
		var err error
		if exs := u.exercisesOf(tests); len(exs) > 1 {
			vs, notes, err = s.runJoint(ctx, u, tests)
		} else {
			vs, notes[exs[0]], err = s.runChecks(ctx, u, tests)
		}
		if err != nil {
			return nil, nil, err
		}
		for _, t := range tests {
			v := vs[t]
			verdicts[t] = v
			if v.startup || v.reason == reasonBlocked {
				settled[u.owner[t]] = v
			}
		}
		for _, e := range u.exs {
			review[e] = append(review[e], notes[e]...)
		}
	}
	return verdicts, review, nil
}

// runJoint runs tests, checks of several of u's exercises, which its
// binary can run in one process (see internal/joint): a process costs more
// than the checks of a few exercises, and a student's typical submission,
// with a check failing here and there, needs two runs in all instead of
// two for each exercise.
//
// The verdicts are those runChecks would give each exercise on its own.
// Runs go on together while they end as go test does when checks pass or
// fail: a run with failures whose passes are not all sealed (see
// internal/seal) is followed by one of the checks that passed, to confirm
// them with exit status 0. When a run crashes, the exercise
// whose check was running goes on alone, with runChecks, and the others
// together; when no check was running, or the events do not add up, every
// exercise goes on alone, so that one exercise's crash or forgery cannot
// cost another's points. A run that starts no check settles them all at
// once (see runOutput.neverStarted and unit.blame).
func (s *session) runJoint(ctx context.Context, u *unit, tests []string) (map[string]verdict, map[*Exercise][]string, error) {
	verdicts := map[string]verdict{}
	review := map[*Exercise][]string{}
	var alone []string // tests left to runChecks
	pending := tests
	for len(u.exercisesOf(pending)) > 1 {
		out, err := s.run(ctx, u, pending)
		if err != nil {
			return nil, nil, err
		}
		if len(out.impossible(pending, s.opts.Count)) > 0 {
			// Which exercise's code forged them is unknown: a forged
			// event names any test it likes. Alone, each exercise's runs
			// show its own forgeries, for its verdicts and its review.
			break
		}
		vs := out.verdicts(pending, s.opts.Count, false)
		u.blame(out, vs)
		var doubt []string
		for _, t := range pending {
			// The run's time and output limits are the whole run's: a
			// check they stopped is judged alone. (The watchdog's budget
			// is the check's own: stuck is stuck.)
			if out.tally(t).running() && (vs[t].reason == ReasonTimedOut || vs[t].reason == ReasonOutputLimit) {
				vs[t] = verdict{}
			}
			if vs[t].status == "" {
				doubt = append(doubt, t)
			} else {
				verdicts[t] = vs[t]
			}
		}
		if len(doubt) > 0 && !out.onlyFailures(pending, s.opts.Count) {
			// It crashed: the exercises of the checks that were running
			// go on alone; all of them if none was.
			var crashed []*Exercise
			for _, t := range pending {
				if out.tally(t).running() {
					crashed = append(crashed, u.owner[t])
				}
			}
			if len(crashed) == 0 {
				pending = doubt
				break
			}
			doubt = slices.DeleteFunc(doubt, func(t string) bool {
				if slices.Contains(crashed, u.owner[t]) {
					alone = append(alone, t)
					return true
				}
				return false
			})
		}
		pending = doubt
	}
	alone = append(alone, pending...)
	for _, e := range u.exercisesOf(alone) {
		tests := slices.DeleteFunc(slices.Clone(alone), func(t string) bool { return u.owner[t] != e })
		vs, notes, err := s.runChecks(ctx, u, tests)
		if err != nil {
			return nil, nil, err
		}
		for t, v := range vs {
			verdicts[t] = v
		}
		review[e] = append(review[e], notes...)
	}
	return verdicts, review, nil
}
