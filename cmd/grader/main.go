// Command grader grades this checkout's exercises, for learners (text) and
// for tools (JSON). The grading itself lives in package asynclab/grader.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"asynclab/grader"
	"asynclab/grader/render"
)

// Exit statuses.
const (
	exitPass  = 0 // every check passed
	exitFail  = 1 // some check failed
	exitUsage = 2 // bad usage, or the grader itself could not work
)

// errFailed is returned when grading worked but some check failed.
var errFailed = errors.New("some checks failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "grader",
		Short:         "Grade asynclab exercises",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(checkCmd())
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitPass
	case errors.Is(err, errFailed):
		return exitFail
	default:
		fmt.Fprintln(stderr, "grader:", err)
		return exitUsage
	}
}

func checkCmd() *cobra.Command {
	var (
		format, dir string
		opts        grader.Options
	)
	cmd := &cobra.Command{
		Use:   "check [EXERCISE...]",
		Short: "Grade this checkout's exercises (all of them, or those named)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format must be text or json, not %q", format)
			}
			var err error
			if dir == "" {
				if dir, err = findRoot("."); err != nil {
					return err
				}
			}
			course, err := grader.LoadCourse(dir)
			if err != nil {
				return err
			}
			for _, name := range args {
				if course.Exercise(name) == nil {
					return fmt.Errorf("no exercise %q; the exercises are: %s", name, strings.Join(course.Names(), ", "))
				}
			}
			opts.Exercises = args
			names := args
			if len(names) == 0 {
				names = course.Names()
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "building %s… (first build can take a minute)\n", strings.Join(names, ", "))

			report, err := grader.Grade(cmd.Context(), course, grader.CheckoutSubmission(course), opts)
			if err != nil {
				return err
			}
			if err := write(cmd.OutOrStdout(), report, format); err != nil {
				return err
			}
			if !report.Passed() {
				return errFailed
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.StringVar(&dir, "root", "", "course root (default: the nearest folder upward with the asynclab go.mod and exercises/)")
	f.IntVar(&opts.Count, "count", 1, "run each check this many times")
	f.DurationVar(&opts.RunTimeout, "timeout", 2*time.Minute, "time limit for one run of an exercise's checks")
	return cmd
}

func write(w io.Writer, r *grader.Report, format string) error {
	if format == "text" {
		return render.Text(w, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// findRoot is the nearest folder at or above start that holds the asynclab
// go.mod and an exercises folder.
func findRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && isAsynclab(mod) {
			if st, err := os.Stat(filepath.Join(dir, "exercises")); err == nil && st.IsDir() {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no asynclab course (go.mod with module asynclab, and exercises/) in %s or above; use --root", start)
		}
		dir = parent
	}
}

func isAsynclab(gomod []byte) bool {
	for _, line := range bytes.Split(gomod, []byte("\n")) {
		if f := strings.Fields(string(line)); len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == "asynclab" {
			return true
		}
	}
	return false
}
