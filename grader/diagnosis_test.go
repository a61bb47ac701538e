package grader

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/internal/wire"
)

// tag is finding's tag, as the harness puts it at the end of the first
// line of a text that says it (wire.Tag).
func tag(finding string) string { return wire.Tag(wire.Finding(finding)) }

// TestFindings: what a failed check's reason and the harness's tags in
// its message say went wrong, strongest first, in messages as the
// course's harness writes them; the words are the same once untagged.
func TestFindings(t *testing.T) {
	note := wire.NoteTag
	tests := []struct {
		name    string
		reason  Reason
		message string
		want    []string
	}{
		{"a timeline", ReasonFailed,
			"the timeline of events is not the expected one (times are virtual; …):\n  1s  Put(10)", []string{FindingCheck}},
		{"polling, with the exercise's words after it", ReasonFailed,
			"(*Queue[...]).Get polls: goroutine 500 is sleeping in a loop at exercises/queue/queue.go:98 instead of blocking until it is woken." + tag(FindingPolling) + "\n  goroutine 500 is sleeping\n\n(your Get is at exercises/queue/queue.go:90)",
			[]string{FindingPolling}},
		{"an exercise's own polling words, with goroutines.AssertNoPolling's lines", ReasonFailed,
			"Gather (gather.go:12) polls: it sleeps in a loop.\n  goroutine 7 is sleeping at exercises/gather/gather.go:31" + tag(FindingPolling), []string{FindingPolling, FindingCheck}},
		{"a leak alone", ReasonFailed,
			"goroutines still running when the check ended: 2; every goroutine the code starts must have finished by then:" + tag(FindingLeak) + "\n  goroutine 1218 is suspended",
			[]string{FindingLeak}},
		{"the check's own words, then a leak", ReasonFailed,
			"Run (exercises/scheduler/scheduler.go:11): A sleeps 10s. Instead:\n\ngoroutines still running when the check ended: 3; every goroutine the code starts must have finished by then:" + tag(FindingLeak),
			[]string{FindingLeak, FindingCheck}},
		{"the note of a failed run is no word of the check's", ReasonFailed,
			"(This check failed on run 3 of 20: the runs before passed. The grader runs each check 20 times because …)" + note + "\ngoroutines still running when the check ended: 2; every goroutine the code starts must have finished by then:" + tag(FindingLeak),
			[]string{FindingLeak}},
		{"the note, then the check's words", ReasonFailed,
			"(This check failed on run 3 of 20 …)" + note + "\nGet returned 2; want 1", []string{FindingCheck}},
		{"a deadlock after the check's words", ReasonFailed,
			"Audit(account 1) never returned.\ndeadlock: every goroutine is blocked and none can ever wake the others up." + tag(FindingDeadlock) + "\nWhere each goroutine is stuck:",
			[]string{FindingDeadlock, FindingCheck}},
		{"a lock-order cycle", ReasonFailed,
			"locks were taken in inconsistent orders (account 1 → account 2 → account 1), so these calls can deadlock when they run at the same time:" + tag(FindingLocks),
			[]string{FindingLocks}},
		{"a self-deadlock in a deadlock, and again as a misuse, counted", ReasonFailed,
			"Audit(account 1, account 1) never returned.\ndeadlock: every goroutine is blocked and none can ever wake the others up." + tag(FindingDeadlock) + "\nself-deadlock: goroutine 1 locked account 1 at exercises/lockorder/transfer.go:40 while it already held it (taken at exercises/lockorder/transfer.go:40); a goroutine that waits for itself waits forever" + tag(FindingRelock) + "\n\nlock misuse: self-deadlock: goroutine 1 locked account 1 at exercises/lockorder/transfer.go:40 while it already held it (taken at exercises/lockorder/transfer.go:40); a goroutine that waits for itself waits forever" + tag(FindingRelock) + " (2 times)" + tag(FindingMisuse),
			[]string{FindingRelock, FindingMisuse, FindingDeadlock, FindingCheck}},
		{"Russian: a self-deadlock", ReasonFailed,
			"самоблокировка: горутина 1 снова берёт блокировку счёт 1 в exercises/lockorder/transfer.go:40, хотя уже держит её (взята в exercises/lockorder/transfer.go:40); горутина, которая ждёт сама себя, ждёт вечно" + tag(FindingRelock),
			[]string{FindingRelock}},
		{"a lock left held, with the check's words after it", ReasonFailed,
			"after Transfer(account 1 → account 2, 101), account 1 was still locked, with nobody left to unlock it: your code locked it at exercises/lockorder/transfer.go:20, and the way it went on from there never unlocked it" + tag(FindingUnreleased) + ". Nobody can use account 1 again until it is unlocked.",
			[]string{FindingUnreleased}},
		{"Russian: a lock left held", ReasonFailed,
			"по окончании (Transfer(«счёт 1» → «счёт 2», 101)) блокировка «счёт 1» осталась взятой, и отпустить её уже некому" + tag(FindingUnreleased),
			[]string{FindingUnreleased}},
		{"a panic caught by the harness", ReasonFailed,
			"your code panicked at exercises/queue/queue.go:70: runtime error: index out of range [0] with length 0" + tag(FindingCrash), []string{FindingCrash}},
		{"a data race", ReasonRace, "WARNING: DATA RACE\nRead at 0x00c by goroutine 14:", []string{FindingRace}},
		{"a crash", ReasonPanicked, "panic: close of closed channel", []string{FindingCrash}},
		{"stuck in a sync.Mutex", ReasonStuck,
			"Every goroutine of the check was waiting, and at least one for a sync.Mutex that no running goroutine is left to unlock: another waiting goroutine holds it, or the very goroutine that waits for it does (while holding it, it called code that locks it again). None will ever go on." + tag(FindingDeadlock),
			[]string{FindingDeadlock}},
		{"stuck in a busy loop", ReasonStuck, "The check was stopped: (busy loop: a goroutine runs without ever blocking)" + tag(FindingStuck), []string{FindingStuck}},
		{"stuck polling", ReasonStuck, "The check was stopped: (polling: a goroutine sleeps in a loop instead of waiting for a signal)" + tag(FindingPolling), []string{FindingPolling}},
		{"stuck, no more said", ReasonStuck, "The check was still running after 6s of real time.", []string{FindingStuck}},
		{"timed out", ReasonTimedOut, "panic: test timed out after 2m0s", []string{FindingStuck}},
		{"Russian: the check's words, then a leak", ReasonFailed,
			"Run (scheduler.go:11): A спит 10s.\nгорутин, всё ещё работавших к концу проверки: 2; каждая горутина, которую запускает код, должна к этому моменту завершиться:" + tag(FindingLeak),
			[]string{FindingLeak, FindingCheck}},
		{"polling with a timer", ReasonFailed,
			"(*Queue[...]).Get polls: goroutine 487 waits for a timer at exercises/queue/queue.go:95 (a short time.After, a ticker) and looks again each time it fires, instead of blocking until it is woken: for 3 milliseconds nothing else happened, and it woke up again and again all the same." + tag(FindingPolling) + "\n  goroutine 487 is waiting in a select",
			[]string{FindingPolling}},
		{"an exercise's own polling words, with a timer's line", ReasonFailed,
			"Merge (fanin.go:19) polls: a goroutine of it sleeps in a loop.\n  goroutine 9 waits for a timer at exercises/fanin/fanin.go:31 and looks again each time it fires: for 3 milliseconds nothing else happened, and it woke up again and again all the same" + tag(FindingPolling),
			[]string{FindingPolling, FindingCheck}},
		{"Russian: polling", ReasonFailed,
			"(*Queue[...]).Get опрашивает: горутина 5 засыпает в цикле в exercises/queue/queue.go:98 и проверяет снова, а не блокируется, пока её не разбудят." + tag(FindingPolling),
			[]string{FindingPolling}},
		// The words say nothing by themselves: a harness text without its
		// tag (reworded, translated, or quoted by a check) is the check's.
		{"a leak's words without the tag", ReasonFailed,
			"goroutines still running when the check ended: 3; every goroutine the code starts must have finished by then:", []string{FindingCheck}},
		{"a tag with other words", ReasonFailed, "Goroutinen liefen noch:" + tag(FindingLeak), []string{FindingLeak}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown, tags := untag(tt.message)
			if got := findings(tt.reason, tags); !slices.Equal(got, tt.want) {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
			if strings.Contains(shown, "[asynclab:") {
				t.Errorf("a tag is left in the message:\n%s", shown)
			}
			if want := strings.NewReplacer(wire.NoteTag, "", tag(FindingLeak), "", tag(FindingPolling), "", tag(FindingDeadlock), "",
				tag(FindingRelock), "", tag(FindingMisuse), "", tag(FindingUnreleased), "", tag(FindingLocks), "", tag(FindingCrash), "", tag(FindingStuck), "").Replace(tt.message); shown != want {
				t.Errorf("untagged message =\n%s\nwant\n%s", shown, want)
			}
		})
	}
}

