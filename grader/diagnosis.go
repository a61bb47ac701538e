package grader

import (
	"slices"
	"strings"

	"asynclab/catalog"
	"asynclab/internal/wire"
)

// What a failed check's message, or the way its test binary ended, says
// went wrong (CheckReport.Findings), strongest first. When one mistake
// fails several checks, the report shows first the failures whose finding
// is the strongest: a data race or a panic at a line of the student's
// code, locks taken in clashing orders, a deadlock, polling, goroutines
// left behind all name the mistake, where a timeline that is a
// nanosecond late (FindingCheck) only shows its effect, and a check that
// ran out of time (FindingStuck) not even that. The names are the
// harness's and the grader's protocol (internal/wire), where each is
// said.
const (
	FindingRace       = string(wire.FindingRace)
	FindingCrash      = string(wire.FindingCrash)
	FindingLocks      = string(wire.FindingLocks)
	FindingMisuse     = string(wire.FindingMisuse)
	FindingRelock     = string(wire.FindingRelock) // a misuse with a hint of its own, since nothing was touched without its lock
	FindingUnreleased = string(wire.FindingUnreleased)
	FindingDeadlock   = string(wire.FindingDeadlock)
	FindingPolling    = string(wire.FindingPolling)
	FindingLeak       = string(wire.FindingLeak)
	FindingStuck      = string(wire.FindingStuck)
	FindingCheck      = string(wire.FindingCheck)
	// FindingGated: the check did not run its own scenario, because what
	// it needs first (which other checks test) is not there yet: its
	// failure is an effect, and it is shown after every other one.
	FindingGated = string(wire.FindingGated)
)

// findingOrder is the findings, strongest first.
// A check that ran out of time says least of all: that nothing happened,
// not why.
var findingOrder = []string{FindingRace, FindingCrash, FindingLocks, FindingRelock, FindingMisuse, FindingUnreleased, FindingDeadlock, FindingPolling, FindingLeak, FindingCheck, FindingStuck, FindingGated}

// Findings are the findings a failed check's report can name, strongest
// first.
func Findings() []string { return slices.Clone(findingOrder) }

// findingRank is f's place in findingOrder (unknown findings last).
func findingRank(f string) int {
	if i := slices.Index(findingOrder, f); i >= 0 {
		return i
	}
	return len(findingOrder)
}

// reasonFindings are the findings that the way a test binary ended names.
var reasonFindings = map[Reason]string{
	ReasonRace:        FindingRace,
	ReasonPanicked:    FindingCrash,
	ReasonCrashed:     FindingCrash,
	ReasonExit:        FindingCrash,
	ReasonMemoryLimit: FindingCrash,
	ReasonOutputLimit: FindingCrash,
	ReasonDeadlock:    FindingDeadlock,
	ReasonTimedOut:    FindingStuck,
	ReasonStuck:       FindingStuck,
	ReasonNotStarted:  FindingStuck,
}

// harnessTags is what the harness's tags in a check's message say (see
// wire.Tag): the harness tags the line where each of its texts that says
// a finding starts, and its notes, in every language.
type harnessTags struct {
	findings []string // the findings tagged, in the order first seen
	// ownWords: the message's first line that is neither blank nor a
	// note is the check's own words, not a text of the harness's that
	// says a finding.
	ownWords bool
}

