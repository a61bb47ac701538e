package grader

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/format"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"asynclab/catalog"
	"asynclab/grader/mutate"
	"asynclab/internal/wire"

	"golang.org/x/sync/errgroup"
)

// Problem is one thing wrong with a course: where it is, and what.
type Problem struct {
	File    string // module-relative, slash-separated; "" for the course as a whole
	Line    int    // 0 when the problem is about the whole file
	Message string // one line
	Detail  string // more lines (a failed check's message, compiler output), or ""
}

// String is "file:line: message", the form editors and CI logs link.
func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Message
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	default:
		return p.File + ": " + p.Message
	}
}

// VerifyRun is one way of running every check of the corpus.
type VerifyRun struct {
	Count int      // runs of each check (-test.count)
	Env   []string // extra environment for the test binaries, e.g. "GOMAXPROCS=1"
}

// RepeatRuns are the runs of a determinism check: above 1, every check runs
// n times at GOMAXPROCS=1 and again at GOMAXPROCS=8, and must give the same
// verdict every time. RepeatRuns(1) runs every check once.
func RepeatRuns(n int) []VerifyRun {
	if n <= 1 {
		return []VerifyRun{{Count: 1}}
	}
	return []VerifyRun{{n, []string{"GOMAXPROCS=1"}}, {n, []string{"GOMAXPROCS=8"}}}
}

// VerifyOptions tune Verify. The zero value verifies every exercise, each
// check run once, NumCPU files graded at once.
type VerifyOptions struct {
	Exercises []string    // only these; default all
	Runs      []VerifyRun // default RepeatRuns(1)
	Jobs      int         // corpus files graded at once; default runtime.NumCPU()
	// Progress, if set, is called after each corpus file is graded, by one
	// goroutine at a time.
	Progress func(VerifyProgress)
}

// VerifyProgress says that one corpus file has been graded.
type VerifyProgress struct {
	Exercise string
	File     string // "stub", "solution", "mutants/x.go", "alternatives/y.go"
	Problems int    // found in this file
	Done     int    // files graded so far, this one included
	Total    int
}

// VerifyReport is what Verify found, exercise by exercise in course order.
type VerifyReport struct {
	Exercises []ExerciseVerification
}

// ExerciseVerification is what Verify found in one exercise.
type ExerciseVerification struct {
	Name     string
	Files    int // corpus files graded: stub, solution, alternatives, mutants
	Problems []Problem
	// CoinTosses are the measured rates of the mutants' coin-toss checks,
	// by file and check, too low or not: an author sees how close to the
	// bar a check is before it slips under it.
	CoinTosses []CoinToss
}

// CoinToss is how often one coin-toss check failed its mutant in single
// runs of its scenario (see judgeCoinToss).
type CoinToss struct {
	File   string // the mutant, relative to the course root
	Check  string
	Failed int // single runs that failed
	Runs   int
}

// Escape is the share of gradings the mutant passes: each grading runs the
// scenario wire.DefaultRuns times, and all of them must pass.
func (c CoinToss) Escape() float64 {
	if c.Runs == 0 {
		return 1
	}
	return math.Pow(1-float64(c.Failed)/float64(c.Runs), wire.DefaultRuns)
}

// String is the measurement in words, for verify's report.
func (c CoinToss) String() string {
	return fmt.Sprintf("coin toss: %s fails %s in %d of %d single runs (passes %s)",
		c.File, c.Check, c.Failed, c.Runs, formatEscape(c.Escape()))
}

// formatEscape words a share of gradings: a percentage down to 0.1%,
// then one grading in so many.
func formatEscape(p float64) string {
	switch {
	case p == 0:
		return "no grading"
	case p >= 0.001:
		return "about " + strconv.FormatFloat(100*p, 'f', 1, 64) + "% of gradings"
	case p < 1e-9:
		return "fewer than one grading in a billion"
	}
	return fmt.Sprintf("about one grading in %d", int64(math.Round(1/p)))
}

// Problems lists every problem of every exercise.
func (r *VerifyReport) Problems() []Problem {
	var ps []Problem
	for _, e := range r.Exercises {
		ps = append(ps, e.Problems...)
	}
	return ps
}

// ErrNoSolutions is Verify's error in a course without solutions/: a
// student's copy has no corpus to verify.
var ErrNoSolutions = errors.New("no solutions/ folder: verifying needs the instructor's copy of the course, not a student's")

