// Command grader grades this checkout's exercises, for learners (text) and
// for tools (JSON). The grading itself lives in package asynclab/grader.
package main

import (
	"asynclab/catalog"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
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

// newRoot is the grader's command tree.
func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "grader",
		Short:         tr(catalog.English, "help.root.short", nil),
		Long:          tr(catalog.English, "help.root.long", nil),
		Example:       rootExample,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	g := &globals{getenv: withSystemLocale(os.Getenv, systemLanguage)}
	root.PersistentFlags().StringVar(&g.dir, "root", "", "course root (default: the nearest folder upward with the asynclab go.mod and exercises/)")
	root.PersistentFlags().StringVar(&g.langFlag, "lang", "", "language of what students read: en or ru (default: from LC_ALL, LC_MESSAGES or LANG, else Windows' display language)")
	root.AddCommand(checkCmd(g))
	root.AddCommand(listCmd(g))
	root.AddCommand(hintCmd(g))
	root.AddCommand(watchCmd(g))
	root.AddCommand(verifyCmd(g))
	root.AddCommand(exportCmd(g))
	root.AddCommand(givenCmd(g))
	root.AddCommand(newCmd(g))
	root.AddCommand(batchCmd(g))
	root.AddCommand(regradeCmd(g))
	root.AddCommand(mergeCmd(g))
	root.AddCommand(similarCmd(g))
	// Help follows the language too: the student's commands have their
	// texts in the catalogs (help.<command>), in every language.
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if l, err := g.lang(); err == nil {
			for _, cc := range append([]*cobra.Command{c}, c.Commands()...) {
				name := cc.Name()
				if cc == root {
					name = "root"
				}
				if texts.Has(catalog.English, "help."+name+".short") {
					cc.Short = tr(l, "help."+name+".short", nil)
					cc.Long = tr(l, "help."+name+".long", nil)
				}
			}
		}
		defaultHelp(c, args)
	})
	return root
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
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
