package batch

import (
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
// first (grader.Warm), and the students build in a cache of their own: a
// folder beside the shared one whose files are hard links to the shared
// cache's (the course's packages are hits; nothing is copied), and which
// gets what the students compile. Every few students, at a moment when no
// student is being graded, and at the end, the batch removes what that
// cache gained. Nothing else uses it while the batch holds its lock, so no
// other go command can find a file gone.
//
// The folder stays between batches, so that the next one links only what
// the shared cache gained meanwhile (linking tens of thousands of files,
// and removing them, took a second of a 15-second batch); it then also
// drops the links whose file the shared cache dropped, so as not to keep
// their space.
type studentCache struct {
	dir   string          // the students' GOCACHE
	keep  map[string]bool // the shared cache's files (paths relative to dir)
	every int             // students between trims
	lock  *os.File        // held while the batch uses dir

	mu      sync.RWMutex // a student holds it to read, a trim to write
	countMu sync.Mutex
	count   int // students since the last trim
}

// DefaultTrimEvery is how many students a batch grades between two trims
// of its students' build cache: each trim waits for the students being
// graded to finish.
const DefaultTrimEvery = 50

// newStudentCache takes a students' cache beside shared (the cache Warm
// filled), one that no other batch is using, and brings it in line with
// shared: a link to each of shared's files, and nothing else. Call close
// when the batch is done with it.
func newStudentCache(shared string, every int) (*studentCache, error) {
	fail := func(err error) (*studentCache, error) {
		return nil, fmt.Errorf("the students' build cache beside %s (--keep-cache builds in it instead): %w", shared, err)
	}
	c := &studentCache{keep: map[string]bool{}, every: max(every, 1)}
	base := filepath.Join(filepath.Dir(shared), filepath.Base(shared)+"-asynclab-students")
	for i := 1; c.lock == nil; i++ {
		dir := base
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", base, i)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fail(err)
		}
		f, err := os.OpenFile(filepath.Join(dir, "asynclab.lock"), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return fail(err)
		}
		if err := lockFile(f); err != nil {
			f.Close()
			if i == 16 {
				return fail(err)
			}
			continue // another batch's
		}
		c.dir, c.lock = dir, f
	}
	var want []string
	err := walkCache(shared, func(rel string) {
		// The cache's own files at its top (trim.txt...) are rewritten
		// in place: the students' cache makes its own.
		if strings.Contains(rel, "/") {
			want = append(want, rel)
			c.keep[rel] = true
		}
	})
	if err != nil {
		c.close()
		return fail(err)
	}
	// One walk of the students' cache finds both what it lacks and what
	// it must lose: a killed batch's students, and what shared dropped.
	have := map[string]bool{}
	var gained []string
	walkCache(c.dir, func(rel string) {
		switch {
		case c.keep[rel]:
			have[rel] = true
		case strings.Contains(rel, "/"):
			gained = append(gained, rel)
		}
	})
	for _, rel := range gained {
		os.Remove(filepath.Join(c.dir, rel))
	}
	var link []string
	for _, rel := range want {
		if !have[rel] {
			link = append(link, rel)
		}
	}
	if err := linkAll(shared, c.dir, link); err != nil {
		c.close()
		return fail(err)
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
	return c.trimLocked()
}

func (c *studentCache) trimLocked() int {
	var gained []string
	walkCache(c.dir, func(rel string) {
		// Its own files at the top (trim.txt, the lock) stay.
		if !c.keep[rel] && strings.Contains(rel, "/") {
			gained = append(gained, rel)
		}
	})
	for _, rel := range gained {
		os.Remove(filepath.Join(c.dir, rel))
	}
	return len(gained)
}

// close trims the cache, once no student is being graded, and lets
// another batch take it.
func (c *studentCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != "" && c.keep != nil {
		c.trimLocked()
	}
	if c.lock != nil {
		c.lock.Close()
	}
}

// walkCache calls f with the path, relative to dir, of each file of the
// Go build cache at dir: those of its folders 00 to ff, and its own at the
// top (README, trim.txt...). f is called from one goroutine at a time, in
// no set order: the folders are read a few at a time, unsorted, as a
// developer's cache holds hundreds of thousands of files and the batch
// walks it before its first student and after its last.
func walkCache(dir string, f func(rel string)) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(4)
	for _, s := range ents {
		switch {
		case s.Type().IsRegular():
			mu.Lock()
			f(s.Name())
			mu.Unlock()
		case s.IsDir() && len(s.Name()) == 2:
			g.Go(func() error {
				d, err := os.Open(filepath.Join(dir, s.Name()))
				if os.IsNotExist(err) {
					return nil
				}
				if err != nil {
					return err
				}
				files, err := d.ReadDir(-1)
				d.Close()
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				for _, e := range files {
					if e.Type()&fs.ModeType == 0 {
						f(s.Name() + "/" + e.Name())
					}
				}
				return nil
			})
		}
	}
	return g.Wait()
}
