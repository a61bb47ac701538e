package grader

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"asynclab/catalog"
)

// What a failed check's message, or the way its test binary ended, says
// went wrong (CheckReport.Findings), strongest first. When one mistake
// fails several checks, the report shows first the failures whose finding
// is the strongest: a data race or a panic at a line of the student's
// code, locks taken in clashing orders, a deadlock, polling, goroutines
// left behind all name the mistake, where a timeline that is a
// nanosecond late (FindingCheck) only shows its effect, and a check that
// ran out of time (FindingStuck) not even that.
const (
	FindingRace   = "race"   // the race detector reported a data race
	FindingCrash  = "crash"  // the code panicked, exited or crashed the test binary
	FindingLocks  = "locks"  // locks taken in inconsistent orders
	FindingMisuse = "misuse" // a lock misused: what it guards touched without it, or unlocked by another
	// FindingRelock: a goroutine took a lock it already held, and waits
	// for itself for ever (a self-deadlock): a misuse with a hint of its
	// own, since nothing was touched without its lock.
	FindingRelock = "relock"
	// FindingUnreleased: a lock still held after the call that took it
	// returned, with nobody left to unlock it.
	FindingUnreleased = "unreleased"
	FindingDeadlock   = "deadlock" // goroutines wait for each other for ever
	FindingPolling    = "polling"  // a goroutine sleeps in a loop instead of blocking
	FindingLeak       = "leak"     // goroutines were still there when the check ended
	FindingStuck      = "stuck"    // no progress: the check ran out of time
	// FindingCheck: what the check itself asserts (a timeline, a value, an
	// error) was not so.
	FindingCheck = "check"
	// FindingGated: the check did not run its own scenario, because what
	// it needs first (which other checks test) is not there yet: its
	// failure is an effect, and it is shown after every other one.
	FindingGated = "gated"
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

// harnessFindings are the harness's texts (harness/messages.*.toml) that
// name a finding of their own, by id. A check's message that holds one of
// them has that finding.
var harnessFindings = map[string]string{
	"locks.cycle":              FindingLocks,
	"locks.self_deadlock":      FindingRelock,
	"locks.misuse":             FindingMisuse,
	"locks.left_locked":        FindingUnreleased,
	"locks.left_locked_unseen": FindingUnreleased,
	"run.deadlock":             FindingDeadlock,
	"run.stuck_deadlock":       FindingDeadlock,
	"run.stuck_mutex":          FindingDeadlock,
	"polling.polls":            FindingPolling,
	"goroutine.sleeping_at":    FindingPolling, // harness.AssertNoPolling's lines, under an exercise's own "polls" text
	"goroutine.waking_at":      FindingPolling, // a timer that polls, under an exercise's own "polls" text
	"polling.polls_timer":      FindingPolling,
	"run.stuck_busy":           FindingStuck, // a loop that never ends, not always a wait
	"run.stuck_polling":        FindingPolling,
	"run.leaked":               FindingLeak,
	"run.still_blocked":        FindingLeak,
	"run.left_running":         FindingLeak,
	"panicked":                 FindingCrash,
}

// harnessNotes are harness texts that say nothing of the student's
// mistake: a line that matches one is no finding of the check's own.
var harnessNotes = []string{"run.failed_on_run"}

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

// finder recognises the harness's findings in a check's message in one
// language.
type finder struct {
	marks []pattern // harnessFindings
	notes []pattern // harnessNotes
	// misuse matches a whole line of the harness's locks.misuse text; its
	// group is the violation it says (see dropRepeats).
	misuse *regexp.Regexp
}

type pattern struct {
	re      *regexp.Regexp
	finding string
}

var (
	findersMu sync.Mutex
	finders   = map[string]*finder{} // by harness folder and language
)

// finderFor reads the harness's texts in language l from the course at
// root. A course without them (a test's course) has no harness findings:
// its failures are told apart by their reasons only.
func finderFor(root string, l catalog.Lang) *finder {
	dir := filepath.Join(root, "harness")
	key := dir + "\x00" + string(l)
	findersMu.Lock()
	defer findersMu.Unlock()
	if f := finders[key]; f != nil {
		return f
	}
	f := &finder{}
	texts := map[string]string{}
	for _, lang := range []catalog.Lang{catalog.English, l} {
		data, err := os.ReadFile(filepath.Join(dir, "messages."+string(lang)+".toml"))
		if err != nil {
			continue
		}
		var tree map[string]any
		if _, err := toml.Decode(string(data), &tree); err != nil {
			continue
		}
		flatten("", tree, texts)
	}
	for _, id := range slices.Sorted(maps.Keys(harnessFindings)) {
		if re := templateRegexp(texts[id]); re != nil {
			f.marks = append(f.marks, pattern{re, harnessFindings[id]})
		}
	}
	for _, id := range harnessNotes {
		if re := templateRegexp(texts[id]); re != nil {
			f.notes = append(f.notes, pattern{re, ""})
		}
	}
	if prefix, suffix, ok := strings.Cut(texts["locks.misuse"], "{{.Violation}}"); ok && strings.TrimSpace(prefix) != "" {
		f.misuse = regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `(.+)` + regexp.QuoteMeta(suffix) + `$`)
	}
	finders[key] = f
	return f
}

