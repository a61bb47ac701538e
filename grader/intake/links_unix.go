//go:build unix

package intake

import (
	"os"
	"syscall"
)

// links is the number of hard links to the file st describes.
func links(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}
