package batch

import (
	"asynclab/grader/layeredcache"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"asynclab/grader"
	"asynclab/grader/intake"
	"asynclab/grader/intake/lms"
	"asynclab/grader/late"
)

// Entry is one student's submission once taken in: only the student files,
// copied into scratch space, and the remarks on what was left out.
type Entry struct {
	ID         string
	Submission grader.Submission
	Notes      []Note
	// Source is where the submission came from, when opening it told
	// more than listing it (the commit of a git repository).
	Source *lms.Source
}

// Student is a student of a class as Intake.Class lists them.
type Student struct {
	ID, Entry string
	Source    *lms.Source // where the submission comes from (a download, a repository)
}

// Intake is how a batch lists and opens submissions: intake.List and
// intake.Open, in production.
type Intake struct {
	// List returns the submission entries of dir (folders and archives;
	// paths, or names in dir) and notes on what it skipped, which are not
	// submissions. Run gives the entries their student ids
	// (intake.Students), and refuses those that cannot be graded.
	List func(dir string) ([]string, []Note, error)
	// Open takes the student files of the entry at path into scratch.
	Open func(path string, c *grader.Course, scratch string) (*Entry, error)
	// Class, when set, replaces List and intake.Students: it lists the
	// students of dir (a folder, or an LMS download) itself, unique and
	// with usable ids (see package lms), the entries it refused for their
	// names, and what it skipped as no submission. Open is given the
	// students' entries.
	Class func(dir string) (students []Student, refused, skipped []Note, err error)
	// Fingerprint, when set, says what the submission at entry holds (a
	// digest of its files, a git commit), cheaply, without grading it. A
	// result of an earlier run is kept only for the same fingerprint: a
	// new download or a new commit is graded again. An error, or "",
	// grades the student again.
	Fingerprint func(entry string) (string, error)
}

// Options tune Run.
type Options struct {
	Out   string // output folder; default "grades"
	Jobs  int    // students graded at once; default runtime.NumCPU()
	Shard Shard  // grade only this share of the class; the zero Shard is all
	Force bool   // grade again students that already have a result

	// NoReuse grades every student's every exercise, even when a
	// byte-identical submission was graded earlier in the batch. See Run.
	NoReuse bool

	// NoReplay builds every student's checks with go test, never by
	// replaying a template's commands (grader.Options.ReplayBuilds).
	NoReplay bool

	// KeepCache has the students build in the Go build cache the course
	// shares, and keeps what they compile there. By default they build
	// in a cache of their own, trimmed every TrimEvery students and at the
	// end (see studentCache).
	KeepCache bool
	TrimEvery int // default DefaultTrimEvery

	// LMS is the roster to match the class with, and the gradebook file
	// to write (see LMS). It needs the whole class: not with a Shard
	// (grader merge takes it instead).
	LMS LMS

	// Late is the deadlines (the course's, the students' own) and the
	// late policy: a git repository is graded at its last commit before
	// its student's cutoff (Intake.Class does it, see lms.Options.Cutoff),
	// and the penalty is taken off (see assessLate). The zero Plan grades
	// what is there.
	Late late.Plan

	// Regrade compares the class with an earlier batch's grades (see
	// Regrade): changes.csv, and report.html's section. It needs the
	// whole class: not with a Shard.
	Regrade Regrade

	Grade     grader.Options // for each Grade call (sandbox, timeouts...); Jobs defaults to 1
	Isolation string         // the sandbox in force, recorded in every result and the report
	Intake    Intake

	// Started is told, once, how many students the batch will grade now
	// and how many it skips because they already have a result.
	Started func(todo, skipped int)
	// Graded is told of each student's result as soon as it is on disk,
	// from several goroutines at once.
	Graded func(*Result)
}

