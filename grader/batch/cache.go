package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// studentCache is the Go build cache a batch's students build with
// (issue 13). A class of hundreds, each compiling ten packages of their
// own, or a student whose file compiles to tens of megabytes, would grow
// the cache the course's builds share by gigabytes that no later build
// reuses. So the course's own packages are built into the shared cache
// first (grader.Warm), and the students build in a cache of the batch's
// own: a folder beside the shared one whose files start as hard links to
// the shared cache's (the course's packages are hits; nothing is copied),
// and which gets what the students compile. Every few students, at a
// moment when no student is being graded, the batch removes what that
// cache gained; at the end it removes the cache. Nothing else uses it, so
// no other go command can find a file gone.
type studentCache struct {
	dir   string          // the students' GOCACHE
	keep  map[string]bool // its files when made (paths relative to dir)
	every int             // students between trims

	mu      sync.RWMutex // a student holds it to read, a trim to write
	countMu sync.Mutex
	count   int // students since the last trim
}

// DefaultTrimEvery is how many students a batch grades between two trims
// of its students' build cache: each trim waits for the students being
// graded to finish.
const DefaultTrimEvery = 50

// newStudentCache makes the students' cache of the batch writing to out,
// beside shared (the cache Warm filled), as hard links to shared's files.
// A cache left by a batch that was killed is removed first.
func newStudentCache(shared, out string, every int) (*studentCache, error) {
	sum := sha256.Sum256([]byte(out))
	dir := filepath.Join(filepath.Dir(shared), filepath.Base(shared)+"-asynclab-batch-"+hex.EncodeToString(sum[:6]))
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	c := &studentCache{dir: dir, keep: map[string]bool{}, every: max(every, 1)}
	var files []string
	err := walkCache(shared, func(rel string) {
		// The cache's own files at its top (trim.txt...) are rewritten
		// in place: the students' cache makes its own.
		if strings.Contains(rel, "/") {
			files = append(files, rel)
		}
	})
	if err == nil {
		err = linkAll(shared, dir, files)
	}
	for _, rel := range files {
		c.keep[rel] = true
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("making the students' build cache beside %s (--keep-cache builds in it instead): %w", shared, err)
	}
	return c, nil
}

// linkAll hard-links each of files (paths relative to from) into to, a few
// at a time: tens of thousands of links are a fraction of a second that the
// batch's first student waits for.
func linkAll(from, to string, files []string) error {
	var g errgroup.Group
	g.SetLimit(4)
	made := map[string]bool{}
	for _, rel := range files {
		if d := filepath.Dir(rel); !made[d] {
			if err := os.MkdirAll(filepath.Join(to, d), 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	const chunk = 512
	for i := 0; i < len(files); i += chunk {
		part := files[i:min(i+chunk, len(files))]
		g.Go(func() error {
			for _, rel := range part {
				// A file the go command trims meanwhile is no loss.
				if err := os.Link(filepath.Join(from, rel), filepath.Join(to, rel)); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
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

// trim waits until no student is being graded, then removes what the
// cache gained; it returns how many files it removed.
func (c *studentCache) trim() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var gained []string
	walkCache(c.dir, func(rel string) {
		if !c.keep[rel] {
			gained = append(gained, rel)
		}
	})
	for _, rel := range gained {
		os.Remove(filepath.Join(c.dir, rel))
	}
	return len(gained)
}

// remove removes the cache, once no student is being graded.
func (c *studentCache) remove() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return os.RemoveAll(c.dir)
}

// walkCache calls f with the path, relative to dir, of each file of the
// Go build cache at dir: those of its folders 00 to ff, and its own at the
// top (README, trim.txt...).
func walkCache(dir string, f func(rel string)) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, s := range ents {
		switch {
		case s.Type().IsRegular():
			f(s.Name())
		case s.IsDir() && len(s.Name()) == 2:
			files, err := os.ReadDir(filepath.Join(dir, s.Name()))
			if err != nil {
				if os.IsNotExist(err) {
					continue
				}
				return err
			}
			for _, e := range files {
				if e.Type()&fs.ModeType == 0 {
					f(s.Name() + "/" + e.Name())
				}
			}
		}
	}
	return nil
}
