//go:build unix

package batch

import (
	"os"
	"syscall"
)

// flock and the errno values are Unix's; Windows has its own (lock_windows.go).

// lockFile takes an exclusive lock on f, or fails at once; the kernel drops
// it when the process dies, kill -9 included.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// scratchErrors are the errors of a scratch space that cannot be written
// (full, read-only, failing) or of a grader out of files or memory.
var scratchErrors = []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EROFS, syscall.EIO, syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM}
