//go:build grader

package fanin

// The checks are in the package checks, which does not import this one, so
// that it is compiled once per course rather than once per submission. This
// file hands it the code under test and declares one test per check.

import (
	"embed"
	"testing"

	"asynclab/exercises/fanin/checks"
	"asynclab/harness"
)

// texts are the exercise's messages in every language (see harness.Say).
//
//go:embed messages.*.toml
var texts embed.FS

func TestMain(m *testing.M) { harness.Main(m, texts, "fanin.go") }

func init() {
	checks.Use(checks.Code{
		Merge:     Merge[string],
		MergeInt:  Merge[int],
		MergeFunc: Merge[string],
	})
}

func TestForwardsAsSoonAsItArrives(t *testing.T) { checks.ForwardsAsSoonAsItArrives(t) }
func TestEveryValueExactlyOnce(t *testing.T)     { checks.EveryValueExactlyOnce(t) }
func TestInputOrderKept(t *testing.T)            { checks.InputOrderKept(t) }
func TestClosedWhenLastInputCloses(t *testing.T) { checks.ClosedWhenLastInputCloses(t) }
func TestNoInputsClosedAtOnce(t *testing.T)      { checks.NoInputsClosedAtOnce(t) }
func TestCancelWhileNobodyReads(t *testing.T)    { checks.CancelWhileNobodyReads(t) }
func TestCancelWhileInputsOpen(t *testing.T)     { checks.CancelWhileInputsOpen(t) }
func TestNothingMovesAfterCancel(t *testing.T)   { checks.NothingMovesAfterCancel(t) }
func TestManyInputsRaceFree(t *testing.T)        { checks.ManyInputsRaceFree(t) }