// Summary is what a Run did.
type Summary struct {
	Students int      // in this shard
	Skipped  int      // already graded by an earlier run
	Graded   int      // graded now
	Reused   int      // exercise verdicts of students graded now, reused from byte-identical files
	Errors   []Result // students that could not be graded (infrastructure), now or before
	// Refused are the submissions that are not graded because of their
	// name: two entries that are one student (alice/ and alice.zip), an
	// id that cannot be one (a newline, a slash, too long). Each names its
	// entry, and says why (for two entries, naming both).
	Refused []Note
	Notes   []Note // listing remarks (entries that are not submissions)
	// Untaken are the files of students' submissions that were not taken
	// (intake's notes on each), each path led by the student's id.
	Untaken []Note
	// LMS is what the roster and the gradebook file gave (see WriteLMS).
	LMS *LMSReport
	// Regrade is what a regrade changed, when Options.Regrade asked.
	Regrade *RegradeReport
	// LateNotes are the extensions not used (a student not in the class;
	// the file's bad rows are the caller's, who read it).
	LateNotes []string
	// SharedCache says why the students built in the Go build cache the
	// course shares although KeepCache did not ask it ("" when they did
	// not).
	SharedCache string
}

// timelinesDir holds, in the output folder, each student's failing checks'
// timelines (timelines/<id>/, wire.TraceFile files) from which Write draws
// feedback/<id>.html.
const timelinesDir = "timelines"

// studentCacheDir is the students' build cache in the output folder,
// removed at the end.
const studentCacheDir = ".students-gocache"

// ErrLocked is returned when another batch is writing to the same folder.
var ErrLocked = errors.New("another grader batch is writing to this output folder")