// TestForgedTags: the code under test can print the harness's tags. They
// never reach a message, and they can only reorder the student's own
// failures or change their hints: a check that passed still passes, and
// a failure keeps its status, reason and points; the other checks'
// findings are their own.
func TestForgedTags(t *testing.T) {
	forged := tag(FindingRace) + tag(FindingCrash) + wire.NoteTag
	// A check that passes in a binary that exits 0, and two that fail in
	// one that exits 1, as go test does.
	run := func(exit int, lines ...string) map[string]verdict {
		t.Helper()
		o, err := readEvents(strings.NewReader(strings.Join(lines, "\n")+"\n"), 1<<20, nil)
		if err != nil {
			t.Fatal(err)
		}
		o.exit = exit
		var tests []string
		for name := range o.tests {
			tests = append(tests, name)
		}
		return o.verdicts(tests, 1, false)
	}
	vs := run(0,
		`{"Action":"run","Test":"TestPasses"}`,
		`{"Action":"output","Test":"TestPasses","Output":"`+forged+`\n"}`,
		`{"Action":"pass","Test":"TestPasses"}`)
	maps.Copy(vs, run(1,
		`{"Action":"run","Test":"TestForges"}`,
		`{"Action":"output","Test":"TestForges","Output":"    checks_test.go:9: Get returned 2; want 1\n"}`,
		`{"Action":"output","Test":"TestForges","Output":"my print `+forged+`\n"}`,
		`{"Action":"fail","Test":"TestForges"}`,
		`{"Action":"run","Test":"TestLate"}`,
		`{"Action":"output","Test":"TestLate","Output":"    checks_test.go:9: the timeline is late\n"}`,
		`{"Action":"fail","Test":"TestLate"}`))
	e := &Exercise{Name: "queue", StudentFiles: []string{"queue.go"}}
	var reports []CheckReport
	for _, name := range []string{"TestPasses", "TestForges", "TestLate"} {
		v := vs[name]
		r := CheckReport{ID: name, Status: v.status, Max: 2, Reason: v.reason, Runs: v.runs, Passes: v.passes, Hint: "own"}
		if v.status == Pass {
			r.Points = r.Max
		} else {
			r.Message = message(v.out)
			r.diagnose(e, catalog.English)
		}
		reports = append(reports, r)
	}
	want := []struct {
		status   CheckStatus
		points   int
		reason   Reason
		message  string
		findings []string
	}{
		{Pass, 2, "", "", nil},
		{Fail, 0, ReasonFailed, "Get returned 2; want 1\nmy print", []string{FindingRace, FindingCrash, FindingCheck}},
		{Fail, 0, ReasonFailed, "the timeline is late", []string{FindingCheck}},
	}
	for i, w := range want {
		r := reports[i]
		if r.Status != w.status || r.Points != w.points || r.Reason != w.reason || r.Message != w.message || !slices.Equal(r.Findings, w.findings) {
			t.Errorf("%s: status %s, %d points, reason %q, message %q, findings %q; want %s, %d, %q, %q, %q",
				r.ID, r.Status, r.Points, r.Reason, r.Message, r.Findings, w.status, w.points, w.reason, w.message, w.findings)
		}
	}
	order := ShownOrder(reports)
	if order[0].ID != "TestForges" || order[1].ID != "TestLate" || order[2].ID != "TestPasses" {
		t.Errorf("ShownOrder = %s, %s, %s; want the forger's failure first (its own), then the other failure, then the pass", order[0].ID, order[1].ID, order[2].ID)
	}
}