// Verify is the course's self-test. It grades every exercise's stub (it
// must score 0), reference solution and alternatives (full marks) and
// mutants (each must lose the checks its "// Fails:" header names) through
// Grade, the path students are graded by, and checks that the corpus covers
// the rubric: every name in a Fails: header is a check, every check is named
// by some mutant, and there are at least two alternatives. With several
// runs or a count above 1, every check must also give the same verdict on
// every run.
//
// Problems with the course are in the report; the error is for problems
// with the grading machinery (no go command, a cancelled context).
func Verify(ctx context.Context, c *Course, opts VerifyOptions) (*VerifyReport, error) {
	if !c.HasSolutions() {
		return nil, ErrNoSolutions
	}
	// The course's self-test grades with the race detector, as students
	// are graded: a mutant whose only fault is a data race must fail.
	if err := CheckRaceDetector(ctx, c, Options{}); err != nil {
		return nil, err
	}
	exercises, err := c.selected(opts.Exercises)
	if err != nil {
		return nil, err
	}
	runs := opts.Runs
	if len(runs) == 0 {
		runs = RepeatRuns(1)
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}

	type job struct {
		ex int
		e  *Exercise
		f  corpusFile
		v  fileVerdict
	}
	r := &VerifyReport{Exercises: make([]ExerciseVerification, len(exercises))}
	var all []*job
	stale, _ := StaleOriginals(c) // a course without a record has nothing to be stale
	for i, e := range exercises {
		files, problems := planCorpus(c, e)
		problems = append(problems, staleGiven(c, e, stale)...)
		problems = append(problems, unknownTexts(c, e)...)
		r.Exercises[i] = ExerciseVerification{Name: e.Name, Files: len(files), Problems: problems}
		for _, f := range files {
			all = append(all, &job{ex: i, e: e, f: f})
		}
	}

	var (
		mu   sync.Mutex
		done int
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for _, j := range all {
		g.Go(func() error {
			var err error
			if j.v, err = verifyFile(gctx, c, j.e, j.f, runs); err != nil {
				return fmt.Errorf("grading %s: %w", relTo(c.Root, j.f.path), err)
			}
			mu.Lock()
			defer mu.Unlock()
			done++
			if opts.Progress != nil {
				opts.Progress(VerifyProgress{Exercise: j.e.Name, File: j.f.name, Problems: len(j.v.problems), Done: done, Total: len(all)})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	verdicts := make([][]fileVerdict, len(exercises))
	for _, j := range all {
		r.Exercises[j.ex].Problems = append(r.Exercises[j.ex].Problems, j.v.problems...)
		r.Exercises[j.ex].CoinTosses = append(r.Exercises[j.ex].CoinTosses, j.v.coinTosses...)
		verdicts[j.ex] = append(verdicts[j.ex], j.v)
	}
	for i, e := range exercises {
		r.Exercises[i].Problems = append(r.Exercises[i].Problems, raceMarks(c, e, verdicts[i])...)
	}
	return r, nil
}

// staleGiven is a problem for each of e's given files that the record of
// the course's given files (OriginalsPath), whose stale entries are
// stale, does not hold as it is: a student's grader check grades with
// the recorded copy, so a given file changed since would grade the
// student with the old one.
func staleGiven(c *Course, e *Exercise, stale []string) []Problem {
	prefix := relTo(c.Root, e.Dir) + "/"
	var problems []Problem
	for _, rel := range stale {
		if strings.HasPrefix(rel, prefix) {
			problems = append(problems, Problem{File: OriginalsPath, Message: fmt.Sprintf(
				"%s is not as %s records it, so students' grader check would grade with the recorded copy: run grader given (or go generate ./cmd/grader)", rel, OriginalsPath)})
		}
	}
	return problems
}

// saidText finds the text ids a check says: harness.Say("id", …) and
// harness.Count("id", …).
var saidText = regexp.MustCompile(`harness\.(?:Say|Count)\(\s*"([^"]+)"`)

// unknownTexts is a problem for each text id that e's test files or
// checks package say and its English catalog does not have: students
// would read "[id]". (A catalog line put under the wrong table is the
// usual cause.)
func unknownTexts(c *Course, e *Exercise) []Problem {
	if e.Texts == nil {
		return nil
	}
	tests, _ := filepath.Glob(filepath.Join(e.Dir, "*_test.go"))
	checks, _ := filepath.Glob(filepath.Join(e.Dir, "checks", "*.go"))
	var problems []Problem
	for _, f := range append(tests, checks...) {
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range saidText.FindAllSubmatchIndex(src, -1) {
			id := string(src[m[2]:m[3]])
			if e.Texts.Has(catalog.English, id) {
				continue
			}
			problems = append(problems, Problem{File: relTo(c.Root, f), Line: 1 + bytes.Count(src[:m[0]], []byte("\n")), Message: fmt.Sprintf(
				"says the text %s, which %s.en.toml does not have, so students would read [%s]: add it there, under the table its id names", id, CatalogBase, id)})
		}
	}
	return problems
}

// What a corpus file must score.
const (
	corpusStub   = "stub"   // 0 points
	corpusFull   = "full"   // full marks
	corpusMutant = "mutant" // loses the checks it names
)

// corpusFile is a student file of the corpus and what it must score.
type corpusFile struct {
	name      string   // "stub", "solution", "mutants/x.go", "alternatives/y.go"
	path      string   // the file
	kind      string   // corpusStub, corpusFull or corpusMutant
	fails     []string // checks a mutant must fail
	failsLine int      // line of a mutant's Fails: header
	// coinToss: checks of fails that the mutant fails on a coin toss in
	// one run of a check's scenario (its "// Coin toss:" header), and so
	// fails in every grading only because harness.Run repeats it.
	coinToss []string
	coinLine int // line of the Coin toss: header
	// says: words the first failure shown for the mutant must contain
	// (its "// First failure says:" header), in English.
	says     []string
	saysLine int
}

// minAlternatives is how many correct alternatives each exercise needs, so
// that no check over-fits one style.
const minAlternatives = 2

// planCorpus lists an exercise's stub, solution, mutants and alternatives,
// and the problems that show without grading: a missing file, a bad or
// unknown name in a Fails: header, a check no mutant names, too few
// alternatives.
func planCorpus(c *Course, e *Exercise) ([]corpusFile, []Problem) {
	rubric := filepath.Join(e.Dir, "rubric.toml")
	rubricText, _ := os.ReadFile(rubric)
	atRubric := func(needle, format string, args ...any) Problem {
		return Problem{File: relTo(c.Root, rubric), Line: lineOf(string(rubricText), needle), Message: fmt.Sprintf(format, args...)}
	}
	var problems []Problem
	if len(e.StudentFiles) != 1 {
		return nil, []Problem{atRubric("student_files", "the corpus expects one student file, %s has %d", e.Name, len(e.StudentFiles))}
	}
	student := e.StudentFiles[0]
	var files []corpusFile
	if stub := filepath.Join(e.Dir, student); fileExists(stub) {
		files = append(files, corpusFile{name: "stub", path: stub, kind: corpusStub})
	} else {
		problems = append(problems, atRubric(strconv.Quote(student), "the stub %s does not exist: the course ships every student file, as a stub", student))
	}
	if sol := filepath.Join(c.Root, "solutions", e.Name, student); fileExists(sol) {
		files = append(files, corpusFile{name: "solution", path: sol, kind: corpusFull})
	} else {
		problems = append(problems, Problem{File: relTo(c.Root, sol), Message: "the reference solution is missing"})
	}

	mutantDir := filepath.Join(e.Dir, "testdata", "mutants")
	altDir := filepath.Join(e.Dir, "testdata", "alternatives")
	mutants, _ := filepath.Glob(filepath.Join(mutantDir, "*.go"))
	alts, _ := filepath.Glob(filepath.Join(altDir, "*.go"))
	if len(mutants) == 0 {
		problems = append(problems, Problem{File: relTo(c.Root, mutantDir), Message: "no mutants (*.go): no check earns its points"})
	}
	if len(alts) < minAlternatives {
		problems = append(problems, Problem{File: relTo(c.Root, altDir),
			Message: fmt.Sprintf("%d alternatives; want at least %d styles, so that no check over-fits one", len(alts), minAlternatives)})
	}
	named := map[string]bool{}
	for _, m := range mutants {
		rel := relTo(c.Root, m)
		fails, line, err := mutantFails(m)
		if err != nil {
			problems = append(problems, Problem{File: rel, Line: line, Message: err.Error()})
			continue
		}
		for _, id := range fails {
			named[id] = true
			if !hasCheck(e, id) {
				problems = append(problems, Problem{File: rel, Line: line, Message: fmt.Sprintf("Fails: names %s, which is not a check of %s", id, e.Name)})
			}
		}
		coin, coinLine := mutantCoinToss(m)
		for _, id := range coin {
			if !slices.Contains(fails, id) {
				problems = append(problems, Problem{File: rel, Line: coinLine, Message: fmt.Sprintf("Coin toss: names %s, which its Fails: header does not", id)})
			}
		}
		says, saysLine := FirstFailureSays(m)
		files = append(files, corpusFile{name: "mutants/" + filepath.Base(m), path: m, kind: corpusMutant, fails: fails, failsLine: line,
			coinToss: coin, coinLine: coinLine, says: says, saysLine: saysLine})
	}
	for _, a := range alts {
		files = append(files, corpusFile{name: "alternatives/" + filepath.Base(a), path: a, kind: corpusFull})
	}
	for _, ch := range e.Checks {
		if !named[ch.Test] {
			problems = append(problems, atRubric(strconv.Quote(ch.Test),
				"no mutant in %s names %s in its Fails: header, so nothing shows the check can fail", relTo(c.Root, mutantDir), ch.Test))
		}
	}
	return files, problems
}

func hasCheck(e *Exercise, test string) bool {
	for _, c := range e.Checks {
		if c.Test == test {
			return true
		}
	}
	return false
}

// mutantFails reads the "// Fails: TestA, TestB" header of a mutant, and
// the line it is on.
func mutantFails(path string) ([]string, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "package ") {
			break
		}
		if list, ok := strings.CutPrefix(line, "// Fails:"); ok {
			var fails []string
			for _, name := range strings.Split(list, ",") {
				if name = strings.TrimSpace(name); name != "" {
					fails = append(fails, name)
				}
			}
			if len(fails) > 0 {
				return fails, n, nil
			}
			return nil, n, errors.New("the Fails: header names no check")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, 0, err
	}
	return nil, 1, errors.New("no \"// Fails: TestX\" line before the package clause")
}

// mutantCoinToss reads the "// Coin toss: TestA, TestB" header of a
// mutant, if any, and the line it is on: the checks of its Fails: header
// that it fails only on some runs of their scenario (a select that picks
// at random, goroutines woken at the same instant), which harness.Run's
// repetition turns into a failure on every grading.
func mutantCoinToss(path string) ([]string, int) { return mutantList(path, "// Coin toss:") }

// FirstFailureHeader begins a mutant's header line that lists, comma
// separated, words that the first failure a report shows for it must
// contain (in any case): in its check's name, reason or message.
const FirstFailureHeader = "// First failure says:"

// FirstFailureSays reads a mutant's First failure says: header, and the
// line it is on; nil and 0 without one.
func FirstFailureSays(path string) ([]string, int) { return mutantList(path, FirstFailureHeader) }

// mutantList reads the comma-separated list after header in a mutant's
// header (the comments before its package clause), and the line it is on.
func mutantList(path, header string) ([]string, int) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, 0
	}
	for n, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "package ") {
			break
		}
		if list, ok := strings.CutPrefix(line, header); ok {
			var out []string
			for _, item := range strings.Split(list, ",") {
				if item = strings.TrimSpace(item); item != "" {
					out = append(out, item)
				}
			}
			return out, n + 1
		}
	}
	return nil, 0
}

