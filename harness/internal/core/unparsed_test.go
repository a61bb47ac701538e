package core

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMain fails the harness's tests if any goroutine dump they caused
// could not be read in full (see parseStacks): a report that silently
// drops a goroutine would mislead a student.
func TestMain(m *testing.M) {
	code := m.Run()
	if n, first := unparsed.take(); n > 0 {
		fmt.Fprintf(os.Stderr, "harness: %d parts of goroutine dumps could not be read; the first:\n%s\n", n, strings.Join(first, "\n---\n"))
		code = 1
	}
	os.Exit(code)
}