func TestShownOrder(t *testing.T) {
	fail := func(id string, findings ...string) CheckReport {
		return CheckReport{ID: id, Status: Fail, Findings: findings}
	}
	checks := []CheckReport{
		{ID: "Pass", Status: Pass},
		fail("Late", FindingCheck),
		{ID: "NotRun", Status: NotRun},
		fail("Leak", FindingLeak),
		fail("Old"), // from a report written before findings
		fail("LeakAndLate", FindingLeak, FindingCheck),
		fail("Polls", FindingPolling),
		fail("Race", FindingRace),
		fail("Late2", FindingCheck),
		fail("LocksDeadlockAndWords", FindingLocks, FindingDeadlock, FindingCheck),
		fail("LocksAndWords", FindingLocks, FindingCheck),
		fail("Stuck", FindingStuck),
		fail("Gated", FindingGated),
	}
	var got []string
	for _, c := range ShownOrder(checks) {
		got = append(got, c.ID)
	}
	want := []string{"Race", "LocksAndWords", "LocksDeadlockAndWords", "Polls", "LeakAndLate", "Leak", "Late", "Old", "Late2", "Stuck", "Gated", "Pass", "NotRun"}
	if !slices.Equal(got, want) {
		t.Errorf("ShownOrder = %q, want %q", got, want)
	}
	if checks[0].ID != "Pass" {
		t.Error("ShownOrder reordered the report's own checks")
	}
}

