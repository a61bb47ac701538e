package wire

import (
	"slices"
	"strings"
)

// A Finding names what went wrong in a failed check: the kind of mistake a
// harness report says (a deadlock, polling, a lock left held), or the way
// the test binary ended says (a data race, a crash). The grader orders a
// report's failures and picks their hints by it; it is never shown as is.
type Finding string

// The findings. The harness tags its reports with some of them (see
// TextFinding); the grader names the others from the way a binary ended.
const (
	FindingRace   Finding = "race"   // the race detector reported a data race
	FindingCrash  Finding = "crash"  // the code panicked, exited or crashed the test binary
	FindingLocks  Finding = "locks"  // locks taken in inconsistent orders
	FindingMisuse Finding = "misuse" // a lock misused: what it guards touched without it, or unlocked by another
	// FindingRelock: a goroutine took a lock it already held, and waits
	// for itself for ever (a self-deadlock).
	FindingRelock Finding = "relock"
	// FindingUnreleased: a lock still held after the call that took it
	// returned, with nobody left to unlock it.
	FindingUnreleased Finding = "unreleased"
	FindingDeadlock   Finding = "deadlock" // goroutines wait for each other for ever
	FindingPolling    Finding = "polling"  // a goroutine sleeps in a loop instead of blocking
	FindingLeak       Finding = "leak"     // goroutines were still there when the check ended
	FindingStuck      Finding = "stuck"    // no progress: the check ran out of time
	// FindingCheck: what the check itself asserts (a timeline, a value, an
	// error) was not so.
	FindingCheck Finding = "check"
	// FindingGated: the check did not run its own scenario, because what
	// it needs first is not there yet.
	FindingGated Finding = "gated"
)

// findings are every Finding.
var findings = []Finding{FindingRace, FindingCrash, FindingLocks, FindingMisuse, FindingRelock, FindingUnreleased,
	FindingDeadlock, FindingPolling, FindingLeak, FindingStuck, FindingCheck, FindingGated}

// Known reports whether f is one of the findings above.
func (f Finding) Known() bool { return slices.Contains(findings, f) }

// textFindings are the harness's texts (harness/messages.*.toml, by id)
// that say a finding of their own: the harness tags each with it (see
// Tagged), in every language.
var textFindings = map[string]Finding{
	"locks.cycle":              FindingLocks,
	"locks.self_deadlock":      FindingRelock,
	"locks.misuse":             FindingMisuse,
	"locks.left_locked":        FindingUnreleased,
	"locks.left_locked_unseen": FindingUnreleased,
	"run.deadlock":             FindingDeadlock,
	"run.stuck_deadlock":       FindingDeadlock,
	"run.stuck_mutex_sleeper":  FindingStuck, // a lock held across a sleep, or a deadlock: stuck either way
	"run.stuck_mutex":          FindingDeadlock,
	"run.stuck_mutex_sleeping": FindingStuck,
	"polling.polls":            FindingPolling,
	"goroutine.sleeping_at":    FindingPolling, // goroutines.AssertNoPolling's lines, under an exercise's own "polls" text
	"goroutine.waking_at":      FindingPolling, // a timer that polls, under an exercise's own "polls" text
	"polling.polls_timer":      FindingPolling,
	"run.stuck_busy":           FindingStuck, // a loop that never ends, not always a wait
	"run.stuck_polling":        FindingPolling,
	"run.leaked":               FindingLeak,
	"run.still_blocked":        FindingLeak,
	"run.left_running":         FindingLeak,
	"panicked":                 FindingCrash,
}

// noteTexts are the harness's texts that say nothing of the student's
// mistake (which run of a check failed): a message that opens with one
// still opens with the check's own words if they come next.
var noteTexts = []string{"run.failed_on_run"}

// TextFinding is the finding that the harness's text id says, if any.
func TextFinding(id string) (Finding, bool) {
	f, ok := textFindings[id]
	return f, ok
}

// TextFindings are the harness's text ids that say a finding, with it,
// for tests that every one is in the harness's catalogs.
func TextFindings() map[string]Finding {
	out := make(map[string]Finding, len(textFindings))
	for id, f := range textFindings {
		out[id] = f
	}
	return out
}

// NoteText reports whether the harness's text id is a note (see noteTexts).
func NoteText(id string) bool { return slices.Contains(noteTexts, id) }

// NoteTexts are the ids of the harness's notes.
func NoteTexts() []string { return slices.Clone(noteTexts) }

// A tag is how the harness says, inside the text of a report, which
// finding the line it is on says: "[asynclab:deadlock]", or
// "[asynclab:note]" on a line that is a note. It is the same in every
// language. A tag goes where a check's message keeps it, whole, on the
// line it marks (a harness text that a check puts inside its own words,
// such as locks.LeftLocked's, keeps it there); the grader reads and
// removes every tag (Untag) before a message is shown. The code under
// test can print one too: a tag only orders a student's failures and picks
// their hints, never a score (see the grader's diagnosis).
const (
	tagOpen  = "[asynclab:"
	tagClose = "]"
	noteKind = "note"
)

// Tag is the tag of finding f.
func Tag(f Finding) string { return tagOpen + string(f) + tagClose }

// NoteTag is the tag of a note.
const NoteTag = tagOpen + noteKind + tagClose

// Tagged is text with tag at the end of its first line: the line where
// the text starts, which is the line of a message that it marks.
func Tagged(text, tag string) string {
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		return text[:i] + tag + text[i:]
	}
	return text + tag
}

// Untag removes every tag from line, one line of a message, and returns
// what is left, the findings it was tagged with (in order, repeats
// dropped), and whether it was tagged as a note. Brackets that are no tag
// of a known finding stay.
func Untag(line string) (rest string, found []Finding, note bool) {
	if !strings.Contains(line, tagOpen) {
		return line, nil, false
	}
	var b strings.Builder
	for {
		i := strings.Index(line, tagOpen)
		if i < 0 {
			b.WriteString(line)
			break
		}
		kind, after, ok := strings.Cut(line[i+len(tagOpen):], tagClose)
		switch {
		case ok && kind == noteKind:
			note = true
		case ok && Finding(kind).Known():
			if !slices.Contains(found, Finding(kind)) {
				found = append(found, Finding(kind))
			}
		default:
			// not a tag: keep its opening, look after it
			b.WriteString(line[:i+len(tagOpen)])
			line = line[i+len(tagOpen):]
			continue
		}
		b.WriteString(line[:i])
		line = after
	}
	return b.String(), found, note
}

// Untagged is text, of any number of lines, without its tags.
func Untagged(text string) string {
	if !strings.Contains(text, tagOpen) {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		lines[i], _, _ = Untag(line)
	}
	return strings.Join(lines, "\n")
}
