package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/spf13/cobra"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

func watchCmd(g *globals) *cobra.Command {
	var (
		poll     bool
		interval time.Duration
		debounce time.Duration
		verbose  bool
		pics     pictures
		opts     grader.Options
	)
	cmd := &cobra.Command{
		Use:   "watch [EXERCISE]",
		Short: tr(catalog.English, "help.watch.short", nil),
		Long:  tr(catalog.English, "help.watch.long", nil),
		Example: `  grader watch           # from the first exercise that does not pass yet
  grader watch queue     # from queue
  grader watch --poll    # on a file system without file events`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: exerciseArgs(g, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			course, err := g.course()
			if err != nil {
				return err
			}
			if opts.Lang, err = g.lang(); err != nil {
				return err
			}
			if err := g.checkNames(course, args); err != nil {
				return err
			}
			// As check: without a C compiler, every check that does not
			// need the race detector, and the report says what did not run.
			opts.RaceOptional = true
			ctx := cmd.Context()
			out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			scr := osEnv.screenOf(out, stderr)
			defer func() {
				if scr.animate {
					fmt.Fprint(stderr, "\x1b[?25h") // the cursor, whatever happened
				}
			}()
			l := &watchLoop{
				exercises: course.Exercises,
				grade: func(ctx context.Context, name string) (*grader.Report, error) {
					return gradePictured(ctx, course, opts, []string{name}, stderr, scr, pics)
				},
				gradeAll: func(ctx context.Context) (*grader.Report, error) {
					return gradeShown(ctx, course, opts, nil, stderr, scr)
				},
				watch: func(e *grader.Exercise) (watcher, error) {
					return watchFiles(studentPaths(e), poll, interval, stderr)
				},
				out:      out,
				debounce: debounce,
				render:   render.Options{Color: scr.color, Verbose: verbose, Command: self, Lang: opts.Lang},
				clear:    scr.animate,
				root:     course.Root,
			}

			start, first := 0, (*grader.Report)(nil)
			if len(args) == 1 {
				start = slices.Index(course.Names(), args[0])
			} else {
				r, err := gradePictured(ctx, course, opts, nil, stderr, scr, pics)
				if err != nil {
					return stopped(ctx, out, err, opts.Lang)
				}
				next := render.Next(r)
				if next == "" {
					return render.Student(out, r, l.render)
				}
				start = slices.Index(course.Names(), next)
				first = &grader.Report{Exercises: []grader.ExerciseReport{r.Exercises[start]}}
				first.Score, first.Max = r.Exercises[start].Score, r.Exercises[start].Max
			}
			return stopped(ctx, out, l.run(ctx, start, first), opts.Lang)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&poll, "poll", false, "look at modification times instead of waiting for file events")
	f.DurationVar(&interval, "interval", 500*time.Millisecond, "how often --poll looks")
	f.DurationVar(&debounce, "debounce", 200*time.Millisecond, "saves closer together than this count as one")
	f.BoolVarP(&verbose, "verbose", "v", false, "show every check and every failure in full, nothing cut")
	f.DurationVar(&opts.RunTimeout, "timeout", 2*time.Minute, "time limit for one run of an exercise's checks")
	f.BoolVar(&pics.html, "html", false, "after each grading, draw the failing checks' timelines on one page, .asynclab/report.html (docs/timelines.md)")
	return cmd
}

// stopped turns the end of a watch by Ctrl-C into a clean exit on a line
// of its own.
func stopped(ctx context.Context, out io.Writer, err error, l catalog.Lang) error {
	if ctx.Err() != nil {
		fmt.Fprintln(out, "\n"+tr(l, "watch.stopped", nil))
		return nil
	}
	return err
}

// studentPaths are the files of e that the student edits.
func studentPaths(e *grader.Exercise) []string {
	paths := make([]string, len(e.StudentFiles))
	for i, f := range e.StudentFiles {
		paths[i] = filepath.Join(e.Dir, f)
	}
	return paths
}

// watcher tells when files change.
type watcher interface {
	// Changes receives a path each time a watched file may have changed.
	// Changes that come while nobody receives are merged into one.
	Changes() <-chan string
	Close() error
}

// watchLoop is grader watch: grade an exercise, wait for a change to its
// files, grade it again, and go on to the next once it passes.
type watchLoop struct {
	exercises []*grader.Exercise
	grade     func(ctx context.Context, name string) (*grader.Report, error)
	gradeAll  func(ctx context.Context) (*grader.Report, error) // the whole course, once the last exercise passes
	watch     func(e *grader.Exercise) (watcher, error)
	out       io.Writer
	debounce  time.Duration  // changes closer together than this are one
	render    render.Options // how to print each report
	clear     bool           // clear the screen before grading again after a change
	root      string         // the course root, to name the files being watched
}

// run watches the exercises from start on. first, if not nil, is start's
// report already made, shown instead of grading it again. It returns nil
// when every exercise from start on passes or when ctx ends.
func (l *watchLoop) run(ctx context.Context, start int, first *grader.Report) error {
	for {
		for i := start; i < len(l.exercises); i++ {
			e := l.exercises[i]
			state, err := l.untilPass(ctx, e, first)
			first = nil
			if err != nil || state != render.Done && state != render.DoneHere {
				return err
			}
			done := "watch.exercise_done"
			if state == render.DoneHere {
				done = "watch.exercise_done_here"
			}
			if i+1 < len(l.exercises) {
				fmt.Fprintf(l.out, "\n%s %s\n\n", l.tick(), tr(l.render.Lang, done, catalog.Args{"Exercise": e.Name, "Next": l.exercises[i+1].Name}))
			}
		}
		// The last one passes; the ones before start were not watched,
		// and a file may have changed since: only the whole course says
		// whether every exercise passes.
		if l.gradeAll == nil {
			return nil
		}
		r, err := l.gradeAll(ctx)
		if err != nil {
			return err
		}
		next := render.Next(r)
		if next == "" {
			allDone := "watch.all_done"
			for _, e := range r.Exercises {
				if render.Of(e) == render.DoneHere {
					allDone = "watch.all_done_here"
				}
			}
			fmt.Fprintf(l.out, "\n%s %s\n", l.tick(), tr(l.render.Lang, allDone, nil))
			return nil
		}
		fmt.Fprintf(l.out, "\n%s\n\n", tr(l.render.Lang, "watch.back_to", catalog.Args{"Exercise": l.exercises[len(l.exercises)-1].Name, "Next": next}))
		// Graded again once watched, so that no save in between is missed.
		if start = slices.IndexFunc(l.exercises, func(e *grader.Exercise) bool { return e.Name == next }); start < 0 {
			return nil
		}
	}
}

// tick is a green ✓, or a plain one without colours.
func (l *watchLoop) tick() string {
	if l.render.Color {
		return "\x1b[32m✓\x1b[0m"
	}
	return "✓"
}

// untilPass grades e after each change to its files until it is done
// (render.Done), or done here (render.DoneHere: every check that could run
// passes, and the others need the race detector, which no edit gives), or
// ctx ends (render.NotStarted).
func (l *watchLoop) untilPass(ctx context.Context, e *grader.Exercise, r *grader.Report) (render.Progress, error) {
	const stopped = render.NotStarted
	w, err := l.watch(e)
	if err != nil {
		return stopped, err
	}
	defer w.Close()
	files := make([]string, len(e.StudentFiles))
	for i, f := range studentPaths(e) {
		files[i] = relPath(l.root, f)
	}
	for again := false; ; again = true {
		if r == nil {
			if again {
				// A run of its own: on a terminal, on a clear screen; in a
				// log, after a line that says when and why it began.
				if l.clear {
					fmt.Fprint(l.out, "\x1b[H\x1b[2J")
				} else {
					fmt.Fprintln(l.out)
				}
				fmt.Fprintf(l.out, "%s\n\n", tr(l.render.Lang, "watch.again", catalog.Args{"Time": time.Now().Format("15:04:05"), "Files": strings.Join(files, ", "), "Exercise": e.Name}))
			}
			if r, err = l.grade(ctx, e.Name); err != nil {
				if ctx.Err() != nil {
					return stopped, nil
				}
				return stopped, err
			}
		}
		if r.Passed() {
			return render.Done, nil
		}
		if err := render.Student(l.out, r, l.render); err != nil {
			return stopped, err
		}
		if render.Next(r) == "" {
			// The report says what did not run, and why.
			return render.DoneHere, nil
		}
		fmt.Fprintf(l.out, "\n%s\n", tr(l.render.Lang, "watch.watching", catalog.Args{"Files": strings.Join(files, ", ")}))
		if !l.wait(ctx, w) {
			return stopped, nil
		}
		r = nil
	}
}

// wait waits for a change and then for debounce without another one. It
// returns false when ctx ends or the watcher stops first.
func (l *watchLoop) wait(ctx context.Context, w watcher) bool {
	select {
	case <-ctx.Done():
		return false
	case _, ok := <-w.Changes():
		if !ok {
			return false
		}
	}
	if l.debounce <= 0 {
		return true
	}
	t := time.NewTimer(l.debounce)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case _, ok := <-w.Changes():
			if !ok {
				return false
			}
			t.Reset(l.debounce)
		case <-t.C:
			return true
		}
	}
}