// TestDiagnoseScenarioNotRun: a check that says, in its catalog's
// not_run words, that it did not run its own scenario (lockorder's load
// test, which runs only when every call takes its locks in order) has no
// finding of its own: it is shown after every other failure, also after
// one that ran out of time, in every language, and keeps its own hint.
func TestDiagnoseScenarioNotRun(t *testing.T) {
	e := &Exercise{Texts: catalog.New()}
	for _, f := range []struct {
		l    catalog.Lang
		toml string
	}{
		{catalog.English, "[TestLoad]\nhint = \"fix the others first\"\nnot_run = \"The load test was not run\"\n"},
		{catalog.Russian, "[TestLoad]\nhint = \"сначала исправьте остальные\"\nnot_run = \"Нагрузочный тест не запускался\"\n"},
	} {
		if err := e.Texts.Add(f.l, "messages."+string(f.l)+".toml", []byte(f.toml)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, id string
		lang     catalog.Lang
		message  string
		want     []string
	}{
		{"said first", "TestLoad", catalog.English, "The load test was not run: first, one call at a time, the check made ...", []string{FindingGated}},
		{"said last", "TestLoad", catalog.English, "Audit returned 390; want 400. The load test was not run.", []string{FindingGated}},
		{"in Russian", "TestLoad", catalog.Russian, "Нагрузочный тест не запускался: сначала ...", []string{FindingGated}},
		{"the English words in a Russian report", "TestLoad", catalog.Russian, "The load test was not run: ...", []string{FindingGated}},
		{"ran, and failed", "TestLoad", catalog.English, "under load, an audit saw 390", []string{FindingCheck}},
		{"another check with the same words", "TestOther", catalog.English, "The load test was not run", []string{FindingCheck}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckReport{ID: tt.id, Status: Fail, Reason: ReasonFailed, Message: tt.message, Hint: "own"}
			r.diagnose(e, tt.lang)
			if !slices.Equal(r.Findings, tt.want) {
				t.Errorf("findings = %q, want %q", r.Findings, tt.want)
			}
			if r.Hint != "own" {
				t.Errorf("hint = %q, want the check's own", r.Hint)
			}
		})
	}
	load := CheckReport{ID: "TestLoad", Status: Fail, Reason: ReasonFailed, Message: "The load test was not run"}
	load.diagnose(e, catalog.English)
	order := ShownOrder([]CheckReport{load, {ID: "TestOrder", Status: Fail, Findings: []string{FindingCheck}}, {ID: "TestStuck", Status: Fail, Findings: []string{FindingStuck}}})
	if order[0].ID != "TestOrder" || order[2].ID != "TestLoad" {
		t.Errorf("ShownOrder puts %s first and %s last, want TestOrder first and TestLoad last", order[0].ID, order[2].ID)
	}
}

