// Package roster reads a class list (--roster) and matches it with the
// submissions a batch graded, so that each grade can go back to the
// student's account in the LMS, and so that nobody falls between the two:
// a student of the roster who handed nothing in, and a submission that is
// nobody's of the roster, are both listed, never dropped.
//
// A roster is a CSV file whose first row names its columns. It may be the
// LMS's own export, as it is: a Canvas gradebook export (Student, ID, SIS
// User ID, SIS Login ID, Section; its "Points Possible" row is skipped), a
// Moodle grading worksheet (Identifier "Participant 1234", Full name,
// Email address) or a Moodle gradebook export (First name, Last name, ID
// number, Email address); or one written by hand with the columns
// submission, name, lms_id, sis_id, login, email and section. Any other
// column is ignored; at least one column must identify students.
//
// The roster is the instructor's file, but what it holds (names) is the
// students', and reaches every output: the outputs escape it as they
// escape everything else.
package roster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"asynclab/grader/intake"
)

// Person is one row of a roster: a student, as the LMS knows them.
type Person struct {
	// Submission is the id of the student's submission (as grader batch
	// names it: the folder, the archive, alice_12345), when the roster says.
	Submission string `json:"submission,omitempty"`
	Name       string `json:"name,omitempty"`
	// LMSID is the LMS's number for the student: the Canvas user id (ID),
	// or the Moodle participant id of the assignment (the number in the
	// grading worksheet's Identifier "Participant 1234").
	LMSID   string `json:"lms_id,omitempty"`
	SISID   string `json:"sis_id,omitempty"` // Canvas's SIS User ID, Moodle's ID number
	Login   string `json:"login,omitempty"`  // Canvas's SIS Login ID, Moodle's username
	Email   string `json:"email,omitempty"`
	Section string `json:"section,omitempty"`
	Line    int    `json:"line"` // in the roster file, counting the header as 1
}

// Label is how messages name the person: their name, else an identity.
func (p Person) Label() string {
	for _, s := range []string{p.Name, p.Login, p.Email, p.SISID, p.LMSID, p.Submission} {
		if s != "" {
			return s
		}
	}
	return fmt.Sprintf("line %d", p.Line)
}

// Roster is a class list.
type Roster struct {
	People []Person
	// IDs is whose ids its LMS id column holds, as its header says:
	// "moodle" (Identifier, Participant: Moodle participant ids),
	// "canvas" (ID, Canvas's export: Canvas user ids), or "" (lms_id:
	// either).
	IDs string
}

// Limits of a roster file.
const (
	MaxBytes = 16 << 20
	MaxRows  = 100_000
)

// field is a Person's field a column fills.
type field int

const (
	fSubmission field = iota
	fName
	fFirst
	fLast
	fLMSID
	fSISID
	fLogin
	fEmail
	fSection
)

// columns are the headers read, lower-cased: ours, then Canvas's and
// Moodle's for the same thing.
var columns = map[string]field{
	"submission": fSubmission,
	"name":       fName, "student": fName, "student name": fName, "full name": fName,
	"first name": fFirst, "last name": fLast,
	"lms_id": fLMSID, "id": fLMSID, "identifier": fLMSID, "participant": fLMSID,
	"sis_id": fSISID, "sis user id": fSISID, "id number": fSISID,
	"login": fLogin, "sis login id": fLogin, "username": fLogin,
	"email": fEmail, "email address": fEmail,
	"section": fSection,
}

// trailingNumber is the participant id in Moodle's "Participant 1234".
var trailingNumber = regexp.MustCompile(`^\D*?(\d+)$`)

// Read reads the roster file at path.
func Read(path string) (*Roster, error) {
	// A FIFO, a device or a folder is no file to read: opening a FIFO
	// with no writer would wait for ever.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %s: not a regular file", "--roster", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := Parse(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("--roster %s: %w", path, err)
	}
	return r, nil
}

// Parse reads a roster (see the package's doc).
func Parse(in io.Reader) (*Roster, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("more than the %d MiB a roster may have", MaxBytes>>20)
	}
	text := strings.TrimPrefix(string(data), "\ufeff") // Excel's byte order mark
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty; its first row must name the columns")
	}
	if err != nil {
		return nil, err
	}
	idx := map[field]int{}
	participant := false // the LMS id is Moodle's "Participant 1234"
	ids := ""
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if f, ok := columns[h]; ok {
			if _, dup := idx[f]; !dup {
				idx[f] = i
				participant = participant || f == fLMSID && (h == "identifier" || h == "participant")
				if f == fLMSID {
					switch h {
					case "identifier", "participant":
						ids = "moodle"
					case "id":
						ids = "canvas"
					}
				}
			}
		}
	}
	identifies := false
	for _, f := range []field{fSubmission, fLMSID, fSISID, fLogin, fEmail, fName, fFirst, fLast} {
		_, ok := idx[f]
		identifies = identifies || ok
	}
	if !identifies {
		return nil, fmt.Errorf("no column names a student; the first row must have one of submission, name, lms_id, sis_id, login, email (or the LMS's own: Student, ID, SIS User ID, SIS Login ID, Identifier, Full name, Email address, ID number, Username); it has %s", strings.Join(head, ", "))
	}
	r := &Roster{IDs: ids}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(r.People) >= MaxRows {
			return nil, fmt.Errorf("more than the %d students a roster may have", MaxRows)
		}
		get := func(f field) string {
			if i, ok := idx[f]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := Person{Submission: get(fSubmission), Name: get(fName), LMSID: get(fLMSID), SISID: get(fSISID),
			Login: get(fLogin), Email: get(fEmail), Section: get(fSection), Line: line}
		if p.Name == "" {
			p.Name = strings.TrimSpace(get(fFirst) + " " + get(fLast))
		}
		if m := trailingNumber.FindStringSubmatch(p.LMSID); participant && m != nil {
			p.LMSID = m[1] // "Participant 1234"
		}
		// Canvas's export has a row of points (and, in old exports, of
		// muted assignments) under its header.
		if strings.Contains(strings.ToLower(p.Name), "points possible") || strings.EqualFold(strings.TrimSpace(p.Name), "muted") {
			continue
		}
		if p == (Person{Line: line}) {
			continue // an empty row
		}
		r.People = append(r.People, p)
	}
	return r, nil
}

