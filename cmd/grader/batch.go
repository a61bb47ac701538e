package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"asynclab/grader"
	"asynclab/grader/batch"
	"asynclab/grader/escape"
	"asynclab/grader/intake/lms"
	"asynclab/grader/sandbox"
)

// errNotGraded is returned when some students could not be graded because
// of the grading machinery (exit 2: the batch is not complete).
var errNotGraded = errors.New("some students could not be graded; run the same command again to retry them")

// errNoStudents is returned when a whole class (not a shard) had no
// student to grade: a wrong path or a wrong --layout, not a class.
var errNoStudents = errors.New("no student was graded: the submissions hold no submission in the layout used (see \"skipped\" above); check the path, or pass --layout")

// errUntaken is returned when an LMS download's files were not all graded:
// files of the download that are no student's, or files of a student's
// submission that were not taken. Any of them may be a student's work.
var errUntaken = errors.New("some files of the download were not graded (see \"skipped\" and \"not taken\" above): each may be a student's work; look at them, then run the same command again (those already graded are kept)")

// lmsIncomplete says, for a whole class, that nobody was graded, and, for
// a Canvas or Moodle download, which files were not taken: both exit 2.
func lmsIncomplete(w io.Writer, layout, shard string, sum *batch.Summary) error {
	if shard == "" && sum.Students == 0 {
		return errNoStudents
	}
	if layout != string(lms.Canvas) && layout != string(lms.Moodle) {
		return nil
	}
	for _, n := range sum.Untaken {
		fmt.Fprintf(w, "✗ not taken: %s: %s\n", escape.Line(n.Path), escape.Line(n.Problem))
	}
	if len(sum.Notes) > 0 || len(sum.Untaken) > 0 {
		return errUntaken
	}
	return nil
}

// errRefused is returned when some submissions were not graded because of
// their names (two for one student, a name that cannot be an id): exit 2,
// the batch is not complete, and running it again will not help.
var errRefused = errors.New("some submissions were not graded (see \"not graded\" above: their names, or a symbolic link); rename, replace or remove them, then run the same command again")

