// Package layeredcache is a GOCACHEPROG (see go help environment) for the
// builds of a batch's students: they find the course's packages in a Go
// build cache that they never write to, the lower one, and what they
// compile themselves goes to a folder of the batch's own, the upper one.
//
// Why: the students' builds must not grow the cache the course shares by
// gigabytes that no later build reuses, nor change what the next course
// build reads. Before this package a batch gave its students a mirror of
// the shared cache made of hard links, which took three walks of a
// developer's cache (300k files, a second each with their bookkeeping)
// per batch and one more every 50 students. The go command has asked a
// cache program for its entries since Go 1.24; this one reads the lower
// cache's files where they are, in the go command's own layout, so
// nothing is walked or copied.
//
// Any program that links this package serves as the cache program when
// started with LowerEnv set (see init): the grader and the test binaries
// of packages that link it pass their own executable (Command).
package layeredcache

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LowerEnv names the lower cache's folder in the environment of the
// cache program; the upper one is its GOCACHE, which the go command sets
// for the programs it starts.
const LowerEnv = "ASYNCLAB_CACHE_LOWER"

func init() {
	// Before main and before testing's flags, as the go command starts
	// the executable with no arguments of ours.
	if lower, ok := os.LookupEnv(LowerEnv); ok {
		os.Unsetenv(LowerEnv)
		upper := os.Getenv("GOCACHE")
		if err := Serve(os.Stdin, os.Stdout, upper, lower); err != nil {
			fmt.Fprintln(os.Stderr, "asynclab build cache:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// Command is the value of GOCACHEPROG that runs this executable as the
// cache program. The go command splits it into words, with quotes but no
// escapes, so a path with both kinds of quote cannot be said: then ok is
// false.
func Command() (prog string, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	switch {
	case !strings.ContainsAny(exe, " \t\n\r'\""):
		return exe, true
	case !strings.Contains(exe, "'"):
		return "'" + exe + "'", true
	case !strings.Contains(exe, `"`):
		return `"` + exe + `"`, true
	}
	return "", false
}

// request is the go command's message (cmd/go/internal/cacheprog.Request).
type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

// response is the answer (cmd/go/internal/cacheprog.Response).
type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// Serve answers the go command's requests read from r on w until it
// closes or says "close". Gets look in upper, then in lower; puts go to
// upper, which is made if need be. Lower is only read.
func Serve(r io.Reader, w io.Writer, upper, lower string) error {
	if upper == "" {
		return errors.New("no GOCACHE for what the builds add")
	}
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	send := func(res response) error {
		if err := enc.Encode(res); err != nil {
			return err
		}
		return out.Flush()
	}
	if err := send(response{KnownCommands: []string{"get", "put", "close"}}); err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("reading a request: %w", err)
		}
		res := response{ID: req.ID}
		switch req.Command {
		case "get":
			e, err := get(req.ActionID, upper, lower)
			switch {
			case err != nil:
				res.Miss = true
			default:
				t := e.time
				res.OutputID, res.Size, res.Time, res.DiskPath = e.output, e.size, &t, e.path
			}
		case "put":
			var body []byte
			if req.BodySize > 0 {
				// The body follows as a JSON string of base64, which
				// encoding/json decodes into a []byte.
				if err := dec.Decode(&body); err != nil {
					return fmt.Errorf("reading the body of request %d: %w", req.ID, err)
				}
			}
			path, err := put(upper, req.ActionID, req.OutputID, body, req.BodySize)
			if err != nil {
				res.Err = err.Error()
			} else {
				res.DiskPath = path
			}
		case "close":
			return send(res)
		default:
			res.Err = fmt.Sprintf("unknown command %q", req.Command)
		}
		if err := send(res); err != nil {
			return err
		}
	}
}

// hashSize is the size of the go command's action and output ids.
const hashSize = sha256.Size

// entry is a cache entry: its output's id, size, time and file.
type entry struct {
	output []byte
	size   int64
	time   time.Time
	path   string
}

// get finds action id's entry in the first of dirs that has it whole.
func get(id []byte, dirs ...string) (entry, error) {
	if len(id) != hashSize {
		return entry{}, errors.New("not an action id")
	}
	var last error
	for _, dir := range dirs {
		e, err := readEntry(dir, id)
		if err == nil {
			return e, nil
		}
		last = err
	}
	return entry{}, last
}

// entryLine is the go command's entry file: "v1 <action id> <output id>
// <size> <time in ns>", numbers right-aligned in 20 columns.
const entryLine = "v1 %x %x %20d %20d\n"

// entrySize is the length of an entry file.
var entrySize = len(fmt.Sprintf(entryLine, make([]byte, hashSize), make([]byte, hashSize), 0, 0))

// file is where dir, a cache in the go command's layout, keeps the entry
// (kind "a") or output ("d") of id.
func file(dir string, id []byte, kind string) string {
	return filepath.Join(dir, fmt.Sprintf("%02x", id[0]), fmt.Sprintf("%x-%s", id, kind))
}

// readEntry reads action id's entry in dir and checks that its output is
// there, of its size, as the go command's cache does.
func readEntry(dir string, id []byte) (entry, error) {
	data, err := os.ReadFile(file(dir, id, "a"))
	if err != nil {
		return entry{}, err
	}
	fields := strings.Fields(string(data))
	if len(data) != entrySize || len(fields) != 5 || fields[0] != "v1" {
		return entry{}, errors.New("not an entry")
	}
	if aid, err := hex.DecodeString(fields[1]); err != nil || string(aid) != string(id) {
		return entry{}, errors.New("another action's entry")
	}
	out, err := hex.DecodeString(fields[2])
	if err != nil || len(out) != hashSize {
		return entry{}, errors.New("a bad output id")
	}
	size, err1 := strconv.ParseInt(fields[3], 10, 64)
	ns, err2 := strconv.ParseInt(fields[4], 10, 64)
	if err1 != nil || err2 != nil || size < 0 || ns < 0 {
		return entry{}, errors.New("a bad size or time")
	}
	path := file(dir, out, "d")
	if st, err := os.Stat(path); err != nil || st.Size() != size {
		return entry{}, errors.New("its output is missing")
	}
	return entry{output: out, size: size, time: time.Unix(0, ns), path: path}, nil
}

// put stores body as the output of action id in dir, and returns the
// output's file.
func put(dir string, id, output, body []byte, size int64) (string, error) {
	if len(id) != hashSize || len(output) != hashSize {
		return "", errors.New("not an action and output id")
	}
	if int64(len(body)) != size {
		return "", fmt.Errorf("a body of %d bytes, said to be %d", len(body), size)
	}
	path := file(dir, output, "d")
	if st, err := os.Stat(path); err != nil || st.Size() != size {
		if err := writeAtomic(path, body); err != nil {
			return "", err
		}
	}
	line := fmt.Sprintf(entryLine, id, output, size, time.Now().UnixNano())
	if err := writeAtomic(file(dir, id, "a"), []byte(line)); err != nil {
		return "", err
	}
	return path, nil
}

// writeAtomic writes data to path through a temporary file and a rename,
// as two cache programs (two builds at once) may write the same entry.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
		if _, serr := os.Stat(path); err != nil && serr == nil {
			// Windows refuses to replace a file someone has open: the
			// other writer's file, of the same id, does as well.
			err = nil
		}
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
