package late

import (
	"asynclab/grader/intake"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// Limits of an extensions file.
const (
	MaxExtensionBytes = 1 << 20
	MaxExtensionRows  = 10_000
	maxCell           = 256
)

// Extensions are the students' own deadlines (--extensions), by student
// id, with a note for each row that was not taken.
type Extensions struct {
	By    map[string]time.Time // intake.Key of the student id (case and Unicode form aside) -> deadline
	Notes []string             // "line 4: …", in file order
}

// ReadExtensions reads the extensions file at path (see ParseExtensions).
func ReadExtensions(path string) (*Extensions, error) {
	// A FIFO, a device or a folder is no file to read: opening a FIFO
	// with no writer would wait for ever.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %s: not a regular file", "--extensions", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e, err := ParseExtensions(io.LimitReader(f, MaxExtensionBytes+1))
	if err != nil {
		return nil, fmt.Errorf("--extensions %s: %w", path, err)
	}
	return e, nil
}

// ParseExtensions reads a CSV file whose first row names its columns:
// student (the submission's id, as grades.csv names it) and deadline (as
// ParseTime reads it); other columns (a reason, a name) are ignored. A
// row that cannot be read (no id, a time without its offset, a cell too
// long, a student named twice) is a note and is not taken: that student
// keeps the course's deadline, the others are not affected. Only a file
// that is not such a table is an error.
func ParseExtensions(in io.Reader) (*Extensions, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxExtensionBytes {
		return nil, fmt.Errorf("more than the %d KiB an extensions file may have", MaxExtensionBytes>>10)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff")))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty; its first row must name the columns student and deadline")
	}
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	sc, ok1 := col["student"]
	dc, ok2 := col["deadline"]
	if !ok1 || !ok2 {
		return nil, errors.New("the first row must name the columns student and deadline")
	}
	e := &Extensions{By: map[string]time.Time{}}
	lines := map[string][]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// A broken quote makes the rest of the file unreadable.
				e.Notes = append(e.Notes, fmt.Sprintf("line %d: not CSV (%v): this row and the rest of the file are not taken", pe.StartLine, pe.Err))
				break
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0) // rows may span lines
		if row-1 > MaxExtensionRows {
			e.Notes = append(e.Notes, fmt.Sprintf("line %d: more than %d rows: the rest of the file is not taken", line, MaxExtensionRows))
			break
		}
		cell := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id, when := cell(sc), cell(dc)
		switch {
		case id == "" && when == "":
			continue
		case id == "":
			e.Notes = append(e.Notes, fmt.Sprintf("line %d: no student: not taken", line))
			continue
		case len(id) > maxCell || len(when) > maxCell:
			e.Notes = append(e.Notes, fmt.Sprintf("line %d: a cell longer than %d bytes: not taken", line, maxCell))
			continue
		}
		t, err := ParseTime(when)
		if err != nil {
			e.Notes = append(e.Notes, fmt.Sprintf("line %d: %s: %v: not taken, the course's deadline applies", line, quote(id), err))
			continue
		}
		key := intake.Key(id)
		lines[key] = append(lines[key], line)
		e.By[key] = t
	}
	// A student named twice: which row is meant cannot be told.
	var twice []string
	for key, ls := range lines {
		if len(ls) > 1 {
			twice = append(twice, key)
		}
	}
	sort.Strings(twice)
	for _, key := range twice {
		delete(e.By, key)
		e.Notes = append(e.Notes, fmt.Sprintf("lines %s: %s has %d rows: none is taken, the course's deadline applies", joinInts(lines[key]), quote(key), len(lines[key])))
	}
	return e, nil
}

// quote shows an id from the file as Go quotes it: a control character
// cannot reach a terminal or a report as itself.
func quote(s string) string { return fmt.Sprintf("%q", s) }

func joinInts(ns []int) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, fmt.Sprint(n))
	}
	return strings.Join(parts, ", ")
}

// Plan is a batch's deadlines: the course's, each student's own, and the
// late policy. The zero Plan (no Deadline) grades what is there.
type Plan struct {
	Deadline   time.Time
	Policy     Policy
	Extensions *Extensions
}

// Active says a deadline applies.
func (p Plan) Active() bool { return !p.Deadline.IsZero() }

// For is student id's deadline, and whether it is their own.
func (p Plan) For(id string) (time.Time, bool) {
	if p.Extensions != nil {
		if t, ok := p.Extensions.By[intake.Key(id)]; ok {
			return t, true
		}
	}
	return p.Deadline, false
}

// Cutoff is the last moment work of student id is taken: their deadline
// and the policy's window after it.
func (p Plan) Cutoff(id string) time.Time {
	d, _ := p.For(id)
	return d.Add(p.Policy.Window())
}

// Key says what of the plan a student's grade depends on: a result
// graded under another key is graded again.
func (p Plan) Key(id string) string {
	if !p.Active() {
		return ""
	}
	d, _ := p.For(id)
	return "deadline " + d.UTC().Format(time.RFC3339) + " late " + p.Policy.Text
}

// Unknown are the extensions' students that are not in ids (the class),
// each a note: an extension for a misspelt id would be lost in silence.
func (p Plan) Unknown(ids []string) []string {
	if p.Extensions == nil {
		return nil
	}
	in := map[string]bool{}
	for _, id := range ids {
		in[intake.Key(id)] = true
	}
	var out []string
	for key := range p.Extensions.By {
		if !in[key] {
			out = append(out, fmt.Sprintf("%s: no such student in the class: the extension is not used", quote(key)))
		}
	}
	sort.Strings(out)
	return out
}