// untag removes the harness's tags from message, a check's message
// (message keeps them), and says what they say. A line that held a tag
// loses the spaces the tag left at its end, as message trims every line.
func untag(message string) (string, harnessTags) {
	var h harnessTags
	lines := strings.Split(message, "\n")
	decided, untagged := false, false
	for i, line := range lines {
		rest, found, note := wire.Untag(line)
		if rest != line {
			rest = strings.TrimRight(rest, " \t\r")
			lines[i], untagged = rest, true
		}
		for _, f := range found {
			if !slices.Contains(h.findings, string(f)) {
				h.findings = append(h.findings, string(f))
			}
		}
		if !decided && strings.TrimSpace(rest) != "" && !note {
			decided = true
			h.ownWords = len(found) == 0
		}
	}
	if untagged {
		// a line that was only a tag (printed by the code under test)
		for len(lines) > 0 && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		for len(lines) > 0 && lines[0] == "" {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n"), h
}

// findings lists what a failed check's reason and the harness's tags in
// its message say went wrong, strongest first (see FindingCheck): the
// reason's finding, each finding tagged, and FindingCheck when the
// message starts with words of the check's own, or has no other finding.
func findings(reason Reason, h harnessTags) []string {
	var out []string
	add := func(x string) {
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	if x := reasonFindings[reason]; x != "" && reason != ReasonStuck {
		add(x)
	}
	for _, f := range h.findings {
		add(f)
	}
	if reason == ReasonStuck && len(out) == 0 {
		add(FindingStuck)
	}
	if ownWords(reason, h) || len(out) == 0 {
		add(FindingCheck)
	}
	slices.SortStableFunc(out, func(a, b string) int { return findingRank(a) - findingRank(b) })
	return out
}

// ownWords reports whether a message opens with words of the check's own,
// rather than with a finding of the harness or the way the binary ended.
func ownWords(reason Reason, h harnessTags) bool {
	return reasonFindings[reason] == "" && h.ownWords
}

// ownFinding reports whether finding is the check's own (what it
// asserts) or one that checks look for on purpose and about which their
// hint is (locks.AssertOrder, the harness's lock misuse): then the
// check's hint is about it. The others (a race, a panic, a deadlock,
// polling, goroutines left behind, no progress) can befall a check whose
// point is another, and a hint about that point would send the student
// the wrong way; a check whose point they are loses little with the
// finding's own hint.
func ownFinding(finding string) bool {
	return finding == FindingCheck || finding == FindingLocks || finding == FindingGated
}

// diagnose removes the harness's tags from a check's message (see
// wire.Tag), whatever its status, and fills in a failed check's findings
// from them and from its reason, and picks its hint, in language l, by
// the strongest finding (see hintFor). The tags are the harness's, but
// the code under test can print one too: findings only order a student's
// own failures and pick their hints, never a status or a score.
func (r *CheckReport) diagnose(e *Exercise, l catalog.Lang) {
	message, tags := untag(r.Message)
	r.Message = message
	if r.Status != Fail {
		return
	}
	r.Findings = findings(r.Reason, tags)
	if scenarioNotRun(e, l, r.ID, r.Message) {
		// Not the check's point: it was not tested.
		r.Findings = append(slices.DeleteFunc(r.Findings, func(f string) bool { return f == FindingCheck }), FindingGated)
	}
	own := checkFinding(e, r.ID)
	if own != "" && slices.Contains(r.Findings, FindingCheck) {
		// What the check asserts is this finding: said in its own words.
		r.Findings = slices.DeleteFunc(r.Findings, func(f string) bool { return f == FindingCheck || f == own })
		r.Findings = append(r.Findings, own)
		slices.SortStableFunc(r.Findings, func(a, b string) int { return findingRank(a) - findingRank(b) })
	}
	if r.Findings[0] == own {
		return // the check's own hint is about it
	}
	r.Hint = hintFor(e, l, r.ID, r.Hint, r.Findings[0])
}

// checkFinding is the finding that check test asserts, when its catalog
// names one ("finding = \"polling\"" in its table): a check whose point is
// polling (scheduler's, which tells polling in words of its own, not the
// harness's) fails with that finding, not with FindingCheck, so that its
// failure comes before the timelines that polling only makes late.
// "" for a check that names none, or names no finding of findingOrder.
func checkFinding(e *Exercise, test string) string {
	id := test + ".finding"
	if e == nil || e.Texts == nil || !e.Texts.Has(catalog.English, id) {
		return ""
	}
	f := strings.TrimSpace(e.Texts.Text(catalog.English, id, nil))
	if !slices.Contains(findingOrder, f) || f == FindingCheck {
		return ""
	}
	return f
}

// scenarioNotRun reports whether message, a failure of check test, says that the
// check did not run its own scenario: it holds the check's "not_run" text
// of the exercise's catalog (in language l, or in English), a plain
// phrase such as "The load test was not run" that the check says when
// what it needs first is not there yet.
func scenarioNotRun(e *Exercise, l catalog.Lang, test, message string) bool {
	id := test + ".not_run"
	if e == nil || e.Texts == nil || !e.Texts.Has(catalog.English, id) {
		return false
	}
	for _, lang := range []catalog.Lang{l, catalog.English} {
		if phrase := strings.TrimSpace(e.Texts.Text(lang, id, nil)); phrase != "" && strings.Contains(message, phrase) {
			return true
		}
	}
	return false
}

// hintFor is the hint for a failure of check test whose strongest finding
// is finding: the check's own hint for that finding ("hint_leak" in its
// table of the exercise's catalog) if it has one; else, for a finding that
// is not the check's point (see ownFinding), the exercise's hint for it
// ([hints_for] leak) or the course's (grader's catalog, [hint_for]);
// else the check's hint, own.
func hintFor(e *Exercise, l catalog.Lang, test, own, finding string) string {
	if e.Texts != nil && e.Texts.Has(catalog.English, test+".hint_"+finding) {
		return e.Texts.Text(l, test+".hint_"+finding, nil)
	}
	if ownFinding(finding) {
		return own
	}
	if e.Texts != nil && e.Texts.Has(catalog.English, "hints_for."+finding) {
		return e.Texts.Text(l, "hints_for."+finding, nil)
	}
	if texts.Has(catalog.English, "hint_for."+finding) {
		return say(l, "hint_for."+finding, nil)
	}
	return own
}

// ShownOrder is checks as a report shows them to a student: the failures
// first, the strongest finding first (see FindingCheck); among failures
// whose strongest finding is the same, first those that say it in words of
// the check's own too (what the check did and expected), then those with
// the fewest other findings (the plainest); then the other checks; each
// group in the rubric's order.
func ShownOrder(checks []CheckReport) []CheckReport {
	out := slices.Clone(checks)
	slices.SortStableFunc(out, func(a, b CheckReport) int {
		if ka, kb := shownKey(a), shownKey(b); ka != kb {
			return ka - kb
		}
		if a.Status != Fail || b.Status != Fail {
			return 0
		}
		fa, fb := findingsOf(a), findingsOf(b)
		if oa, ob := slices.Contains(fa, FindingCheck), slices.Contains(fb, FindingCheck); oa != ob {
			if oa {
				return -1
			}
			return 1
		}
		return len(fa) - len(fb)
	})
	return out
}

// findingsOf is a failure's findings; a report written before there were
// any has the check's own.
func findingsOf(c CheckReport) []string {
	if len(c.Findings) == 0 {
		return []string{FindingCheck}
	}
	return c.Findings
}

// shownKey orders a failure by its strongest finding, and every other
// check after the failures.
func shownKey(c CheckReport) int {
	if c.Status != Fail {
		return len(findingOrder) + 1
	}
	return findingRank(findingsOf(c)[0])
}
