package batch

import (
	"os"

	"golang.org/x/sys/windows"
)

// Windows has no flock, and its file system errors are not errno values:
// LockFileEx and the ERROR_ codes stand in for lock_unix.go's.

// lockFile takes an exclusive lock on f, or fails at once; Windows drops
// it when the process dies, killed or not.
func lockFile(f *os.File) error {
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY,
		0, 1, 0, new(windows.Overlapped))
}

// scratchErrors are the errors of a scratch space that cannot be written
// (full, read-only, failing) or of a grader out of files or memory.
var scratchErrors = []error{
	windows.ERROR_DISK_FULL, windows.ERROR_HANDLE_DISK_FULL, windows.ERROR_WRITE_PROTECT,
	windows.ERROR_CRC, windows.ERROR_TOO_MANY_OPEN_FILES, windows.ERROR_NOT_ENOUGH_MEMORY, windows.ERROR_OUTOFMEMORY,
}
