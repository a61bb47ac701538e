// Package gradebook writes a batch's grades as the file an LMS gradebook
// imports as it is (--gradebook), so that nobody types grades in by hand:
//
//   - Canvas (Grades > Import): gradebook-canvas.csv, with the columns
//     Canvas's own export has and its importer (GradebookImporter in
//     canvas-lms) requires in this order: Student, ID, SIS User ID, SIS
//     Login ID, Section, then the assignment's column, and under the
//     header a "Points Possible" row. Canvas finds each student by ID,
//     then SIS User ID, then SIS Login ID; it finds the assignment by the
//     "Name (id)" of its column, or by its name, and makes a new one
//     otherwise.
//   - Moodle (the assignment's "Upload grading worksheet"):
//     gradebook-moodle.csv, a grading worksheet: Identifier
//     ("Participant 1234", what Moodle matches on), Full name, Email
//     address, Grade, Maximum Grade, Last modified (grade), and, if asked,
//     Feedback comments. Moodle's importer (assignfeedback_offline) needs
//     Identifier, Grade and Last modified (grade); it leaves a grade that
//     was changed in Moodle after that time as it is, and skips a grade
//     above the assignment's maximum.
//
// Every cell goes through escape.CSV, as grades.csv does: a name that a
// spreadsheet would take for a formula is text. A student the file cannot
// name as the LMS knows them (no Canvas ID, SIS User ID or SIS Login ID;
// no Moodle participant id), or who could not be graded, is left out of
// it and listed with why: the gradebook keeps what it had for them.
package gradebook

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"asynclab/grader/escape"
	"asynclab/grader/roster"
)

// Kind is the LMS a gradebook file is for.
type Kind string

const (
	None   Kind = ""
	Canvas Kind = "canvas"
	Moodle Kind = "moodle"
)

// ParseKind reads a --gradebook value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case None, Canvas, Moodle:
		return k, nil
	}
	return None, fmt.Errorf("--gradebook %q: want canvas or moodle", s)
}

// File is the name of the file written for k under the output folder.
func (k Kind) File() string { return "gradebook-" + string(k) + ".csv" }

// Options tune Write.
type Options struct {
	Kind Kind
	// Assignment is Canvas's column for the grades: "Name (id)" as the
	// gradebook export heads it ("Concurrency lab (98765)"), or a name.
	// Default DefaultAssignment.
	Assignment string
	// Points is what the grades are out of in the LMS: a score of s of
	// max points is written as s*Points/max, to two decimals. 0 writes the
	// points as they are (out of the course's maximum).
	Points float64
	// Feedback adds Moodle's Feedback comments column (Canvas imports no
	// comments).
	Feedback bool
}

// DefaultAssignment is Canvas's column when none is given.
const DefaultAssignment = "asynclab"

// Row is one student's grade.
type Row struct {
	ID     string        // the submission's id
	Person roster.Person // who they are in the LMS
	// Score is nil for a student who could not be graded.
	Score *int
	Max   int
	// Graded is when the grade was made: Moodle's "Last modified (grade)".
	Graded time.Time
	// Feedback is the Feedback comments for Moodle, plain text.
	Feedback string
}

// Left is a student left out of the file, and why.
type Left struct {
	ID  string `json:"id"`
	Why string `json:"why"`
}

// Write is the gradebook file of rows (in their order) for opts.Kind, and
// the rows it left out.
func Write(rows []Row, classMax int, opts Options) ([]byte, []Left, error) {
	points := float64(classMax)
	if opts.Points > 0 {
		points = opts.Points
	}
	grade := func(r Row) string {
		if r.Max <= 0 {
			return "0"
		}
		v := float64(*r.Score)
		if opts.Points > 0 {
			v = v * opts.Points / float64(r.Max)
		}
		return number(v)
	}
	var left []Left
	var out [][]string
	switch opts.Kind {
	case Canvas:
		if opts.Feedback {
			return nil, nil, fmt.Errorf("Canvas's gradebook import takes no comments: --gradebook-feedback is for moodle")
		}
		col := opts.Assignment
		if col == "" {
			col = DefaultAssignment
		}
		out = append(out, []string{"Student", "ID", "SIS User ID", "SIS Login ID", "Section", col})
		out = append(out, []string{"Points Possible", "", "", "", "", number(points)})
		for _, r := range rows {
			p := r.Person
			switch {
			case r.Score == nil:
				left = append(left, Left{r.ID, "not graded (an error of the grader): Canvas keeps its grade; run the batch again"})
			case p.LMSID == "" && p.SISID == "" && p.Login == "":
				left = append(left, Left{r.ID, "no Canvas ID, SIS User ID or SIS Login ID to find them by: give a --roster that has them"})
			default:
				out = append(out, []string{plain(p.Name), plain(p.LMSID), plain(p.SISID), plain(p.Login), plain(p.Section), grade(r)})
			}
		}
	case Moodle:
		head := []string{"Identifier", "Full name", "Email address", "Grade", "Maximum Grade", "Last modified (grade)"}
		if opts.Feedback {
			head = append(head, "Feedback comments")
		}
		out = append(out, head)
		for _, r := range rows {
			p := r.Person
			switch {
			case r.Score == nil:
				left = append(left, Left{r.ID, "not graded (an error of the grader): Moodle keeps its grade; run the batch again"})
			case !digits(p.LMSID):
				left = append(left, Left{r.ID, "no Moodle participant id (the number of \"Participant 1234\") to find them by: grade the Moodle download, or give its grading worksheet as --roster"})
			default:
				row := []string{"Participant " + p.LMSID, plain(p.Name), plain(p.Email), grade(r), number(points), r.Graded.UTC().Format(time.RFC3339)}
				if opts.Feedback {
					// Moodle shows the comments as HTML.
					row = append(row, html.EscapeString(r.Feedback))
				}
				out = append(out, row)
			}
		}
	default:
		return nil, nil, fmt.Errorf("no gradebook kind")
	}
	return escape.CSV(out), left, nil
}

// plain is s without control characters (an escape sequence, a NUL, a
// line break) and the marks that reorder text (U+202A-U+202E,
// U+2066-U+2069): a roster's or a download's names are the students'
// own, and the LMS and the instructor's terminal show these cells.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return -1
		}
		return r
	}, s)
}

// number is v with at most two decimals, and none when it is whole.
func number(v float64) string {
	v = math.Round(v*100) / 100
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func digits(s string) bool {
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
