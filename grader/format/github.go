package format

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/render"
)

// GitHub writes r as GitHub Actions workflow commands: an ::error
// annotation for each failed check, on its line of the student file when
// the check knows it (so it shows in the pull request's diff), one for each
// exercise that was not graded (with the build output), then a plain summary
// line. When opts.StepSummary is set it also appends a Markdown summary, a
// table of checks per exercise, to that file (GitHub shows it on the run's
// page).
//
// Each notice of an exercise (a given file changed, a file not graded) is
// a ::warning on its file, before the errors, and a warning under the
// exercise in the summary. A report graded without the race detector
// opens and closes with a ::warning that says so; each check that did not
// run has a ::notice that says why, counted apart in the summary line.
//
// A hidden check's annotation has its name and points only.
func GitHub(w io.Writer, r *grader.Report, opts Options) error {
	p := &printer{w: w}
	// An incomplete verdict is said first and last, as a warning: the
	// first line a reader of the log sees, and the last.
	incomplete := func() {
		if r.Incomplete != nil {
			p.printf("%s\n", workflowCommand("warning", []string{"title", render.Say(opts.Lang, "format.incomplete", nil)}, r.Incomplete.Notice))
		}
	}
	incomplete()
	// Notices come before the errors they explain, each on its file.
	for _, e := range r.Exercises {
		for _, n := range e.Notices {
			p.printf("%s\n", workflowCommand("warning", []string{"file", n.File, "title", noticeTitle(e, n, opts.Lang)}, n.Text))
		}
	}
	failed, total, notRun := 0, 0, 0
	for _, e := range r.Exercises {
		total += len(e.Checks)
		if !graded(e) {
			failed += len(e.Checks)
			p.notGraded(e, opts.Lang)
			continue
		}
		for _, c := range e.Checks {
			if c.Status == grader.Pass {
				continue
			}
			if c.Status == grader.NotRun {
				notRun++
				msg := fmt.Sprintf("%s  %d/%d\n%s", checkName(c), c.Points, c.Max, notRunDetails(c, opts.Lang))
				p.printf("%s\n", workflowCommand("notice", []string{"title", checkTitle(e, c)}, msg))
				continue
			}
			failed++
			var props []string
			msg := fmt.Sprintf("%s  %d/%d", checkName(c), c.Points, c.Max)
			if c.Hidden {
				msg += "\n" + render.Say(opts.Lang, "format.hidden_details", nil)
			} else {
				if c.Location.File != "" {
					props = append(props, "file", c.Location.File)
					if c.Location.Line > 0 {
						props = append(props, "line", fmt.Sprint(c.Location.Line))
					}
				}
				if d := details(c, opts.Lang); d != "" {
					msg += "\n" + d
				}
			}
			props = append(props, "title", checkTitle(e, c))
			p.printf("%s\n", workflowCommand("error", props, msg))
		}
	}
	p.printf("%s", render.Say(opts.Lang, "format.github_total", catalog.Args{"Score": r.Score, "Max": r.Max, "Failed": failed, "Total": total}))
	if notRun > 0 {
		p.printf("%s", render.Say(opts.Lang, "format.github_not_run", catalog.Args{"Count": notRun}))
	}
	p.printf("\n")
	incomplete()
	if p.err != nil || opts.StepSummary == "" {
		return p.err
	}
	return appendFile(opts.StepSummary, stepSummary(r, opts.Lang))
}

// compileError is a line of go's build output that names a place in a
// file: "exercises/gather/gather.go:12:5: undefined: x", or on Windows
// "exercises\gather\gather.go:12:5: undefined: x" (the annotation's file
// takes slashes).
var compileError = regexp.MustCompile(`(?m)^(?:\.[/\\])?(exercises[/\\][^\s:]+\.go):(\d+)(?::\d+)?: (.+)$`)

// notGraded annotates an exercise that was not graded: each compiler error
// on its line, or else the exercise as a whole.
func (p *printer) notGraded(e grader.ExerciseReport, l catalog.Lang) {
	title := e.Name + ": " + notGraded(e, l)
	if e.Status == grader.StatusBuildFailed {
		if ms := compileError.FindAllStringSubmatch(e.BuildOutput, -1); len(ms) > 0 {
			for _, m := range ms {
				p.printf("%s\n", workflowCommand("error", []string{"file", strings.ReplaceAll(m[1], `\`, "/"), "line", m[2], "title", title}, m[3]))
			}
			return
		}
	}
	p.printf("%s\n", workflowCommand("error", []string{"title", title}, notGradedDetail(e, l)))
}

// workflowCommand is "::name k=v,k=v::message", escaped as GitHub's
// toolkit (@actions/core) does: in the message % CR LF, in property values
// also : and ,.
func workflowCommand(name string, props []string, message string) string {
	var b strings.Builder
	b.WriteString("::" + name)
	for i := 0; i+1 < len(props); i += 2 {
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(",")
		}
		b.WriteString(props[i] + "=" + escapeProperty(props[i+1]))
	}
	b.WriteString("::" + escapeData(message))
	return b.String()
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

// stepSummary is the Markdown job summary: the total, then per exercise a
// table of its checks.
func stepSummary(r *grader.Report, l catalog.Lang) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", render.Say(l, "format.summary_points", catalog.Args{"Score": r.Score, "Max": r.Max}))
	incomplete := func() {
		if r.Incomplete != nil {
			fmt.Fprintf(&b, "> [!WARNING]\n> %s\n\n", mdCell(r.Incomplete.Notice))
		}
	}
	incomplete()
	for _, e := range r.Exercises {
		title := e.Name
		if e.Title != "" {
			title += " — " + e.Title
		}
		fmt.Fprintf(&b, "### %s: %d/%d\n\n", mdCell(title), e.Score, e.Max)
		for _, n := range e.Notices {
			fmt.Fprintf(&b, "> [!WARNING]\n> %s\n\n", mdCell(n.Text))
		}
		if !graded(e) {
			fmt.Fprintf(&b, "%s\n\n", mdCell(notGraded(e, l)))
			if out := strings.TrimRight(e.BuildOutput, "\n"); out != "" {
				fence := mdFence(out)
				fmt.Fprintf(&b, "%s\n%s\n%s\n\n", fence, out, fence)
			}
		}
		b.WriteString(render.Say(l, "format.table", nil) + "\n|---|---|---|\n")
		for _, c := range e.Checks {
			status := "✅ " + render.Say(l, "format.pass", nil)
			switch c.Status {
			case grader.Pass:
			case grader.NotRun:
				status = "⚪ " + render.Say(l, "format.not_run", nil) + " (" + render.ReasonText(l, c.Reason) + ")"
			default:
				status = "❌ " + render.Say(l, "format.fail", nil)
				if graded(e) && c.Reason != "" && c.Reason != grader.ReasonFailed {
					status += " (" + render.ReasonText(l, c.Reason) + ")"
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %d/%d |\n", mdCell(checkName(c)), status, c.Points, c.Max)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "**%s**\n", render.Say(l, "format.total", catalog.Args{"Score": r.Score, "Max": r.Max}))
	if r.Incomplete != nil {
		b.WriteString("\n")
		incomplete()
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// mdCell makes s safe in one Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// mdFence is a code fence longer than any run of backticks in s.
func mdFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// appendFile appends s to the file at path, creating it if need be.
func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// printer writes with fmt, keeping the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