// watchFiles watches paths with file events, or by polling their
// modification times every interval when poll is set or events cannot be
// had (then it says so on log).
func watchFiles(paths []string, poll bool, interval time.Duration, log io.Writer) (watcher, error) {
	if !poll {
		w, err := notifyFiles(paths)
		if err == nil {
			return w, nil
		}
		fmt.Fprintf(log, "no file events (%v); looking at the files every %v instead\n", err, interval)
	}
	return pollFiles(paths, interval), nil
}

// notifyWatcher gets file events from the operating system. It watches the
// files' folders, not the files, because many editors save by writing a
// new file and renaming it over the old one.
type notifyWatcher struct {
	w       *fsnotify.Watcher
	files   map[string]bool
	changes chan string
	done    chan struct{}
}

func notifyFiles(paths []string) (*notifyWatcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	n := &notifyWatcher{w: fw, files: map[string]bool{}, changes: make(chan string, 1), done: make(chan struct{})}
	dirs := map[string]bool{}
	for _, p := range paths {
		p = filepath.Clean(p)
		n.files[p] = true
		if d := filepath.Dir(p); !dirs[d] {
			dirs[d] = true
			if err := fw.Add(d); err != nil {
				fw.Close()
				return nil, err
			}
		}
	}
	go n.loop()
	return n, nil
}