// Submission is what a graded submission says of its student.
type Submission struct {
	ID    string // the batch's student id
	LMSID string // the LMS's id for them, when the download named it (Canvas user id, Moodle participant id)
}

// Unmatched is a submission that no roster row is, and why.
type Unmatched struct {
	ID  string `json:"id"`
	Why string `json:"why"`
}

// Matching is a roster matched with a batch's submissions.
type Matching struct {
	Of           map[string]Person // submission id -> its roster row
	NoSubmission []Person          // rows of the roster that no submission is, in the roster's order
	NoRoster     []Unmatched       // submissions that no row of the roster is, by id
	IDs          string            // the roster's Roster.IDs
}

// sameID says whether two LMS ids are one: as numbers when both are
// (Canvas and Moodle read 01012 as 1012), else as they are written.
func sameID(a, b string) bool {
	if a == b {
		return true
	}
	if !numeric(a) || !numeric(b) {
		return false
	}
	return strings.TrimLeft(a, "0") == strings.TrimLeft(b, "0")
}

func numeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Match pairs each submission with its row of the roster, by the first of
// these that finds any:
//  1. the row's submission column is the submission's id;
//  2. the row's LMS id is the one the download gave the submission (the
//     Canvas user id, the Moodle participant id);
//  3. the submission's id is the row's login, email, or the part of the
//     email before @ (a repository named after its owner's account).
//
// Not the row's LMS or SIS id at level 3: those are numbers the LMS gives,
// which other students can see and nobody names a repository after, so
// that a student whose repository is named after a classmate's Canvas id
// would claim the classmate's row (and put their grade in it). A class
// whose students choose their account names (GitHub) is safest with a
// submission column: a student could choose a classmate's login.
//
// Ids are compared as intake.Key compares them (case and Unicode form
// aside). When that finds two rows, or two submissions find one row, none
// of them is paired: each is listed with why, never guessed.
func (r *Roster) Match(subs []Submission) *Matching {
	m := &Matching{Of: map[string]Person{}, IDs: r.IDs}
	key := func(s string) string {
		if s == "" {
			return ""
		}
		return intake.Key(s)
	}
	find := func(s Submission) []int {
		id := key(s.ID)
		levels := []func(p Person) bool{
			func(p Person) bool { return key(p.Submission) == id },
			func(p Person) bool { return s.LMSID != "" && sameID(p.LMSID, s.LMSID) },
			func(p Person) bool {
				local, _, _ := strings.Cut(p.Email, "@")
				for _, v := range []string{p.Login, p.Email, local} {
					if v != "" && key(v) == id {
						return true
					}
				}
				return false
			},
		}
		for _, ok := range levels {
			var found []int
			for i, p := range r.People {
				if ok(p) {
					found = append(found, i)
				}
			}
			if len(found) > 0 {
				return found
			}
		}
		return nil
	}
	byRow := map[int][]string{}
	for _, s := range subs {
		rows := find(s)
		switch len(rows) {
		case 0:
			m.NoRoster = append(m.NoRoster, Unmatched{s.ID, "no row of the roster is this submission (by submission, the download's LMS id, login or email)"})
		case 1:
			byRow[rows[0]] = append(byRow[rows[0]], s.ID)
		default:
			var labels []string
			for _, i := range rows {
				labels = append(labels, fmt.Sprintf("%s (line %d)", r.People[i].Label(), r.People[i].Line))
			}
			m.NoRoster = append(m.NoRoster, Unmatched{s.ID, "more than one row of the roster could be this submission: " + strings.Join(labels, ", ") + "; add a submission column to say which"})
		}
	}
	for i, p := range r.People {
		ids := byRow[i]
		switch len(ids) {
		case 0:
			m.NoSubmission = append(m.NoSubmission, p)
		case 1:
			m.Of[ids[0]] = p
		default:
			sort.Strings(ids)
			for _, id := range ids {
				m.NoRoster = append(m.NoRoster, Unmatched{id, fmt.Sprintf("%s (line %d) is also %s: %d submissions for one row of the roster; add a submission column to say which", p.Label(), p.Line, strings.Join(ids, ", "), len(ids))})
			}
			m.NoSubmission = append(m.NoSubmission, p)
		}
	}
	sort.Slice(m.NoRoster, func(i, j int) bool { return m.NoRoster[i].ID < m.NoRoster[j].ID })
	return m
}