// flatten puts the strings of a TOML tree into out by dotted id.
func flatten(prefix string, tree map[string]any, out map[string]string) {
	for k, v := range tree {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			out[id] = v
		case map[string]any:
			flatten(id, v, out)
		}
	}
}

var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// templateRegexp matches the start of a catalog text's first line, up to
// its first 40 letters of its own (not of its placeholders), whatever its
// placeholders hold, anywhere on a line; nil for a text with too little
// of its own to be told apart.
func templateRegexp(text string) *regexp.Regexp {
	const enough = 40
	first, _, _ := strings.Cut(text, "\n")
	var parts []string
	literal := 0
	for _, p := range placeholder.Split(first, -1) {
		if literal >= enough {
			break
		}
		if r := []rune(p); literal+len(r) > enough {
			p = string(r[:enough-literal])
		}
		literal += utf8.RuneCountInString(strings.TrimSpace(p))
		parts = append(parts, regexp.QuoteMeta(p))
	}
	if literal < 8 {
		return nil
	}
	return regexp.MustCompile(`(?m)^.*` + strings.Join(parts, `.*?`))
}

// findings lists what a failed check's message and reason say went wrong,
// strongest first (see FindingCheck): the reason's finding, each harness
// finding in the message, and FindingCheck when the message starts with
// words of the check's own, or has no other finding.
func (f *finder) findings(reason Reason, message string) []string {
	var out []string
	add := func(x string) {
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	if x := reasonFindings[reason]; x != "" && reason != ReasonStuck {
		add(x)
	}
	for _, p := range f.marks {
		if p.re.MatchString(message) {
			add(p.finding)
		}
	}
	if reason == ReasonStuck && len(out) == 0 {
		add(FindingStuck)
	}
	if f.ownWords(reason, message) || len(out) == 0 {
		add(FindingCheck)
	}
	slices.SortStableFunc(out, func(a, b string) int { return findingRank(a) - findingRank(b) })
	return out
}

// dropRepeats drops from message each line of the harness's lock misuse
// that only repeats a violation an earlier line says whole: a
// self-deadlock is said in the deadlock report it causes, and then again
// as a misuse when the check ends, and a student should read it once.
func (f *finder) dropRepeats(message string) string {
	if f.misuse == nil {
		return message
	}
	lines := strings.Split(message, "\n")
	seen := map[string]bool{}
	var kept []string
	for _, line := range lines {
		if m := f.misuse.FindStringSubmatch(line); m != nil && seen[strings.TrimSpace(m[1])] {
			continue
		}
		seen[strings.TrimSpace(line)] = true
		kept = append(kept, line)
	}
	if len(kept) == len(lines) {
		return message
	}
	return strings.TrimRight(strings.Join(kept, "\n"), "\n")
}

// ownWords reports whether message opens with words of the check's own,
// rather than with a finding of the harness or the way the binary ended.
func (f *finder) ownWords(reason Reason, message string) bool {
	if reasonFindings[reason] != "" {
		return false
	}
	for _, line := range strings.Split(message, "\n") {
		if strings.TrimSpace(line) == "" || f.note(line) {
			continue
		}
		for _, p := range f.marks {
			if p.re.MatchString(line) {
				return false
			}
		}
		return true
	}
	return false
}

func (f *finder) note(line string) bool {
	for _, p := range f.notes {
		if p.re.MatchString(line) {
			return true
		}
	}
	return false
}

// ownFinding reports whether finding is the check's own (what it
// asserts) or one that checks look for on purpose and about which their
// hint is (harness.AssertLockOrder, the harness's lock misuse): then the
// check's hint is about it. The others (a race, a panic, a deadlock,
// polling, goroutines left behind, no progress) can befall a check whose
// point is another, and a hint about that point would send the student
// the wrong way; a check whose point they are loses little with the
// finding's own hint.
func ownFinding(finding string) bool {
	return finding == FindingCheck || finding == FindingLocks || finding == FindingGated
}

// diagnose fills in a failed check's findings and picks its hint, in
// language l, by the strongest finding (see hintFor).
func (r *CheckReport) diagnose(root string, e *Exercise, l catalog.Lang) {
	if r.Status != Fail {
		return
	}
	f := finderFor(root, l)
	r.Message = f.dropRepeats(r.Message)
	r.Findings = f.findings(r.Reason, r.Message)
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
