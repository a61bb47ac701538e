package format

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"asynclab/grader"
	"asynclab/grader/render"
)

// The JUnit XML document, as gotestsum and most CI systems (GitLab,
// Jenkins, Azure Pipelines, GitHub test reporters) read it.
type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr,omitempty"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitTestcase `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"` // a check that did not run (grader.NotRun)
}

// junitSkipped is a <skipped>: why, and the details.
type junitSkipped struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",cdata"`
}

// junitProblem is a <failure> or an <error>.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"` // readable in the file, newlines and all
}

// JUnit writes r as JUnit XML: one <testsuite> per exercise (with its
// score and max as properties) and one <testcase> per check, named by the
// check's name and test id, with the exercise as classname. A failed check
// has a <failure> whose type is the reason it failed ("failed", "timed
// out", "data race"...) and whose body has the message, location and hint.
// The checks of an exercise that was not graded (missing file, build
// failure) each have an <error> with the build output instead. A check that
// did not run (it needs the race detector, and the checks were built
// without it) is <skipped>, with why. An exercise's notices are properties
// "notice" of its suite and open the body of each of its failures,
// errors and skipped checks; the report's notice that its verdict
// is incomplete is then a comment before and after <testsuites>, and a
// property "incomplete" of every suite.
//
// Times: the whole run's on <testsuites>; per suite and per case 0, since
// checks are not timed one by one.
func JUnit(w io.Writer, r *grader.Report, opts Options) error {
	doc := junitTestsuites{Name: "asynclab", Time: seconds(opts.Elapsed)}
	for _, e := range r.Exercises {
		s := junitTestsuite{
			Name: e.Name,
			Time: seconds(0),
			Properties: []junitProperty{
				{Name: "title", Value: e.Title},
				{Name: "status", Value: string(e.Status)},
				{Name: "score", Value: strconv.Itoa(e.Score)},
				{Name: "max", Value: strconv.Itoa(e.Max)},
			},
		}
		for _, n := range e.Notices {
			s.Properties = append(s.Properties, junitProperty{Name: "notice", Value: xmlSafe(n.Text)})
		}
		if !opts.Timestamp.IsZero() {
			s.Timestamp = opts.Timestamp.UTC().Format("2006-01-02T15:04:05")
		}
		for _, c := range e.Checks {
			tc := junitTestcase{Classname: e.Name, Name: checkName(c), Time: seconds(0)}
			switch {
			case !graded(e):
				tc.Error = &junitProblem{Message: notGraded(e, opts.Lang), Type: string(e.Status), Body: xmlSafe(withNotices(e, notGradedDetail(e, opts.Lang)))}
				s.Errors++
			case c.Status == grader.NotRun:
				tc.Skipped = &junitSkipped{Message: render.ReasonText(opts.Lang, c.Reason),
					Body: xmlSafe(withNotices(e, fmt.Sprintf("%s  %d/%d\n%s", checkName(c), c.Points, c.Max, details(c, opts.Lang))))}
				s.Skipped++
			case c.Status != grader.Pass:
				msg := firstLine(c.Message)
				if msg == "" {
					msg = string(c.Reason)
				}
				typ := c.Reason
				if typ == "" {
					typ = grader.ReasonFailed
				}
				tc.Failure = &junitProblem{
					Message: msg,
					Type:    string(typ),
					Body:    xmlSafe(withNotices(e, fmt.Sprintf("%s  %d/%d\n%s", checkName(c), c.Points, c.Max, details(c, opts.Lang)))),
				}
				s.Failures++
			}
			s.Tests++
			s.Cases = append(s.Cases, tc)
		}
		if r.Incomplete != nil {
			s.Properties = append(s.Properties, junitProperty{Name: "incomplete", Value: r.Incomplete.Notice})
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header+xmlNotice(r)); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n"+xmlNotice(r))
	return err
}

// xmlNotice is an XML comment line with the report's notice that its
// verdict is incomplete, or "".
func xmlNotice(r *grader.Report) string {
	if r.Incomplete == nil {
		return ""
	}
	// A comment may not hold "--".
	text := strings.ReplaceAll(xmlSafe(r.Incomplete.Notice), "--", "- -")
	return "<!-- " + text + " -->\n"
}

// xmlSafe replaces the characters XML 1.0 cannot hold (control characters
// such as a terminal's escape) with U+FFFD, as the encoder does in
// attributes and text but not in CDATA. (strings.Map already turns invalid
// UTF-8 into U+FFFD.)
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t', r == '\n', r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

// seconds is d in seconds with millisecond precision, as JUnit writes time.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
