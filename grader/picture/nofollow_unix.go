//go:build unix

package picture

import "syscall"

// noFollow makes opening a trace file fail on a symbolic link.
const noFollow = syscall.O_NOFOLLOW