// within says whether the folder out is subs or inside it, as written or
// once symbolic links are followed (a link to the download, or an output
// folder reached through one).
func within(subs, out string) bool {
	in := func(subs, out string) bool {
		rel, err := filepath.Rel(subs, out)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	return in(subs, out) || in(resolved(subs), resolved(out))
}

// resolved is the absolute path p with the symbolic links of the longest
// part of it that exists followed.
func resolved(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// Run grades the submissions in dir (one entry per student) and writes
// the results under opts.Out, then the outputs.
//
// Each entry is graded as the student intake.ID names, by one rule for
// folders and archives: alice/, alice.zip, alice.tgz and a folder
// alice.zip/ are all alice. Entries that cannot be graded because of their
// name are refused (intake.Students), and listed in Summary.Refused, in
// shard.json and in the outputs' entries not graded, each with a note
// that names every entry involved:
//   - entries that are the same student (alice/ and alice.zip; Alice/ and
//     alice/, whose files would be one on macOS): none of them is graded,
//     since choosing one would be arbitrary, and none gets a result;
//   - an entry whose id cannot name a file or be shown as itself (a
//     newline, a control character, a slash, a leading dot, more than
//     intake.MaxIDLen bytes): rather than mapped to another name, which
//     could be someone else's, it is not graded until renamed.
//
// Everyone else is graded and every output is written; a caller must treat
// a Refused entry as a student not graded (grader batch exits 2).
//
// Each student's Result is written atomically as soon as it is ready;
// a student with a result is skipped unless opts.Force, so a batch that was
// stopped resumes where it was, and ends with the same outputs as one that
// was not. A student whose grading failed for a reason of the machinery
// (Grade's error, a full disk) gets a Result with Status Error, which the
// next run retries; it never counts as a zero.
//
// Unless opts.NoReuse, a student whose submission is byte-identical (every
// student file of every exercise, see submissionKey) to one graded earlier
// in the same batch gets that student's exercise reports instead of being
// built and run again: the verdicts are deterministic by design (virtual
// time, the same checks, the same options). Only verdicts that do not
// depend on the machine's load are reused (not timeouts, crashes or
// infrastructure errors; see reusable).
func Run(ctx context.Context, c *grader.Course, dir string, opts Options) (*Summary, error) {
	if opts.Out == "" {
		opts.Out = "grades"
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Grade.Jobs <= 0 {
		// The students are the parallelism. One process runs all of a
		// student's exercises that can share one (see internal/joint):
		// split in two, they took 10% more CPU and graded 7% fewer
		// students a minute on 2 cores, measured.
		opts.Grade.Jobs = 1
	}
	if opts.Intake.List == nil && opts.Intake.Class == nil || opts.Intake.Open == nil {
		return nil, errors.New("batch: no intake")
	}
	if opts.Shard.Count > 1 && !opts.LMS.zero() {
		return nil, errors.New("a roster and a gradebook file need the whole class: give them to grader merge, not to a shard's batch")
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, err
	}
	if subs, err := filepath.Abs(dir); err == nil && within(subs, out) {
		return nil, fmt.Errorf("the output folder %s is inside the submissions folder %s: it would be taken for a student", opts.Out, dir)
	}
	if opts.Regrade.Active() && opts.Shard.Count > 1 {
		return nil, errors.New("a regrade compares the whole class: it cannot be a shard's")
	}
	if opts.Regrade.Active() {
		if err := checkRegrade(opts.Regrade, out, Exercises(c)); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{out, filepath.Join(out, "results"), filepath.Join(out, "scratch")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	unlock, err := lock(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	removeTemps(out)
	removeTemps(filepath.Join(out, "results"))
	clearDir(filepath.Join(out, "scratch")) // left by a run that was killed

	students, refused, notes, sources, err := listClass(dir, opts.Intake)
	if err != nil {
		return nil, err
	}
	all := make([]string, 0, len(students))
	paths := map[string]string{}
	for _, s := range students {
		paths[s.ID] = s.Entry
		all = append(all, s.ID)
	}
	var ids []string
	for _, id := range all {
		if opts.Shard.Has(id) {
			ids = append(ids, id)
		}
	}
	sf := &ShardFile{Shard: opts.Shard.String(), Index: opts.Shard.Index, Count: max(opts.Shard.Count, 1),
		IDs: nonNil(ids), Total: len(all), AllIDs: idsDigest(all), Exercises: Exercises(c), Isolation: opts.Isolation,
		Refused: refused, Skipped: notes}
	if err := saveShardFile(out, sf); err != nil {
		return nil, err
	}

	sum := &Summary{Students: len(ids), Notes: notes, Refused: sf.Refused}
	sum.LateNotes = opts.Late.Unknown(all)
	// A result is kept only for the same submission (Intake.Fingerprint),
	// the same deadline and policy, and the same checks (courseKey): a
	// result graded with other checks is graded again.
	ckey, err := courseKey(c)
	if err != nil {
		return nil, err
	}
	fps := map[string]string{}
	for _, id := range ids {
		parts := []string{}
		if opts.Intake.Fingerprint != nil {
			fp, err := opts.Intake.Fingerprint(paths[id])
			if err != nil || fp == "" {
				continue // graded again
			}
			parts = append(parts, fp)
		}
		if key := opts.Late.Key(id); key != "" {
			parts = append(parts, key)
		}
		fps[id] = strings.Join(append(parts, ckey), " ")
	}
	var todo []string
	for _, id := range ids {
		if !opts.Force && done(out, id, true, fps[id]) {
			sum.Skipped++
			continue
		}
		todo = append(todo, id)
	}
	if err := checkKept(out, todo, opts.Regrade); err != nil {
		return nil, err
	}
	if opts.Started != nil {
		opts.Started(len(todo), sum.Skipped)
	}

	opts.Grade.ReplayBuilds = !opts.NoReplay
	grade := func(f func()) { f() }
	if !opts.KeepCache && len(todo) > 0 {
		warm := opts.Grade
		warm.TempDir = filepath.Join(out, "scratch")
		shared, err := grader.Warm(ctx, c, warm)
		if err != nil {
			return nil, fmt.Errorf("building the course's own checks: %w", err)
		}
		_, layered := layeredcache.Command()
		switch {
		case shared == "":
			sum.SharedCache = "the go command keeps its build cache through a program of its own (GOCACHEPROG), which the students' builds used as well"
		case !layered:
			sum.SharedCache = "the grader's own path has both kinds of quote marks, so it cannot be the students' cache program (GOCACHEPROG)"
		default:
			every := opts.TrimEvery
			if every <= 0 {
				every = DefaultTrimEvery
			}
			// Not in scratch, where a student's id is a folder's name.
			cache, err := newStudentCache(filepath.Join(out, studentCacheDir), every)
			if err != nil {
				return nil, fmt.Errorf("the students' build cache: %w", err)
			}
			defer cache.close()
			opts.Grade.GoCache, opts.Grade.GoCacheLower = cache.dir, shared
			grade = cache.student
		}
	}
	g := &grading{course: c, out: out, opts: opts, reuse: map[string]grader.ExerciseReport{}, reusedFrom: map[string]string{}, sources: sources, fps: fps}
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range min(opts.Jobs, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				var r *Result
				grade(func() { r = g.student(ctx, id, paths[id]) })
				if r == nil { // interrupted: no result, the next run grades it
					continue
				}
				if err := saveResult(out, r); err != nil {
					// The disk is full or gone: say so for this student, and
					// keep going (the next students may fit).
					r = &Result{ID: id, Status: Error, Error: "saving the result: " + err.Error(), Isolation: r.Isolation, Timing: r.Timing}
				}
				mu.Lock()
				sum.Graded++
				sum.Reused += len(r.Reused)
				mu.Unlock()
				if opts.Graded != nil {
					opts.Graded(r)
				}
			}
		}()
	}
feed:
	for _, id := range todo {
		select {
		case work <- id:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return sum, err
	}

	results, err := loadAll(out, ids)
	if err != nil {
		return sum, err
	}
	for _, r := range results {
		if r.Status != Graded {
			sum.Errors = append(sum.Errors, *r)
		}
		for _, n := range r.Notes {
			sum.Untaken = append(sum.Untaken, Note{Path: r.ID + ": " + n.Path, Problem: n.Problem})
		}
	}
	l := opts.LMS
	if opts.Regrade.Active() {
		if sum.Regrade, results, err = compareRegrade(opts.Regrade, out, results); err != nil {
			return sum, err
		}
		l.Regrade = sum.Regrade
	}
	l.UnusedExtensions = sum.LateNotes
	sum.LMS, err = WriteLMS(out, sf.Exercises, results, append(slices.Clone(sf.Refused), notes...), opts.Grade.Lang, l)
	return sum, err
}

// listClass is the students of dir, by in.Class or by in.List and
// intake.Students, the entries refused for their names, the entries
// skipped, and where each student's submission comes from, when known.
func listClass(dir string, in Intake) (students []intake.Student, refused, skipped []Note, sources map[string]*lms.Source, err error) {
	sources = map[string]*lms.Source{}
	if in.Class != nil {
		list, refused, skipped, err := in.Class(dir)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, s := range list {
			students = append(students, intake.Student{ID: s.ID, Entry: s.Entry})
			if s.Source != nil {
				sources[s.ID] = s.Source
			}
		}
		return students, refused, skipped, sources, nil
	}
	entries, notes, err := in.List(dir)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for i, e := range entries {
		entries[i] = entryPath(dir, e)
	}
	students, ref := intake.Students(entries)
	return students, noteList(ref), notes, sources, nil
}

// grading is one Run's shared state.
type grading struct {
	course *grader.Course
	out    string
	opts   Options

	mu         sync.Mutex
	reuse      map[string]grader.ExerciseReport // submission key + "\x00" + exercise -> report
	reusedFrom map[string]string                // the same key -> the student whose grading it was

	sources map[string]*lms.Source // student id -> where their submission comes from
	fps     map[string]string      // student id -> the fingerprint of their submission (Intake.Fingerprint)
}

// student grades one student; nil means the batch was interrupted.
func (g *grading) student(ctx context.Context, id, path string) *Result {
	start := time.Now()
	r := &Result{ID: id, Isolation: g.opts.Isolation, Source: g.sources[id], Fingerprint: g.fps[id]}
	finish := func() *Result {
		r.Timing = Timing{Started: start.UTC(), Seconds: time.Since(start).Seconds()}
		return r
	}
	fail := func(err error) *Result {
		r.Status, r.Error, r.Report, r.Reused = Error, err.Error(), nil, nil
		return finish()
	}
	scratch := filepath.Join(g.out, "scratch", scratchName(id))
	if err := os.RemoveAll(scratch); err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return fail(fmt.Errorf("making scratch space: %w", err))
	}
	defer os.RemoveAll(scratch)
	// The pictures of the last grading are stale whatever happens now.
	timelines := filepath.Join(g.out, timelinesDir, id)
	if err := os.RemoveAll(timelines); err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(timelines, 0o755); err != nil {
		return fail(fmt.Errorf("making the timelines' folder: %w", err))
	}

	e, err := g.opts.Intake.Open(path, g.course, scratch)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if infrastructure(err, scratch) {
			return fail(fmt.Errorf("intake: %w", err))
		}
		// The submission itself cannot be read (a broken archive, a zip
		// bomb): every exercise is rejected, and that is a grade.
		r.Status, r.Report = Graded, unreadable(g.course, err)
		g.assessLate(r)
		return finish()
	}
	r.Notes = e.Notes
	if e.Source != nil {
		r.Source = e.Source
	}

	reports := map[string]grader.ExerciseReport{}
	var sub string // the whole submission's key; "" when not reusing
	if !g.opts.NoReuse {
		sub, _ = submissionKey(g.course, e.Submission)
	}
	var toGrade []string
	for _, ex := range g.course.Exercises {
		if sub != "" {
			g.mu.Lock()
			rep, ok := g.reuse[sub+"\x00"+ex.Name]
			from := g.reusedFrom[sub+"\x00"+ex.Name]
			g.mu.Unlock()
			if ok {
				reports[ex.Name] = rep
				r.Reused = append(r.Reused, ex.Name)
				copyTimelines(filepath.Join(g.out, timelinesDir, from), timelines, ex.Name)
				continue
			}
		}
		toGrade = append(toGrade, ex.Name)
	}
	if len(toGrade) > 0 {
		opts := g.opts.Grade
		opts.TempDir = scratch // builds too stay inside the output folder
		opts.Exercises = toGrade
		opts.Timelines = timelines
		rep, err := grader.Grade(ctx, g.course, e.Submission, opts)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fail(err)
		}
		for _, er := range rep.Exercises {
			reports[er.Name] = er
			if sub != "" && reusable(er) {
				g.mu.Lock()
				g.reuse[sub+"\x00"+er.Name] = er
				g.reusedFrom[sub+"\x00"+er.Name] = id
				g.mu.Unlock()
			}
		}
	}
	rep := &grader.Report{}
	for _, ex := range g.course.Exercises {
		er := reports[ex.Name]
		rep.Exercises = append(rep.Exercises, er)
		rep.Score += er.Score
		rep.Max += er.Max
	}
	r.Status, r.Report = Graded, rep
	g.assessLate(r)
	return finish()
}

// assessLate takes the late penalty off a graded result, under the plan:
// the time is the one intake found for the graded commit (Source), and a
// submission without one (not a git repository) is graded as handed in,
// with a note.
func (g *grading) assessLate(r *Result) {
	plan := g.opts.Late
	if !plan.Active() || r.Report == nil {
		return
	}
	deadline, own := plan.For(r.ID)
	var at time.Time
	var from string
	if r.Source != nil {
		at, from = r.Source.SubmittedAt, r.Source.TimeFrom
	}
	o := late.Assess(deadline, own, plan.Policy, at, from, r.Report.Score)
	switch {
	case !at.IsZero():
	case r.Source != nil && r.Source.Layout == lms.Git:
		o.Status = late.Nothing
		o.Note = "no commit handed in by " + plan.Cutoff(r.ID).UTC().Format(time.RFC3339) + " was graded (see the exercises' messages)"
	default:
		o.Note = "no time of its own (not a git repository): graded as handed in, not late"
	}
	r.Late = &o
	r.Report.Score = o.Score()
}

// infrastructure reports whether intake's error is the grader's problem
// (its scratch space: a full disk, a read-only or failing file system)
// rather than the submission's.
func infrastructure(err error, scratch string) bool {
	if errors.Is(err, intake.ErrMachine) {
		return true
	}
	for _, e := range scratchErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if rel, err := filepath.Rel(scratch, pe.Path); err == nil && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

// unreadable is the report of a submission that cannot be read: each
// exercise rejected, with the reason, every check failed.
func unreadable(c *grader.Course, err error) *grader.Report {
	msg := "the submission could not be read: " + err.Error()
	rep := &grader.Report{}
	for _, e := range c.Exercises {
		er := grader.ExerciseReport{Name: e.Name, Title: e.Title, Status: StatusRejected, Message: msg, Max: e.Max(), Checks: []grader.CheckReport{}}
		for _, ch := range e.Checks {
			er.Checks = append(er.Checks, grader.CheckReport{ID: ch.Test, Name: ch.Name, Status: grader.Fail, Max: ch.Points,
				Hint: ch.Hint, Hidden: ch.Hidden, Visibility: ch.Visibility, Reason: grader.ReasonRejected, Message: msg})
		}
		rep.Exercises = append(rep.Exercises, er)
		rep.Max += er.Max
	}
	return rep
}

// loadAll reads the results of ids under out, once every student was
// graded: a student whose result cannot be read (its save failed: the
// disk is full, results/<id>.json is a folder) is not graded, saying
// why, and the others' results are written all the same.
func loadAll(out string, ids []string) ([]*Result, error) {
	var rs []*Result
	for _, id := range ids {
		r, err := loadResult(out, id)
		if err != nil {
			r = &Result{ID: id, Status: Error, Error: "its result cannot be read: " + err.Error()}
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// EntryID is the student id of a submission entry: intake.ID, the one
// rule for folders and archives alike (the folder alice.zip/ is alice, as
// the archive alice.zip is). Run refuses the ids intake.CheckID refuses,
// and entries that are the same student (intake.Students).
func EntryID(entry string) string { return intake.ID(entry) }

// entryPath is entry as a path: List may return names in dir or paths.
func entryPath(dir, entry string) string {
	if filepath.IsAbs(entry) || filepath.Dir(filepath.Clean(entry)) == filepath.Clean(dir) {
		return entry
	}
	return filepath.Join(dir, entry)
}

// noteList is intake's notes as batch's.
func noteList(ns []intake.Note) []Note {
	var out []Note
	for _, n := range ns {
		out = append(out, Note(n))
	}
	return out
}

// lock takes an exclusive lock on out/.lock for the life of the batch.
// The kernel drops it when the process dies, kill -9 included.
func lock(out string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(out, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	// A child being started when the last holder let go keeps the lock
	// until it execs (flock belongs to the open file, which a fork shares,
	// close-on-exec or not): a moment, which a loaded machine stretches.
	// Another batch holds it for minutes; wait out the moment only.
	for wait := time.Duration(0); ; wait += lockPoll {
		err = lockFile(f)
		if err == nil || wait >= lockPatience {
			break
		}
		time.Sleep(lockPoll)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", out, ErrLocked)
	}
	return func() { f.Close() }, nil
}

// How long lock waits for a lock that is held, and how often it looks.
const (
	lockPatience = 2 * time.Second
	lockPoll     = 50 * time.Millisecond
)

func clearDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// copyTimelines copies the trace files of exercise ("" for all) from one
// student's timelines folder to another's: for a verdict reused from the
// first, or a shard's student merged. A file that cannot be copied (not a
// regular file, too large) is one picture fewer.
func copyTimelines(from, to, exercise string) {
	ents, _ := os.ReadDir(from)
	if len(ents) > 0 {
		os.MkdirAll(to, 0o755)
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || exercise != "" && !strings.HasPrefix(e.Name(), exercise+".") {
			continue
		}
		data, err := readState(filepath.Join(from, e.Name()))
		if err == nil {
			writeAtomic(filepath.Join(to, e.Name()), data)
		}
	}
}

// scratchName is the name of student id's scratch folder: a hash of the
// id, not the id. The folder's path ends up in the go command's -trimpath
// list, which ";" and "=>" cut, and in the compiler's file names: an id
// such as "c;x" cost its student every location in their feedback, and an
// id with a space or a non-ASCII letter its builds' replay (replay.go).
func scratchName(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "s-" + hex.EncodeToString(sum[:8])
}