// firstShown is the failure a report shows first (ShownOrder) in words,
// as a student's report has them: its check's name and id, its reason
// and message. Not its hint: a hint is the same for every mistake, so its
// words name none.
func firstShown(checks []CheckReport) (string, bool) {
	for _, c := range ShownOrder(checks) {
		if c.Status == Fail {
			return strings.TrimSpace(fmt.Sprintf("%s (%s)\nreason: %s\n%s", c.Name, c.ID, c.Reason, c.Message)), true
		}
	}
	return "", false
}

// runResult is one run's grading of a corpus file.
type runResult struct {
	run    VerifyRun
	report ExerciseReport
}

// fileVerdict is what grading one corpus file showed.
type fileVerdict struct {
	problems []Problem
	// raced: the checks of a mutant's Fails: header that it failed for a
	// data race, with the race detector.
	raced []string
	// withoutRace: the file was graded without the race detector too
	// (the reference solution, and a mutant that raced); notRun are the
	// checks that did not run there, those that need the race detector.
	withoutRace bool
	notRun      []string
	coinTosses  []CoinToss // the coin-toss checks' measured rates
}

// verifyFile grades one corpus file once per run and judges the results.
// The reference solution, and a mutant that fails a check of its Fails:
// header for a data race, are graded once more without the race detector,
// as on a machine with no C compiler (see judgeWithoutRace).
func verifyFile(ctx context.Context, c *Course, e *Exercise, f corpusFile, runs []VerifyRun) (fileVerdict, error) {
	grade := func(run VerifyRun, noRace bool) (ExerciseReport, error) {
		return gradeAs(ctx, c, e, f.path, run, noRace)
	}
	var results []runResult
	for _, run := range runs {
		r, err := grade(run, false)
		if err != nil {
			return fileVerdict{}, err
		}
		results = append(results, runResult{run, r})
	}
	file := relTo(c.Root, f.path)
	v := fileVerdict{problems: judge(file, f, results), raced: raced(f, results)}
	if len(f.coinToss) > 0 {
		// A coin toss must come up in most single runs: each check's
		// scenario runs once per test, coinSamples times.
		r, err := grade(VerifyRun{Count: coinSamples, Env: []string{wire.RunsEnv + "=1"}}, false)
		if err != nil {
			return fileVerdict{}, err
		}
		v.coinTosses = coinTosses(file, f, r)
		v.problems = append(v.problems, judgeCoinToss(file, f, v.coinTosses)...)
	}
	if f.name == "solution" && len(results) > 0 && results[0].report.Status == StatusGraded && results[0].report.Score == results[0].report.Max {
		// A check that compares words, such as a timeline's events, must
		// compare the same words in every language a student may choose.
		// (A solution that fails in English says so once, above.)
		for _, l := range otherLangs(e) {
			r, err := gradeIn(ctx, c, e, f.path, VerifyRun{Count: 1}, false, l)
			if err != nil {
				return fileVerdict{}, err
			}
			v.problems = append(v.problems, judgeIn(file, f, l, r)...)
		}
	}
	if f.name == "solution" || len(v.raced) > 0 {
		r, err := grade(VerifyRun{Count: 1}, true)
		if err != nil {
			return fileVerdict{}, err
		}
		v.withoutRace = true
		for _, ch := range r.Checks {
			if ch.Status == NotRun {
				v.notRun = append(v.notRun, ch.ID)
			}
		}
		v.problems = append(v.problems, judgeWithoutRace(file, f, r)...)
	}
	v.problems = atOwnPath(v.problems, relTo(c.Root, filepath.Join(e.Dir, e.StudentFiles[0])), file)
	return v, nil
}