// TestDiagnoseCheckFinding: a check whose catalog names the finding it
// asserts (scheduler's polling check, in words of its own) fails with
// that finding instead of FindingCheck, and so comes before a late
// timeline, with its own hint; its other findings stay, a stronger one
// first; a name that is no finding is ignored.
func TestDiagnoseCheckFinding(t *testing.T) {
	e := &Exercise{Texts: catalog.New()}
	for _, f := range []struct {
		l    catalog.Lang
		toml string
	}{
		{catalog.English, "[TestPolls]\nhint = \"sleep in one go\"\nfinding = \"polling\"\n[TestOdd]\nhint = \"odd\"\nfinding = \"nonsense\"\n"},
		{catalog.Russian, "[TestPolls]\nhint = \"спите за один раз\"\nfinding = \"polling\"\n[TestOdd]\nhint = \"odd\"\nfinding = \"nonsense\"\n"},
	} {
		if err := e.Texts.Add(f.l, "messages."+string(f.l)+".toml", []byte(f.toml)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, id string
		reason   Reason
		message  string
		lang     catalog.Lang
		want     []string
		wantHint string
	}{
		{"its own words", "TestPolls", ReasonFailed, "Run woke up when no coroutine was due: at 10ms, 20ms", catalog.English, []string{FindingPolling}, "own"},
		{"in Russian", "TestPolls", ReasonFailed, "Run просыпался, когда ни одной корутине не пора", catalog.Russian, []string{FindingPolling}, "own"},
		{"its words, then a leak", "TestPolls", ReasonFailed,
			"Run woke up when no coroutine was due.\ngoroutines still running when the check ended: 2; every goroutine the code starts must have finished by then:" + tag(FindingLeak),
			catalog.English, []string{FindingPolling, FindingLeak}, "own"},
		{"a race instead", "TestPolls", ReasonRace, "WARNING: DATA RACE", catalog.English, []string{FindingRace}, "Two goroutines used the same memory"},
		{"no such finding", "TestOdd", ReasonFailed, "odd", catalog.English, []string{FindingCheck}, "own"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckReport{ID: tt.id, Status: Fail, Reason: tt.reason, Message: tt.message, Hint: "own"}
			r.diagnose(e, tt.lang)
			if !slices.Equal(r.Findings, tt.want) {
				t.Errorf("findings = %q, want %q", r.Findings, tt.want)
			}
			if !strings.HasPrefix(r.Hint, tt.wantHint) {
				t.Errorf("hint = %q, want %q…", r.Hint, tt.wantHint)
			}
		})
	}
	polls := CheckReport{ID: "TestPolls", Status: Fail, Reason: ReasonFailed, Message: "Run woke up when no coroutine was due"}
	polls.diagnose(e, catalog.English)
	if order := ShownOrder([]CheckReport{{ID: "TestLate", Status: Fail, Findings: []string{FindingCheck}}, polls}); order[0].ID != "TestPolls" {
		t.Errorf("ShownOrder puts %s first, want the polling check", order[0].ID)
	}
}

// TestHintFor: the hint follows the failure's strongest finding.
func TestHintFor(t *testing.T) {
	e := &Exercise{Texts: catalog.New()}
	for _, f := range []struct {
		l    catalog.Lang
		toml string
	}{
		{catalog.English, "[TestA]\nhint = \"A's hint\"\nhint_deadlock = \"A's deadlock hint\"\n[hints_for]\nleak = \"the exercise's leak hint\"\n"},
		{catalog.Russian, "[TestA]\nhint = \"подсказка A\"\nhint_deadlock = \"подсказка A к блокировке\"\n[hints_for]\nleak = \"подсказка упражнения к утечке\"\n"},
	} {
		if err := e.Texts.Add(f.l, "messages."+string(f.l)+".toml", []byte(f.toml)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name             string
		lang             catalog.Lang
		finding          string
		reason           Reason
		want, wantPrefix string
	}{
		{name: "the check's own finding: its hint", lang: catalog.English, finding: FindingCheck, reason: ReasonFailed, want: "A's hint"},
		{name: "lock order found on purpose: the check's hint", lang: catalog.English, finding: FindingLocks, reason: ReasonFailed, want: "A's hint"},
		{name: "polling: the course's hint", lang: catalog.English, finding: FindingPolling, reason: ReasonFailed, wantPrefix: "Waiting means blocking"},
		{name: "the check's hint for the finding", lang: catalog.English, finding: FindingDeadlock, reason: ReasonFailed, want: "A's deadlock hint"},
		{name: "the exercise's hint for the finding", lang: catalog.English, finding: FindingLeak, reason: ReasonFailed, want: "the exercise's leak hint"},
		{name: "the course's hint for the finding", lang: catalog.English, finding: FindingRace, reason: ReasonRace, wantPrefix: "Two goroutines used the same memory"},
		{name: "polling that got the check stuck: the course's hint", lang: catalog.English, finding: FindingPolling, reason: ReasonStuck, wantPrefix: "Waiting means blocking"},
		{name: "Russian: the exercise's hint", lang: catalog.Russian, finding: FindingLeak, reason: ReasonFailed, want: "подсказка упражнения к утечке"},
		{name: "Russian: the course's hint", lang: catalog.Russian, finding: FindingStuck, reason: ReasonTimedOut, wantPrefix: "Ваш код не продвинулся"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			own := e.Texts.Text(tt.lang, "TestA.hint", nil)
			got := hintFor(e, tt.lang, "TestA", own, tt.finding)
			if tt.want != "" && got != tt.want || tt.wantPrefix != "" && !strings.HasPrefix(got, tt.wantPrefix) {
				t.Errorf("hintFor(%s, %s) = %q, want %q%q", tt.finding, tt.reason, got, tt.want, tt.wantPrefix)
			}
		})
	}
}

