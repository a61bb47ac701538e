package grader

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"asynclab/grader/sandbox"
	"asynclab/internal/wire"
)

// MaxTimelineBytes is the most a Grade call stores of the timelines its
// test binaries hand over on a pipe (Options.Timelines in bubblewrap): 8
// MiB, many times what every failing check of a submission writes (the
// course's stubs, failing 112 checks, write under 0.5 MiB), so that a
// class of hostile binaries cannot fill the disk.
const MaxTimelineBytes = 8 << 20

// timelineEnv is what asks a test binary for its failing checks'
// timelines, and the side pipe it writes them on, if any: a folder when
// the binary may write into one, else (bubblewrap: no writable folder) a
// pipe whose lines the grader writes into the folder itself.
func (s *session) timelineEnv() (env []string, side *timelineSink) {
	if s.opts.Timelines == "" {
		return nil, nil
	}
	if s.sink == nil {
		return []string{wire.TraceDirEnv + "=" + s.opts.Timelines}, nil
	}
	return []string{wire.TraceFDEnv + "=" + strconv.Itoa(sandbox.SideFD)}, &timelineSink{store: s.sink}
}

// newTimelineStore is where the timelines handed over on pipes go, for a
// session whose test binaries may write into no folder; nil for one whose
// binaries write into Options.Timelines themselves.
func newTimelineStore(o Options, sb *sandbox.Sandbox) *timelineStore {
	if o.Timelines == "" || !sb.Isolated() || runtime.GOOS == "windows" {
		return nil
	}
	return &timelineStore{dir: o.Timelines, left: MaxTimelineBytes}
}

// timelineStore writes into dir the trace files that test binaries hand
// over on their side pipes, up to left bytes in all. What the lines hold
// is the student's process's word: picture.LoadDir reads the files back
// under its own rules, and a line that is not a trace file is dropped.
type timelineStore struct {
	mu   sync.Mutex
	dir  string
	left int64
}

func (t *timelineStore) store(line []byte) {
	var head struct {
		Version  int    `json:"version"`
		Exercise string `json:"exercise"`
		Test     string `json:"test"`
	}
	if json.Unmarshal(line, &head) != nil || head.Version != wire.TraceVersion {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(len(line)) > t.left {
		t.left = 0
		return
	}
	t.left -= int64(len(line))
	name := wire.TraceFileName(head.Exercise, head.Test)
	tmp, err := os.CreateTemp(t.dir, ".trace-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(line)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		err = os.Rename(tmp.Name(), filepath.Join(t.dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

// timelineSink is one run's side pipe: it cuts what comes into lines of
// at most wire.MaxTraceBytes, and drops longer ones whole.
type timelineSink struct {
	store *timelineStore
	line  []byte
	over  bool // the line under way is too long: dropped up to its end
}

func (w *timelineSink) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		part := b
		if i >= 0 {
			part = b[:i]
		}
		if !w.over && len(w.line)+len(part) <= wire.MaxTraceBytes {
			w.line = append(w.line, part...)
		} else {
			w.over, w.line = true, w.line[:0]
		}
		if i < 0 {
			break
		}
		if !w.over && len(w.line) > 0 {
			w.store.store(w.line)
		}
		w.line, w.over = w.line[:0], false
		b = b[i+1:]
	}
	return n, nil
}