func batchCmd(g *globals) *cobra.Command {
	var (
		opts     batch.Options
		shard    string
		unsafe   bool
		noRace   bool
		noBundle bool
		timeout  time.Duration
		layout   string
		lmsf     lmsFlags
		lf       lateFlags
		rf       regradeFlags
		simil    bool
	)
	cmd := &cobra.Command{
		Use:   "batch [flags] SUBMISSIONS",
		Short: "Grade a class: every submission in SUBMISSIONS, with every check, hidden ones included",
		Long: `Batch grades every student of a class with the instructor's full set of
checks, hidden ones included. SUBMISSIONS holds one entry per student, named
after the student: a folder, or a .zip, .tar.gz or .tgz archive of their copy
of the course (or at least of its exercises/<name>/ files). A folder that is
a git repository is graded at its HEAD commit, read without changing it.

SUBMISSIONS may also be what an LMS hands over, as it is (--layout says
which; by default it is told from the names):
  canvas  a Canvas "Download Submissions" zip, or its folder: files named
          <name>[_late]_<user id>_<file id>_<file>; student id <name>_<user id>
  moodle  a Moodle "Download all submissions" zip, or its folder: folders
          <Full Name>_<participant id>_assignsubmission_file_ (or files with
          that prefix); student id <Full Name>_<participant id>
Uploaded files are mapped to exercises by name (gather.go, gather-1.go as
Canvas renames a file uploaded again), an uploaded zip is opened, and a file
that could be two things is noted in the student's feedback, never guessed.

--roster matches the submissions with the class list (the LMS's export, or
a CSV of your own), and lists on stderr and in report.html the students with
no submission and the submissions with no student. --gradebook canvas|moodle
writes the file the LMS's gradebook imports as it is.

--deadline grades each git repository at its last commit at or before the
deadline (by its push log if it has one, else by the committer date, which
the student can set: see docs/lms.md), read without changing it. --late
"10%/day, max 3 days" takes later work, up to the window, at a penalty;
--extensions ext.csv (columns student, deadline) gives students their own
deadlines. grades.csv and grades.json then have submitted_at, late_days,
penalty and raw_score.

The student id is the entry's name less .zip, .tar.gz or .tgz, for folders
and archives alike: alice/, alice.zip and a folder alice.zip/ are all alice.
Two entries for one student (alice/ and alice.zip, or Alice/ and alice/) are
neither graded, and a name that cannot be an id (a control character such
as a newline, a slash, a leading dot, more than 128 bytes) is not graded:
each is listed with why, everyone else is graded, and the exit status is 2.
Ids, file names and what the code printed are escaped in every output (CSV
cells that would be formulas start with a quote).

It writes to --out (default ./grades):
  results/<id>.json   each student's result, written as soon as it is ready
  grades.csv          one row per student: student, score, max, each exercise
  grades.json         every student, exercise and check
  feedback/<id>.md    what to send each student (hidden checks: name and points only)
  report.html         the class at a glance, for the instructor (self-contained)
  similarity.csv, similarity.html
                      with --similarity: who shares code with whom, as grader
                      similar writes them, linked from report.html

A batch that is stopped (Ctrl-C, kill -9, a reboot) resumes where it was:
run the same command again and the students already graded are skipped
(--force grades them again). A student whose grading failed because of the
grader (not their code) is listed as an error, never as a zero, and the next
run retries them; the exit status is then 2, as when a submission was not
graded for its name.

Submissions are untrusted code: batch refuses to run without a sandbox
unless --unsafe is given (only for your own trusted submissions).

--shard I/N grades only the students whose id hashes to I modulo N (I counts
from 0), so that N machines can share a class; grader merge combines their
output folders.`,
		Example: `  grader batch --out grades submissions/
  grader batch --jobs 8 submissions/
  grader batch --shard 0/4 --out grades-0 submissions/   # one of 4 machines
  grader merge --out grades grades-0 grades-1 grades-2 grades-3
  grader batch --roster roster.csv --gradebook canvas --assignment "Concurrency lab (98765)" submissions.zip
  grader batch --gradebook moodle --gradebook-feedback "CS101-Concurrency lab-42.zip"
  grader batch --roster roster.csv classroom-repos/      # a folder of git clones
  grader batch --deadline 2026-12-20T23:59+03:00 --late "10%/day, max 3 days" --extensions ext.csv classroom-repos/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if shard != "" {
				s, err := batch.ParseShard(shard)
				if err != nil {
					return err
				}
				opts.Shard = s
			}
			l, err := lms.ParseLayout(layout)
			if err != nil {
				return err
			}
			if opts.LMS, err = lmsf.lms(); err != nil {
				return err
			}
			if opts.Shard.Count > 1 && (lmsf.roster != "" || lmsf.gradebook != "") {
				return errors.New("--roster and --gradebook need the whole class: give them to grader merge, which combines the shards")
			}
			if opts.Shard.Count > 1 && simil {
				return errors.New("--similarity needs the whole class: run grader similar --out on the merged folder before grader merge, which links it")
			}
			// Before the course is built: a bad flag is said at once.
			if opts.Late, err = lf.plan(cmd.ErrOrStderr()); err != nil {
				return err
			}
			if opts.Regrade, err = rf.regrade(); err != nil {
				return err
			}
			if opts.Regrade.Active() && opts.Shard.Count > 1 {
				return errors.New("--previous (grader regrade) compares the whole class: give the shards' batches no --previous, and give it to grader merge, which compares the merged class")
			}
			course, err := g.course()
			if err != nil {
				return err
			}
			if opts.Grade.Lang, err = g.lang(); err != nil {
				return err
			}
			opts.Grade.NoRace = noRace
			if !noRace {
				// Grades must never pass a data race in silence: refuse
				// before anything is graded, with the fix.
				if err := grader.CheckRaceDetector(cmd.Context(), course, opts.Grade); err != nil {
					return err
				}
			}
			opts.Grade.NoBundle = noBundle
			opts.Grade.RunTimeout = timeout
			if opts.Isolation, err = isolate(&opts.Grade, unsafe); err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			if simil {
				// Before grading, so that report.html links it.
				if err := writeSimilarity(cmd.ErrOrStderr(), course, opts.Grade.Lang, args[0], opts.Out, nil, l); err != nil {
					return fmt.Errorf("similarity: %w", err)
				}
			}
			ci := &classIntake{layout: l}
			if opts.Late.Active() {
				ci.cutoff = opts.Late.Cutoff
			}
			defer ci.close()
			opts.Intake = ci.intake()
			fmt.Fprintf(stderr, "grading with isolation: %s\n", opts.Isolation)
			bar := newBatchProgress(stderr, osEnv.isTerminal(stderr))
			opts.Started, opts.Graded = bar.start, bar.graded
			started := opts.Started
			opts.Started = func(todo, skipped int) {
				if name := ci.layoutName(); name != "" && name != string(lms.Folders) {
					fmt.Fprintf(stderr, "layout: %s\n", name)
				}
				started(todo, skipped)
			}
			sum, err := batch.Run(cmd.Context(), course, args[0], opts)
			bar.finish()
			if sum != nil {
				for _, n := range sum.Notes {
					fmt.Fprintf(stderr, "skipped %s: %s\n", escape.Line(n.Path), escape.Line(n.Problem))
				}
				for _, n := range sum.Refused {
					fmt.Fprintf(stderr, "✗ not graded: %s: %s\n", escape.Line(n.Path), escape.Line(n.Problem))
				}
			}
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted: the students graded so far are kept in %s; run the same command again to go on", opts.Out)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "%d students (%d graded now, %d from an earlier run) → %s\n", sum.Students, sum.Graded, sum.Skipped, opts.Out)
			batch.PrintLMS(stderr, sum.LMS)
			batch.PrintRegrade(stderr, sum.Regrade)
			for _, n := range sum.LateNotes {
				fmt.Fprintf(stderr, "✗ extensions: %s\n", escape.Line(n))
			}
			if sum.SharedCache != "" {
				fmt.Fprintf(stderr, "note: the students built in the course's Go build cache: %s\n", sum.SharedCache)
			}
			if sum.Reused > 0 {
				fmt.Fprintf(stderr, "%d exercise verdicts reused from byte-identical submissions (--no-reuse grades each in full)\n", sum.Reused)
			}
			if len(sum.Errors) > 0 {
				fmt.Fprintf(stderr, "%d could not be graded:\n", len(sum.Errors))
				for _, r := range sum.Errors {
					fmt.Fprintf(stderr, "  %s: %s\n", escape.Line(r.ID), escape.Line(r.Error))
				}
				return errNotGraded
			}
			if len(sum.Refused) > 0 {
				return errRefused
			}
			return lmsIncomplete(stderr, ci.layoutName(), shard, sum)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Jobs, "jobs", runtime.NumCPU(), "students graded at once (they share one Go build cache)")
	f.StringVar(&opts.Out, "out", "grades", "output folder")
	f.StringVar(&shard, "shard", "", "grade only shard I of N (I/N, I from 0): the students whose id hashes to I modulo N")
	f.BoolVar(&opts.Force, "force", false, "grade again the students that already have a result in --out")
	f.BoolVar(&unsafe, "unsafe", false, "grade without a sandbox (trusted submissions only)")
	f.BoolVar(&opts.NoReplay, "no-replay", false, "build every student's checks with go test, never by running again the commands go test printed for the course's own files (see docs/grading.md)")
	f.BoolVar(&opts.KeepCache, "keep-cache", false, "build students' code in the Go build cache the course shares, and keep what it compiles there (by default students build in a cache of the batch's own, removed at the end)")
	f.BoolVar(&opts.NoReuse, "no-reuse", false, "grade every submission in full, even one byte-identical to a submission already graded in this batch")
	f.BoolVar(&noRace, "no-race", false, "build without the race detector (faster, but data races go unseen)")
	f.BoolVar(&noBundle, "no-bundle", false, "link one test binary per exercise, not one per student (slower; to rule the bundle out when a check misbehaves)")
	f.DurationVar(&timeout, "timeout", 2*time.Minute, "time limit for one run of an exercise's checks")
	f.DurationVar(&opts.Grade.Budget, "budget", 0, "wall time for building and running one student's code; the checks left when it runs out fail as timed out (default 1m plus 20s per exercise)")
	f.StringVar(&layout, "layout", "auto", "how SUBMISSIONS is laid out: auto, folders (one folder, archive or git repository per student), canvas or moodle (the LMS's download, as it is)")
	lmsf.register(f)
	f.BoolVar(&simil, "similarity", false, "also write similarity.csv and similarity.html, as grader similar does, linked from report.html")
	lf.register(f)
	rf.register(f)
	f.MarkHidden("no-race")
	f.MarkHidden("no-bundle")
	return cmd
}

// isolate turns on the sandbox for grading untrusted code, bubblewrap with
// every limit this machine can enforce, and says what is in force. Without
// bubblewrap it refuses, saying why and how to install it, unless unsafe:
// then the test binaries run unisolated (they can read and write what the
// grader can), and only the limits (memory, processes, CPU, output) hold.
func isolate(opts *grader.Options, unsafe bool) (string, error) {
	sb := detectSandbox()
	if !sb.Isolated() && !unsafe {
		return "", fmt.Errorf("no sandbox to run untrusted submissions in: %v.\nInstall bubblewrap: %s;\nor pass --unsafe to grade trusted submissions without one", sb.WhyNotIsolated(), sandbox.InstallHint)
	}
	opts.Sandbox = sb
	opts.Limits = opts.Limits.Or(grader.DefaultLimits)
	if opts.Limits.CPU == 0 {
		// What Grade would choose: every core busy for the whole run.
		opts.Limits.CPU = opts.RunTimeout * time.Duration(max(2, runtime.NumCPU()))
	}
	desc := sb.Isolation(opts.Limits)
	if !sb.Isolated() {
		desc += " (--unsafe)"
	}
	return desc, nil
}

// detectSandbox is sandbox.Detect; tests make it find no bubblewrap.
var detectSandbox = sandbox.Detect

// batchProgress shows a batch's progress on stderr: on a terminal a bar
// with the count, the rate and the time left; otherwise a plain line per
// student. Either way, a line for each student whose grading failed. Ids
// and errors go through escape.Line: a name a student chose must not move
// the cursor, clear the screen or add a line.
type batchProgress struct {
	w     io.Writer
	tty   bool
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	total int
	n     int
	began time.Time
}

func newBatchProgress(w io.Writer, tty bool) *batchProgress {
	return &batchProgress{w: w, tty: tty}
}

func (p *batchProgress) start(todo, skipped int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.began = todo, time.Now()
	if skipped > 0 {
		fmt.Fprintf(p.w, "%d students already graded by an earlier run: skipped (--force grades them again)\n", skipped)
	}
	if p.tty && todo > 0 {
		p.bar = progressbar.NewOptions(todo,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("grading"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("students"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionFullWidth(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		p.bar.RenderBlank()
	}
}

func (p *batchProgress) graded(r *batch.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	failed := r.Status != batch.Graded
	if p.bar != nil {
		if failed {
			p.bar.Clear()
			fmt.Fprintf(p.w, "✗ %s could not be graded: %s\n", escape.Line(r.ID), escape.Line(r.Error))
		}
		p.bar.Add(1)
		return
	}
	if failed {
		fmt.Fprintf(p.w, "✗ %s could not be graded: %s\n", escape.Line(r.ID), escape.Line(r.Error))
	}
	elapsed := time.Since(p.began)
	rate := float64(p.n) / elapsed.Minutes()
	eta := time.Duration(float64(elapsed) / float64(p.n) * float64(p.total-p.n)).Round(time.Second)
	score := "error"
	if r.Report != nil {
		score = fmt.Sprintf("%d/%d", r.Report.Score, r.Report.Max)
	}
	fmt.Fprintf(p.w, "[%d/%d] %s %s in %.1fs (%.0f students/min, %v left)\n", p.n, p.total, escape.Line(r.ID), score, r.Timing.Seconds, rate, eta)
}

func (p *batchProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