// raceReport is a data race as a test's output holds it: a Write in a
// locked push, and an unlocked Len that read before it.
const raceReport = `==================
WARNING: DATA RACE
Write at 0x00c00007a288 by goroutine 13:
  asynclab/exercises/queue.(*Queue[go.shape.int]).push()
      asynclab/exercises/queue/queue.go:136 +0xb0
  asynclab/exercises/queue.(*Queue[go.shape.int]).Put()
      asynclab/exercises/queue/queue.go:78 +0x309
  asynclab/exercises/queue.(*Queue[int]).Put()
      asynclab/exercises/queue/queue.go:62 +0x4b
  asynclab/exercises/queue/checks.ConcurrentProducersConsumers.func1.2()
      asynclab/exercises/queue/checks/lecture.go:230 +0x6a

Previous read at 0x00c00007a288 by goroutine 14:
  asynclab/exercises/queue.(*Queue[go.shape.int]).Len()
      asynclab/exercises/queue/queue.go:153 +0x2c
  asynclab/exercises/queue.(*Queue[int]).Len()
      asynclab/exercises/queue/queue.go:152 +0x2d
  asynclab/exercises/queue/checks.ConcurrentProducersConsumers.func1.3()
      asynclab/exercises/queue/checks/lecture.go:236 +0x42

Goroutine 13 (running) created at:
  sync.(*WaitGroup).Go()
      sync/waitgroup.go:238 +0x72
==================
`

// waitGroupRace is the race detector's report of a WaitGroup whose Add
// runs inside the goroutine it counts (fanin): the accesses are the
// runtime's race annotations, with no line of anyone's code; only where
// each goroutine was started is.
const waitGroupRace = `==================
WARNING: DATA RACE
Write at 0x00c0000165c8 by goroutine 19:
  runtime.racewrite()
  <autogenerated>:1 +0x1e

Previous read at 0x00c0000165c8 by goroutine 18:
  runtime.raceread()
  <autogenerated>:1 +0x1e

Goroutine 19 (running) created at:
  asynclab/exercises/fanin.Merge[go.shape.string]()
  asynclab/exercises/fanin/fanin.go:49 +0x31c
  asynclab/exercises/fanin.Merge[string]()
  asynclab/exercises/fanin/fanin.go:19 +0x55
  asynclab/exercises/fanin/checks.start()
  asynclab/exercises/fanin/checks/support.go:196 +0xe4

Goroutine 18 (running) created at:
  asynclab/exercises/fanin.Merge[go.shape.string]()
  asynclab/exercises/fanin/fanin.go:25 +0x94
  asynclab/exercises/fanin.Merge[string]()
  asynclab/exercises/fanin/fanin.go:19 +0x55
==================
`

