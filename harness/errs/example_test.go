package errs_test

import (
	"context"
	"errors"
	"fmt"

	"asynclab/harness/errs"
)

// Text names errors as a student writes them, so that a timeline reads
// "Put returned ErrClosed", whatever the error wraps.
func ExampleText() {
	errClosed := errors.New("queue closed")
	closed := errs.Sentinel{Name: "ErrClosed", Err: errClosed}
	for _, err := range []error{
		nil,
		fmt.Errorf("put: %w", errClosed),
		context.DeadlineExceeded,
		errors.New("disk full"),
	} {
		fmt.Println(errs.Text(err, closed))
	}
	// Output:
	// nil
	// ErrClosed
	// context.DeadlineExceeded
	// error "disk full"
}