// atOwnPath rewrites, in problems' details, the student file's path that a
// corpus file laid over it is compiled and reported under (the build's
// errors, "your Get is at …") to the corpus file's own: its lines are the
// corpus file's.
func atOwnPath(problems []Problem, student, file string) []Problem {
	if student == file {
		return problems
	}
	r := strings.NewReplacer(student, file, filepath.FromSlash(student), filepath.FromSlash(file))
	for i := range problems {
		problems[i].Detail = r.Replace(problems[i].Detail)
	}
	return problems
}

// otherLangs are the languages besides English that e's catalogs have.
func otherLangs(e *Exercise) []catalog.Lang {
	var out []catalog.Lang
	for _, l := range catalog.Langs {
		if l != catalog.English && e.Texts != nil && len(e.Texts.IDs(l)) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// judgeIn judges the reference solution's grading r in language l: full
// marks, as in English.
func judgeIn(file string, f corpusFile, l catalog.Lang, r ExerciseReport) []Problem {
	switch {
	case r.Status != StatusGraded:
		return []Problem{{File: file, Message: fmt.Sprintf("in %s: %s (status %s), want it graded", l, f.name, r.Status), Detail: strings.TrimSpace(r.Message + "\n" + r.BuildOutput)}}
	case r.Score != r.Max:
		return []Problem{{File: file, Message: fmt.Sprintf("in %s, %s scores %d/%d, want full marks as in English: a check compares words that differ between languages (record and want the same harness.Say)", l, f.name, r.Score, r.Max), Detail: failures(r)}}
	}
	return nil
}

// unsaidID finds a text id that a message shows instead of its text
// ("[msg.extra_note]"): catalog.Text's answer for an id no catalog has.
// Not after a name: a stack trace's Merge[go.shape.int] is a type.
var unsaidID = regexp.MustCompile(`(?:^|[^\w\].)])(\[[A-Za-z]\w*(?:\.\w+)+\])`)

// unsaidTexts is a problem for each text id that a failure message of r
// shows instead of its text: an id the checks build at run time, which
// unknownTexts cannot read in their source.
func unsaidTexts(file string, r ExerciseReport) []Problem {
	var problems []Problem
	seen := map[string]bool{}
	for _, ch := range r.Checks {
		for _, m := range unsaidID.FindAllStringSubmatch(ch.Message, -1) {
			if id := m[1]; !seen[id] {
				seen[id] = true
				problems = append(problems, Problem{File: file, Message: fmt.Sprintf(
					"%s's message shows %s: a text id the catalog lacks, which students would read as it is (an id built at run time?)", ch.ID, id), Detail: ch.Message})
			}
		}
	}
	return problems
}

// How verify measures a coin toss (a mutant's "// Coin toss:" check):
// coinSamples single runs of each check's scenario, of which at least
// minCoinFailures must fail. A check harness.Run repeats wire.DefaultRuns
// times then fails the mutant in every grading but about one in a
// thousand or fewer: with a per-run failure rate of 0.3, (1-0.3)^20 is
// 0.0008. The bar is lower than 0.3 so that a rate of a third or more is
// not refused by chance (at 0.35, one verify in a thousand), while a
// mutant caught in one run of ten, which escapes one grading in eight, is
// refused all but never.
const (
	coinSamples     = 100
	minCoinFailures = 20
)

// coinTosses measures the coin-toss checks of mutant f in its grading r,
// each check's scenario run once per test coinSamples times.
func coinTosses(file string, f corpusFile, r ExerciseReport) []CoinToss {
	if r.Status != StatusGraded {
		return nil // the main grading reports it
	}
	var out []CoinToss
	for _, id := range f.coinToss {
		i := slices.IndexFunc(r.Checks, func(ch CheckReport) bool { return ch.ID == id })
		if i < 0 || r.Checks[i].Runs == 0 {
			continue
		}
		ch := r.Checks[i]
		out = append(out, CoinToss{File: file, Check: id, Failed: ch.Runs - ch.Passes, Runs: ch.Runs})
	}
	return out
}

// judgeCoinToss finds the coin-toss checks of mutant f, measured as
// coins, that fail too rarely for harness.Run's repetition to fail the
// mutant in every grading.
func judgeCoinToss(file string, f corpusFile, coins []CoinToss) []Problem {
	var problems []Problem
	for _, c := range coins {
		if c.Failed >= minCoinFailures*c.Runs/coinSamples {
			continue
		}
		problems = append(problems, Problem{File: file, Line: f.coinLine, Message: fmt.Sprintf(
			"the mutant failed %s in %d of %d single runs of its scenario, so it passes %s (each runs the scenario %d times); "+
				"a coin-toss check must provoke the fault in most runs: play the scene several times within one run",
			c.Check, c.Failed, c.Runs, formatEscape(c.Escape()), wire.DefaultRuns)})
	}
	return problems
}

// gradeAs grades exercise e with the file at path as its student file,
// through Grade, as students are graded, in English.
func gradeAs(ctx context.Context, c *Course, e *Exercise, path string, run VerifyRun, noRace bool) (ExerciseReport, error) {
	return gradeIn(ctx, c, e, path, run, noRace, catalog.English)
}

// gradeIn is gradeAs in language lang.
func gradeIn(ctx context.Context, c *Course, e *Exercise, path string, run VerifyRun, noRace bool, lang catalog.Lang) (ExerciseReport, error) {
	count := max(run.Count, 1)
	sub := CheckoutSubmission(c).With(e.Name, e.StudentFiles[0], path)
	r, err := Grade(ctx, c, sub, Options{
		Exercises:  []string{e.Name},
		NoRace:     noRace,
		Count:      count,
		Env:        run.Env,
		Jobs:       1,
		RunTimeout: time.Duration(count) * 2 * time.Minute,
		Lang:       lang,
	})
	if err != nil {
		return ExerciseReport{}, err
	}
	return r.Exercises[0], nil
}

// raced lists the checks of a mutant's Fails: header that it failed for a
// data race in some run.
func raced(f corpusFile, results []runResult) []string {
	if f.kind != corpusMutant {
		return nil
	}
	var ids []string
	for _, id := range f.fails {
		for _, res := range results {
			i := slices.IndexFunc(res.report.Checks, func(ch CheckReport) bool { return ch.ID == id })
			if i >= 0 && res.report.Checks[i].Status == Fail && res.report.Checks[i].Reason == ReasonRace {
				ids = append(ids, id)
				break
			}
		}
	}
	return ids
}

// judgeWithoutRace finds what is wrong with a corpus file's grading
// without the race detector (r), as a student with no C compiler is
// graded. The reference solution must pass every check but those that did
// not run. A mutant must pass none of the checks its Fails: header names:
// one that passes is a check that only the race detector makes fail, and
// that check must say so (harness.NeedsRaceDetector), so that without the
// race detector it is reported as not run, never as passed.
func judgeWithoutRace(file string, f corpusFile, r ExerciseReport) []Problem {
	var problems []Problem
	if r.Status != StatusGraded {
		return []Problem{{File: file, Message: fmt.Sprintf("without the race detector: %s (status %s), want it graded", f.name, r.Status),
			Detail: strings.TrimSpace(r.Message + "\n" + r.BuildOutput)}}
	}
	for _, ch := range r.Checks {
		switch {
		case f.kind == corpusFull && ch.Status == Fail:
			problems = append(problems, Problem{File: file, Message: fmt.Sprintf("without the race detector, %s fails %s", f.name, ch.ID), Detail: ch.Message})
		case f.kind == corpusMutant && ch.Status == Pass && slices.Contains(f.fails, ch.ID):
			problems = append(problems, Problem{File: file, Line: f.failsLine, Message: fmt.Sprintf(
				"without the race detector the mutant passes %s, which its Fails: header names: only the race detector catches it there, "+
					"so %s must call harness.NeedsRaceDetector(t) first (then it is not run, rather than passed, where there is no C compiler)", ch.ID, ch.ID)})
		}
	}
	return problems
}

// raceMarks finds the checks of exercise e that say they need the race
// detector (they did not run when files were graded without it) with no
// proof of it: no mutant that names the check fails it for a data race.
// Such a check would not run on a machine with no C compiler for nothing.
func raceMarks(c *Course, e *Exercise, files []fileVerdict) []Problem {
	marked, proven := map[string]bool{}, map[string]bool{}
	for _, v := range files {
		for _, id := range v.notRun {
			marked[id] = true
		}
		for _, id := range v.raced {
			proven[id] = true
		}
	}
	rubric := filepath.Join(e.Dir, "rubric.toml")
	text, _ := os.ReadFile(rubric)
	var problems []Problem
	for _, ch := range e.Checks {
		if marked[ch.Test] && !proven[ch.Test] {
			problems = append(problems, Problem{File: relTo(c.Root, rubric), Line: lineOf(string(text), strconv.Quote(ch.Test)), Message: fmt.Sprintf(
				"%s needs the race detector (it calls harness.NeedsRaceDetector), but no mutant that names it fails it for a data race: "+
					"add a mutant whose only fault is a data race, or drop the call, so that the check runs where there is no C compiler", ch.Test)})
		}
	}
	return problems
}

// judge finds what is wrong with a corpus file's grading: it did not build,
// its score is not what its kind needs, a mutant passes a check it names,
// or a check's verdict varied between runs. file is where to report it.
func judge(file string, f corpusFile, results []runResult) []Problem {
	var problems []Problem
	add := func(line int, label, msg, detail string) {
		if label != "" {
			msg = label + ": " + msg
		}
		problems = append(problems, Problem{File: file, Line: line, Message: msg, Detail: detail})
	}
	first := map[string]CheckStatus{}
	saidFirst, saidUnsaid := false, false
	for _, res := range results {
		ex, run := res.report, res.run
		label := ""
		if len(results) > 1 || run.Count > 1 {
			label = strings.Join(append([]string{fmt.Sprintf("count=%d", max(run.Count, 1))}, run.Env...), " ")
		}
		if ex.Status != StatusGraded {
			add(0, label, fmt.Sprintf("%s (status %s), want it graded", f.name, ex.Status), strings.TrimSpace(ex.Message+"\n"+ex.BuildOutput))
			continue
		}
		if !saidUnsaid {
			saidUnsaid = true
			problems = append(problems, unsaidTexts(file, ex)...)
		}
		verdicts := map[string]CheckReport{}
		for _, ch := range ex.Checks {
			verdicts[ch.ID] = ch
			if ch.Passes != 0 && ch.Passes != ch.Runs {
				add(0, label, fmt.Sprintf("%s passed %d of %d runs: not deterministic", ch.ID, ch.Passes, ch.Runs), ch.Message)
			}
			if prev, ok := first[ch.ID]; ok && prev != ch.Status {
				add(0, label, fmt.Sprintf("%s is %s here and %s in the first run: not deterministic", ch.ID, ch.Status, prev), ch.Message)
			}
			first[ch.ID] = ch.Status
		}
		switch f.kind {
		case corpusStub:
			if ex.Score != 0 {
				add(0, label, fmt.Sprintf("the stub scores %d/%d, want 0; it passes %s", ex.Score, ex.Max, strings.Join(passed(ex), ", ")), "")
			}
		case corpusFull:
			if ex.Score != ex.Max {
				add(0, label, fmt.Sprintf("%s scores %d/%d, want full marks", f.name, ex.Score, ex.Max), failures(ex))
			}
		case corpusMutant:
			for _, id := range f.fails {
				if ch, ok := verdicts[id]; ok && ch.Status == Pass {
					add(f.failsLine, label, fmt.Sprintf("the mutant passes %s, which its Fails: header says it must fail", id), "")
				}
			}
			if first, ok := firstShown(ex.Checks); ok && !saidFirst && len(f.says) > 0 {
				// Once: a first failure's words can vary between runs
				// only with the program's own randomness, which the
				// header's words should not depend on.
				saidFirst = true
				for _, w := range f.says {
					if !strings.Contains(strings.ToLower(first), strings.ToLower(w)) {
						add(f.saysLine, label, fmt.Sprintf("the first failure shown for the mutant does not say %q, which its First failure says: header names", w), first)
					}
				}
			}
		}
	}
	return problems
}

// passed lists the checks of an exercise that passed.
func passed(e ExerciseReport) []string {
	var ids []string
	for _, ch := range e.Checks {
		if ch.Status == Pass {
			ids = append(ids, ch.ID)
		}
	}
	return ids
}

// failures lists the failed checks of an exercise, with their messages.
func failures(e ExerciseReport) string {
	var b strings.Builder
	for _, ch := range e.Checks {
		if ch.Status != Pass {
			fmt.Fprintf(&b, "--- %s (%s)\n%s\n", ch.ID, ch.Reason, ch.Message)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// EquivalentFile is where an exercise lists, relative to its folder, the
// generated mutants of its reference solution that behave as it does, so
// that no check can tell them apart (equivalent mutants), one a line: the
// mutant's id, then why. Lines that start with # are comments:
//
//	# id                       why no program can tell it apart
//	waitOn/chan-buffer/61e9fd  a wake-up channel is only ever closed, never sent on: its buffer is never used
const EquivalentFile = "testdata/equivalent.txt"

// MutateOptions tune VerifyMutants. The zero value mutates the reference
// solution of every exercise, NumCPU mutants graded at once.
type MutateOptions struct {
	Exercises []string // only these; default all
	Jobs      int      // mutants graded at once; default runtime.NumCPU()
	// Alternatives: mutate each exercise's alternatives too
	// (verify --mutate=all), not only its reference solution.
	Alternatives bool
	// Progress, if set, is called after each mutant is graded, by one
	// goroutine at a time.
	Progress func(MutantProgress)
}

// MutantProgress says that one mutant has been graded.
type MutantProgress struct {
	Exercise string
	Mutant   MutantResult
	Done     int // mutants graded so far, this one included
	Total    int
}

// MutantOutcome is what grading a mutant showed.
type MutantOutcome int

// The outcomes of a mutant.
const (
	MutantKilled     MutantOutcome = iota + 1 // some check failed
	MutantSurvived                            // full marks: no check needs what it changed
	MutantEquivalent                          // survived, and listed in EquivalentFile
	MutantNotBuilt                            // did not compile (or the gate refused it); counted apart
)

func (o MutantOutcome) String() string {
	switch o {
	case MutantKilled:
		return "killed"
	case MutantSurvived:
		return "survived"
	case MutantEquivalent:
		return "equivalent"
	case MutantNotBuilt:
		return "did not build"
	}
	return "MutantOutcome(" + strconv.Itoa(int(o)) + ")"
}

// MutantResult is one generated mutant and its grading.
type MutantResult struct {
	mutate.Mutant
	File     string // the file mutated, module-relative: solutions/queue/queue.go
	Outcome  MutantOutcome
	KilledBy string // a killed mutant's first failed check, with why: "TestJoin (timed out)"
	Reason   string // an equivalent mutant's reason, from EquivalentFile
	Diff     string // the mutant against the file it was made from
}

// Problem is a surviving mutant as verify --mutate reports it, like a
// compiler error: "solutions/queue/queue.go:41: delete `q.push(v)`
// (Queue.Put/delete-stmt/17d912)", with the diff as its detail.
func (m MutantResult) Problem() Problem {
	return Problem{File: m.File, Line: m.Line, Message: m.Change + " (" + m.ID + ")", Detail: m.Diff}
}

// ExerciseMutation is what VerifyMutants found in one exercise.
type ExerciseMutation struct {
	Name    string
	Files   []string       // the files mutated, module-relative
	Mutants []MutantResult // file by file, in the order of their lines
	// Problems are those of the exercise's EquivalentFile, and a mutated
	// file that does not score full marks itself (its mutants are then
	// not graded): surviving mutants are not among them.
	Problems []Problem
}

// Count is how many mutants had outcome o.
func (e *ExerciseMutation) Count(o MutantOutcome) int {
	n := 0
	for _, m := range e.Mutants {
		if m.Outcome == o {
			n++
		}
	}
	return n
}

// Score is the mutation score: killed of killed and survived, leaving out
// the equivalent mutants and those that did not build.
func (e *ExerciseMutation) Score() (killed, of int) {
	killed = e.Count(MutantKilled)
	return killed, killed + e.Count(MutantSurvived)
}

// Survivors are the mutants that no check kills and that are not listed
// as equivalent: the checks' blind spots.
func (e *ExerciseMutation) Survivors() []MutantResult {
	var out []MutantResult
	for _, m := range e.Mutants {
		if m.Outcome == MutantSurvived {
			out = append(out, m)
		}
	}
	return out
}

// MutationReport is what VerifyMutants found, exercise by exercise in
// course order.
type MutationReport struct {
	Exercises []ExerciseMutation
}

// Failed reports whether any mutant survived or any exercise has a problem.
func (r *MutationReport) Failed() bool {
	for i := range r.Exercises {
		if len(r.Exercises[i].Problems) > 0 || len(r.Exercises[i].Survivors()) > 0 {
			return true
		}
	}
	return false
}

// mutantJob is one mutant to grade.
type mutantJob struct {
	e      *Exercise
	path   string // its source, written to the scratch folder
	result *MutantResult
}

// VerifyMutants is grader verify --mutate: it generates the mutants of
// each exercise's reference solution (and, with Alternatives, of its
// alternatives) with package mutate, grades every one through Grade, as
// students are graded, Jobs at a time, and sorts them into killed,
// surviving, equivalent (listed in the exercise's EquivalentFile) and
// not built. Each mutated file is graded first as it is: it must score
// full marks, or its mutants would be killed by what is wrong with it.
//
// Problems with the course are in the report; the error is for problems
// with the grading machinery (no go command, a cancelled context).
func VerifyMutants(ctx context.Context, c *Course, opts MutateOptions) (*MutationReport, error) {
	if !c.HasSolutions() {
		return nil, ErrNoSolutions
	}
	if err := CheckRaceDetector(ctx, c, Options{}); err != nil {
		return nil, err
	}
	exercises, err := c.selected(opts.Exercises)
	if err != nil {
		return nil, err
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	tmp, err := os.MkdirTemp("", "asynclab-mutants-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	r := &MutationReport{Exercises: make([]ExerciseMutation, len(exercises))}
	plans := make([][]mutatedFile, len(exercises))
	for i, e := range exercises {
		r.Exercises[i].Name = e.Name
		files, problems, err := planMutants(c, e, opts.Alternatives, filepath.Join(tmp, e.Name))
		if err != nil {
			return nil, err
		}
		plans[i] = files
		r.Exercises[i].Problems = problems
		for _, f := range files {
			r.Exercises[i].Files = append(r.Exercises[i].Files, f.file)
		}
	}

	// First each mutated file as it is, then the mutants of those that
	// score full marks.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, e := range exercises {
		for k := range plans[i] {
			f := &plans[i][k]
			g.Go(func() error {
				rep, err := gradeAs(gctx, c, e, f.path, VerifyRun{Count: 1}, false)
				if err != nil {
					return fmt.Errorf("grading %s: %w", f.file, err)
				}
				if rep.Status != StatusGraded || rep.Score != rep.Max {
					f.broken = &Problem{File: f.file, Message: fmt.Sprintf(
						"scores %d/%d (status %s), want full marks: its mutants are not graded, since its own faults would kill them", rep.Score, rep.Max, rep.Status),
						Detail: strings.TrimSpace(failures(rep) + "\n" + rep.BuildOutput)}
				}
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	var all []*mutantJob
	for i, e := range exercises {
		ex := &r.Exercises[i]
		var paths []string
		for _, f := range plans[i] {
			if f.broken != nil {
				ex.Problems = append(ex.Problems, *f.broken)
				continue
			}
			ex.Mutants = append(ex.Mutants, f.mutants...)
			paths = append(paths, f.mutantPaths...)
		}
		// Each job writes its mutant's result in place, once ex.Mutants
		// has stopped growing.
		for k := range ex.Mutants {
			all = append(all, &mutantJob{e: e, path: paths[k], result: &ex.Mutants[k]})
		}
	}
	var (
		mu   sync.Mutex
		done int
	)
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for _, j := range all {
		g.Go(func() error {
			rep, err := gradeAs(gctx, c, j.e, j.path, VerifyRun{Count: 1}, false)
			if err != nil {
				return fmt.Errorf("grading mutant %s of %s: %w", j.result.ID, j.result.File, err)
			}
			j.result.Outcome, j.result.KilledBy = classifyMutant(rep)
			mu.Lock()
			defer mu.Unlock()
			done++
			if opts.Progress != nil {
				opts.Progress(MutantProgress{Exercise: j.e.Name, Mutant: *j.result, Done: done, Total: len(all)})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, e := range exercises {
		if len(plans[i]) == 0 || plans[i][0].broken != nil {
			continue // no solution's mutants to judge the list by
		}
		ex := &r.Exercises[i]
		ex.Problems = append(ex.Problems, judgeEquivalents(c, e, ex.Mutants, opts.Alternatives)...)
	}
	return r, nil
}

// mutatedFile is a file of the corpus to mutate and its mutants.
type mutatedFile struct {
	file        string // module-relative
	path        string
	mutants     []MutantResult
	mutantPaths []string // where each mutant's source is written
	broken      *Problem // the file itself does not score full marks
}

// planMutants generates the mutants of exercise e's reference solution
// (and of its alternatives, with alternatives set) and writes their
// sources under dir.
func planMutants(c *Course, e *Exercise, alternatives bool, dir string) ([]mutatedFile, []Problem, error) {
	if len(e.StudentFiles) != 1 {
		return nil, []Problem{{File: relTo(c.Root, filepath.Join(e.Dir, "rubric.toml")),
			Message: fmt.Sprintf("mutation expects one student file, %s has %d", e.Name, len(e.StudentFiles))}}, nil
	}
	student := e.StudentFiles[0]
	sol := filepath.Join(c.Root, "solutions", e.Name, student)
	if !fileExists(sol) {
		return nil, []Problem{{File: relTo(c.Root, sol), Message: "the reference solution is missing: there is nothing to mutate"}}, nil
	}
	type source struct{ path, prefix string }
	sources := []source{{sol, ""}}
	if alternatives {
		alts, _ := filepath.Glob(filepath.Join(e.Dir, "testdata", "alternatives", "*.go"))
		for _, a := range alts {
			sources = append(sources, source{a, "alternatives/" + filepath.Base(a) + ":"})
		}
	}
	var (
		files    []mutatedFile
		problems []Problem
	)
	for _, s := range sources {
		rel := relTo(c.Root, s.path)
		src, err := os.ReadFile(s.path)
		if err != nil {
			return nil, nil, err
		}
		ms, err := mutate.Generate(rel, src)
		if err != nil {
			problems = append(problems, Problem{File: rel, Message: "cannot be mutated: " + err.Error()})
			continue
		}
		orig, _ := format.Source(src)
		f := mutatedFile{file: rel, path: s.path}
		for k, m := range ms {
			m.ID = s.prefix + m.ID
			p := filepath.Join(dir, strconv.Itoa(len(files)), strconv.Itoa(k), student)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, nil, err
			}
			if err := os.WriteFile(p, m.Source, 0o644); err != nil {
				return nil, nil, err
			}
			f.mutants = append(f.mutants, MutantResult{Mutant: m, File: rel, Diff: mutate.Diff(rel, rel+" ("+m.ID+")", orig, m.Source)})
			f.mutantPaths = append(f.mutantPaths, p)
		}
		files = append(files, f)
	}
	return files, problems, nil
}

// classifyMutant reads a mutant's grading: killed by the first check that
// failed, surviving with full marks, not built when it did not compile.
func classifyMutant(r ExerciseReport) (MutantOutcome, string) {
	if r.Status != StatusGraded {
		return MutantNotBuilt, ""
	}
	for _, ch := range r.Checks {
		if ch.Status == Fail {
			return MutantKilled, fmt.Sprintf("%s (%s)", ch.ID, ch.Reason)
		}
	}
	return MutantSurvived, ""
}

// equivalent is one line of an EquivalentFile.
type equivalent struct {
	id, reason string
	line       int
}

// readEquivalents reads an exercise's EquivalentFile (none is an empty
// list); file is its module-relative name, for the problems.
func readEquivalents(path, file string) ([]equivalent, []Problem) {
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, []Problem{{File: file, Message: err.Error()}}
	}
	var (
		out      []equivalent
		problems []Problem
		seen     = map[string]int{}
	)
	for n, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			id, reason = line[:i], strings.TrimSpace(line[i:])
		}
		switch {
		case reason == "":
			problems = append(problems, Problem{File: file, Line: n + 1, Message: fmt.Sprintf(
				"%s has no reason: say on the same line why no correct program can be told apart from it", id)})
		case seen[id] > 0:
			problems = append(problems, Problem{File: file, Line: n + 1, Message: fmt.Sprintf("%s is listed already, on line %d", id, seen[id])})
		default:
			seen[id] = n + 1
			out = append(out, equivalent{id: id, reason: reason, line: n + 1})
		}
	}
	return out, problems
}

// judgeEquivalents marks the surviving mutants that exercise e lists as
// equivalent, and reports the list's lines that name no mutant, or one
// that the checks kill or that does not build. Lines about alternatives
// are left alone when the alternatives were not mutated.
func judgeEquivalents(c *Course, e *Exercise, mutants []MutantResult, alternatives bool) []Problem {
	path := filepath.Join(e.Dir, filepath.FromSlash(EquivalentFile))
	file := relTo(c.Root, path)
	list, problems := readEquivalents(path, file)
	index := map[string]int{}
	for i, m := range mutants {
		index[m.ID] = i
	}
	for _, eq := range list {
		i, ok := index[eq.id]
		if !ok {
			if !alternatives && strings.HasPrefix(eq.id, "alternatives/") {
				continue
			}
			problems = append(problems, Problem{File: file, Line: eq.line, Message: fmt.Sprintf(
				"no mutant has the id %s (the code it changed has changed?): remove the line", eq.id)})
			continue
		}
		m := &mutants[i]
		switch m.Outcome {
		case MutantSurvived:
			m.Outcome, m.Reason = MutantEquivalent, eq.reason
		case MutantKilled:
			problems = append(problems, Problem{File: file, Line: eq.line, Message: fmt.Sprintf(
				"%s is listed as equivalent, but %s kills it: remove the line", eq.id, m.KilledBy)})
		case MutantNotBuilt:
			problems = append(problems, Problem{File: file, Line: eq.line, Message: fmt.Sprintf(
				"%s is listed as equivalent, but it does not build: remove the line", eq.id)})
		}
	}
	return problems
}