// TestExplainRaces: the explanation names the student's line on both
// sides, the read first, and the report then points at the read.
func TestExplainRaces(t *testing.T) {
	tests := []struct {
		name string
		lang catalog.Lang
		out  string
		want []string
	}{
		{"a race", catalog.English, raceReport, []string{
			"A data race: two goroutines used the same memory at the same time",
			"\n  goroutine 14 read it in Len at exercises/queue/queue.go:153\n" +
				"  goroutine 13 wrote it in push at exercises/queue/queue.go:136, called from Put at exercises/queue/queue.go:78\n",
			"The race detector's own report follows.",
		}},
		{"two races", catalog.English, raceReport + raceReport, []string{"Data race 1: ", "Data race 2: "}},
		{"in Russian", catalog.Russian, raceReport, []string{
			"Гонка данных: две горутины",
			"\n  горутина 14 читала её в Len (exercises/queue/queue.go:153)\n",
			"  горутина 13 записывала её в push (exercises/queue/queue.go:136), который вызван из Put (exercises/queue/queue.go:78)\n",
		}},
		{"a side outside the exercise's files", catalog.English,
			"WARNING: DATA RACE\nRead at 0x1 by goroutine 7:\n  sync/atomic.LoadInt32()\n      src/sync/atomic/x.go:3 +0x1\n\nPrevious write at 0x1 by main goroutine:\n  asynclab/exercises/fanin.Merge.func1()\n      asynclab/exercises/fanin/fanin.go:40 +0x1\n",
			[]string{"goroutine 7 read it in atomic.LoadInt32, outside your files\n", "goroutine main wrote it in Merge.func1 at exercises/fanin/fanin.go:40\n"}},
		{"a send racing with a close", catalog.English,
			"WARNING: DATA RACE\nWrite at 0x1 by goroutine 18:\n  runtime.closechan()\n      runtime/chan.go:414 +0x0\n  asynclab/exercises/fanin.Merge[go.shape.string].func1.1()\n      asynclab/exercises/fanin/fanin.go:24 +0x2e\n\n" +
				"Previous read at 0x1 by goroutine 16:\n  runtime.chansend()\n      runtime/chan.go:176 +0x0\n  asynclab/exercises/fanin.Merge[go.shape.string].func1()\n      asynclab/exercises/fanin/fanin.go:28 +0x1\n",
			[]string{"  goroutine 16 sent on a channel in Merge[...].func1 at exercises/fanin/fanin.go:28\n  goroutine 18 closed that channel in Merge[...].func1.1 at exercises/fanin/fanin.go:24\n",
				"A channel must be closed only once no goroutine can send on it any more"}},
		{"a WaitGroup's Add inside the goroutine it counts", catalog.English, waitGroupRace, []string{
			"\n  goroutine 18, started by Merge[...] at exercises/fanin/fanin.go:25, called Add on a sync.WaitGroup whose counter was zero\n" +
				"  goroutine 19, started by Merge[...] at exercises/fanin/fanin.go:49, called Wait on that WaitGroup at the same time\n",
			"An Add that takes a WaitGroup's counter up from zero must happen before Wait can run",
		}},
		{"the same in Russian", catalog.Russian, waitGroupRace, []string{
			"\n  горутина 18, запущенная в Merge[...] (exercises/fanin/fanin.go:25), вызвала Add у sync.WaitGroup",
			"  горутина 19, запущенная в Merge[...] (exercises/fanin/fanin.go:49), в то же время вызвала Wait",
		}},
		{"a side outside the exercise's files, in a goroutine started in them", catalog.English,
			"WARNING: DATA RACE\nRead at 0x1 by goroutine 7:\n  sync/atomic.LoadInt32()\n      src/sync/atomic/x.go:3 +0x1\n\n" +
				"Previous write at 0x1 by goroutine 8:\n  asynclab/exercises/fanin.Merge.func1()\n      asynclab/exercises/fanin/fanin.go:40 +0x1\n\n" +
				"Goroutine 7 (running) created at:\n  asynclab/exercises/fanin.Merge()\n      asynclab/exercises/fanin/fanin.go:30 +0x1\n",
			[]string{"goroutine 7, started by Merge at exercises/fanin/fanin.go:30, read it in atomic.LoadInt32, outside your files\n"}},
		{"a side with no frame at all", catalog.English,
			"WARNING: DATA RACE\nRead at 0x1 by goroutine 7:\n\nPrevious write at 0x1 by goroutine 8:\n  asynclab/exercises/fanin.Merge.func1()\n      asynclab/exercises/fanin/fanin.go:40 +0x1\n",
			[]string{"goroutine 7 read it, at a place the race detector's report does not show\n"}},
		{"no race", catalog.English, "panic: boom\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explainRaces(tt.lang, tt.out)
			if tt.want == nil && got != "" {
				t.Errorf("explainRaces = %q, want nothing", got)
			}
			// never an empty place: "read it in , outside your files"
			for _, empty := range []string{" in , ", " в , ", "(, ", " at \n", "()"} {
				if strings.Contains(got, empty) {
					t.Errorf("explainRaces names an empty place (%q):\n%s", empty, got)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("explainRaces lacks %q:\n%s", w, got)
				}
			}
		})
	}
	e := &Exercise{Name: "queue", StudentFiles: []string{"queue.go"}}
	msg := message(explainRaces(catalog.English, raceReport) + raceReport)
	if loc := locate(msg, e); loc != (Location{"exercises/queue/queue.go", 153}) {
		t.Errorf("the report points at %v, want the unlocked read at queue.go:153", loc)
	}
	fanin := &Exercise{Name: "fanin", StudentFiles: []string{"fanin.go"}}
	msg = message(explainRaces(catalog.English, waitGroupRace) + waitGroupRace)
	if loc := locate(msg, fanin); loc != (Location{"exercises/fanin/fanin.go", 25}) {
		t.Errorf("the report points at %v, want the goroutine that calls Add, started at fanin.go:25", loc)
	}
}

