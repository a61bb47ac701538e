package batch

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// studentCache is the Go build cache a batch's students build with
// (issue 13). A class of hundreds, each compiling ten packages of their
// own, or a student whose file compiles to tens of megabytes, would grow
// the cache the course's builds share by gigabytes that no later build
// reuses. So the course's own packages are built into the shared cache
// first (grader.Warm), and the students build in a folder of the batch's
// own laid over it (grader.Options.GoCacheLower, see layeredcache): the
// course's packages are found in the shared cache, which is never
// written, and what the students compile goes to the folder. Every few
// students, at a moment when no student is being graded, and at the end,
// the batch empties it.
type studentCache struct {
	dir   string // the students' GOCACHE
	every int    // students between trims

	mu      sync.RWMutex // a student holds it to read, a trim to write
	countMu sync.Mutex
	count   int // students since the last trim
}

// DefaultTrimEvery is how many students a batch grades between two trims
// of its students' build cache: each trim waits for the students being
// graded to finish.
const DefaultTrimEvery = 50

// newStudentCache makes an empty students' cache at dir, removing what a
// killed batch left there. Call close when the batch is done with it.
func newStudentCache(dir string, every int) (*studentCache, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &studentCache{dir: dir, every: max(every, 1)}, nil
}

// student runs grade, a student's grading, then trims the cache if that
// many students have been graded since the last trim.
func (c *studentCache) student(grade func()) {
	c.mu.RLock()
	grade()
	c.mu.RUnlock()
	c.countMu.Lock()
	c.count++
	due := c.count >= c.every
	if due {
		c.count = 0
	}
	c.countMu.Unlock()
	if due {
		c.trim()
	}
}

// trim waits until no student is being graded, then empties the cache;
// it returns how many files it removed.
func (c *studentCache) trim() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	filepath.WalkDir(c.dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	ents, _ := os.ReadDir(c.dir)
	for _, e := range ents {
		os.RemoveAll(filepath.Join(c.dir, e.Name()))
	}
	return n
}

// close removes the cache, once no student is being graded.
func (c *studentCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	os.RemoveAll(c.dir)
}