func (n *notifyWatcher) loop() {
	defer close(n.done)
	for {
		select {
		case ev, ok := <-n.w.Events:
			if !ok {
				return
			}
			if n.files[filepath.Clean(ev.Name)] && (ev.Has(fsnotify.Write) || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Rename)) {
				send(n.changes, ev.Name)
			}
		case _, ok := <-n.w.Errors:
			if !ok {
				return
			}
		}
	}
}

func (n *notifyWatcher) Changes() <-chan string { return n.changes }

func (n *notifyWatcher) Close() error {
	err := n.w.Close()
	<-n.done
	return err
}

// pollWatcher looks at the files' modification times and sizes every
// interval, for file systems without events.
type pollWatcher struct {
	paths    []string
	interval time.Duration
	changes  chan string
	stop     chan struct{}
	done     chan struct{}
}

// fileStamp is what polling compares; a missing file has the zero stamp.
type fileStamp struct {
	mod  time.Time
	size int64
}

func stampOf(path string) fileStamp {
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{st.ModTime(), st.Size()}
}

// pollFiles starts polling; the files' state now is the baseline.
func pollFiles(paths []string, interval time.Duration) *pollWatcher {
	p := &pollWatcher{paths: paths, interval: interval, changes: make(chan string, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	last := make([]fileStamp, len(paths))
	for i, path := range paths {
		last[i] = stampOf(path)
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
			for i, path := range paths {
				if s := stampOf(path); s != last[i] {
					last[i] = s
					send(p.changes, path)
				}
			}
		}
	}()
	return p
}

func (p *pollWatcher) Changes() <-chan string { return p.changes }

func (p *pollWatcher) Close() error {
	select {
	case <-p.stop:
		return errors.New("already closed")
	default:
	}
	close(p.stop)
	<-p.done
	return nil
}

// send puts path on c unless a change is already waiting there.
func send(c chan string, path string) {
	select {
	case c <- path:
	default:
	}
}

// relPath is path relative to root, for messages: with the student's
// separators, as their shell and editor write it.
func relPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