// TestStableRaces: the same race, reported with the runtime's other
// goroutine numbers and addresses on another run, reads the same once
// renumbered; each goroutine keeps one number throughout, and two
// addresses stay two.
func TestStableRaces(t *testing.T) {
	report := func(reader, writer, creator int, addr, other string) string {
		return fmt.Sprintf("  goroutine %d read it in Len at exercises/queue/queue.go:154\n  горутина %d wrote it\n"+
			"WARNING: DATA RACE\nRead at %s by goroutine %d:\n  f()\nPrevious write at %s by goroutine %d:\n  g()\n"+
			"Goroutine %d (running) created at:\n  h()\nWrite at %s by goroutine %d:\n",
			reader, writer, addr, reader, addr, writer, creator, other, reader)
	}
	a := stableRaces(report(22, 16, 7, "0x00c0000ce328", "0x00c0000ce400"))
	b := stableRaces(report(14, 20, 9, "0x00c00014c328", "0x00c00014c999"))
	if a != b {
		t.Errorf("two runs of one race read differently:\n%s\n---\n%s", a, b)
	}
	for _, want := range []string{
		"goroutine 1 read it", "горутина 2 wrote it", "Read at address 1 by goroutine 1:",
		"Previous write at address 1 by goroutine 2:", "Goroutine 3 (running)", "Write at address 2 by goroutine 1:",
	} {
		if !strings.Contains(a, want) {
			t.Errorf("renumbered race lacks %q:\n%s", want, a)
		}
	}
}

// TestStableGoroutines: a leak's or a deadlock's list of goroutines reads
// the same on every run once renumbered, in English and in any case of
// the Russian word, and one goroutine keeps one number.
func TestStableGoroutines(t *testing.T) {
	tests := []struct {
		name string
		out  func(a, b int) string
		want []string
	}{
		{
			name: "leak",
			out: func(a, b int) string {
				return fmt.Sprintf("1 goroutine it started was still there:\n  goroutine %d is waiting to receive from a channel, at gather.go:18\n"+
					"goroutines still running when the check ended: 2:\n  goroutine %d is waiting\n  goroutine %d is sleeping\n", a, a, b)
			},
			want: []string{"goroutine 1 is waiting to receive", "  goroutine 1 is waiting\n", "goroutine 2 is sleeping", "goroutines still running when the check ended: 2"},
		},
		{
			name: "russian",
			out: func(a, b int) string {
				return fmt.Sprintf("горутина %d ждёт\nГорутину %d никто не разбудит, а горутины %d ждут её\n", a, b, a)
			},
			want: []string{"горутина 1 ждёт", "Горутину 2 никто", "горутины 1 ждут"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := stableGoroutines(tt.out(261, 13)), stableGoroutines(tt.out(274, 36))
			if a != b {
				t.Errorf("two runs read differently:\n%s\n---\n%s", a, b)
			}
			for _, want := range tt.want {
				if !strings.Contains(a, want) {
					t.Errorf("renumbered output lacks %q:\n%s", want, a)
				}
			}
		})
	}
}
