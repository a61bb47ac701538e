package batch

import (
	"asynclab/internal/needs"
	"asynclab/internal/testtree"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"asynclab/catalog"
	"asynclab/grader"
	"asynclab/grader/intake"
)

// missingIntake is intake's List with an Open that takes no file at all:
// every exercise grades as missing, without a build. It records the
// entries it opened.
func missingIntake(opened *[]string) Intake {
	var mu sync.Mutex
	return Intake{
		List: realIntake().List,
		Open: func(path string, c *grader.Course, scratch string) (*Entry, error) {
			mu.Lock()
			*opened = append(*opened, filepath.Base(path))
			mu.Unlock()
			sub := grader.Submission{}
			for _, e := range c.Exercises {
				sub[e.Name] = map[string]string{}
			}
			return &Entry{ID: intake.ID(path), Submission: sub}, nil
		},
	}
}

// submissions makes the entries of a SUBMISSIONS folder: a name ending in
// "/" is a folder, any other an archive (its bytes do not matter: the
// tests do not read it).
func submissions(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		var err error
		if strings.HasSuffix(n, "/") {
			err = os.Mkdir(filepath.Join(dir, strings.TrimSuffix(n, "/")), 0o755)
		} else {
			err = os.WriteFile(filepath.Join(dir, n), []byte("not read"), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readOut(t *testing.T, out, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRunCollisions: entries that are one student (whatever their kinds)
// are refused, with a note on each naming all of them; nobody else is
// dropped, and every output is written.
func TestRunCollisions(t *testing.T) {
	needs.RaceDetector(t)
	tests := []struct {
		name      string
		entries   []string
		colliding []string // entry names, sorted
		graded    []string // ids
	}{
		{"a folder named like an archive, and a folder", []string{"amy/", "honest.zip/", "honest/", "zoe/"},
			[]string{"honest", "honest.zip"}, []string{"amy", "zoe"}},
		{"an archive and a folder", []string{"amy/", "honest.zip", "honest/", "zoe.tgz"},
			[]string{"honest", "honest.zip"}, []string{"amy", "zoe"}},
		{"two archives", []string{"amy/", "honest.tar.gz", "honest.zip"},
			[]string{"honest.tar.gz", "honest.zip"}, []string{"amy"}},
		{"ids equal but for case", []string{"Honest/", "amy/", "honest.zip"},
			[]string{"Honest", "honest.zip"}, []string{"amy"}},
	}
	c := testCourse(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs := submissions(t, tt.entries...)
			out := filepath.Join(t.TempDir(), "grades")
			var opened []string
			sum, err := Run(context.Background(), c, subs, Options{Out: out, Jobs: 2, Intake: missingIntake(&opened)})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			// Refused: each colliding entry, naming all of them.
			var refused []string
			for _, n := range sum.Refused {
				refused = append(refused, n.Path)
				for _, other := range tt.colliding {
					if !strings.Contains(n.Problem, other) {
						t.Errorf("the note on %s does not name %s: %s", n.Path, other, n.Problem)
					}
				}
			}
			if !slices.Equal(refused, tt.colliding) {
				t.Errorf("refused %q, want %q", refused, tt.colliding)
			}
			slices.Sort(opened)
			var openedIDs []string
			for _, o := range opened {
				openedIDs = append(openedIDs, intake.ID(o))
			}
			if !slices.Equal(openedIDs, tt.graded) {
				t.Errorf("opened %q, want only %q", opened, tt.graded)
			}
			if sum.Students != len(tt.graded) || sum.Graded != len(tt.graded) || len(sum.Errors) != 0 {
				t.Errorf("summary %+v, want %d students graded", sum, len(tt.graded))
			}

			// Every output, with the others graded and the colliding
			// entries listed, not graded.
			want := "student,score,max,adder\n"
			for _, id := range tt.graded {
				want += id + ",0,3,0\n"
			}
			if got := readOut(t, out, "grades.csv"); got != want {
				t.Errorf("grades.csv:\n%s\nwant:\n%s", got, want)
			}
			var g Grades
			if err := json.Unmarshal([]byte(readOut(t, out, "grades.json")), &g); err != nil {
				t.Fatal(err)
			}
			if len(g.Students) != len(tt.graded) {
				t.Errorf("grades.json has %d students, want %d", len(g.Students), len(tt.graded))
			}
			var skipped []string
			for _, n := range g.Skipped {
				skipped = append(skipped, n.Path)
			}
			if !slices.Equal(skipped, tt.colliding) {
				t.Errorf("grades.json skips %q, want %q", skipped, tt.colliding)
			}
			page := readOut(t, out, "report.html")
			for _, e := range tt.colliding {
				if !strings.Contains(page, "<tr><td>"+e+"</td>") {
					t.Errorf("report.html does not list %s as not graded", e)
				}
			}
			for _, id := range tt.graded {
				readOut(t, out, filepath.Join("feedback", id+".md"))
			}
			fb, _ := filepath.Glob(filepath.Join(out, "feedback", "*"))
			res, _ := filepath.Glob(filepath.Join(out, "results", "*"))
			if len(fb) != 2*len(tt.graded) || len(res) != len(tt.graded) { // feedback: .md and .html
				t.Errorf("feedback %q, results %q: want one for each of %q only", fb, res, tt.graded)
			}
			sf, err := LoadShardFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(sf.Refused) != len(tt.colliding) || !slices.Equal(sf.IDs, tt.graded) {
				t.Errorf("shard.json: ids %q, refused %v", sf.IDs, sf.Refused)
			}
		})
	}
}

// TestRunHostileIDs: ids that are fine as file names but mean something to
// Markdown, HTML or a spreadsheet are graded, and escaped in each output;
// names that cannot be ids are refused, and their note is escaped too.
func TestRunHostileIDs(t *testing.T) {
	needs.RaceDetector(t)
	c := testCourse(t)
	heading := "# You got 281 of 281"
	html := "<img src=x onerror=alert(1)>"
	link := "[click](evil.example)"
	formulas := []string{"=1+1", "-1+1", "+1", "@SUM(A1)"}
	refusedNames := []string{"honest\n# You got 281 of 281", "rtl\u202eexe", "esc\x1b[2J"}
	var names []string
	for _, n := range append(append([]string{heading, html, link, "amy"}, formulas...), refusedNames...) {
		names = append(names, n+"/")
	}
	subs := submissions(t, names...)
	out := filepath.Join(t.TempDir(), "grades")
	var opened []string
	sum, err := Run(context.Background(), c, subs, Options{Out: out, Intake: missingIntake(&opened)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Graded != 8 || len(sum.Refused) != len(refusedNames) {
		t.Fatalf("graded %d, refused %v; want 8 graded and %d refused", sum.Graded, sum.Refused, len(refusedNames))
	}

	// grades.csv: no cell a spreadsheet takes for a formula.
	rows, err := csv.NewReader(strings.NewReader(readOut(t, out, "grades.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, row := range rows[1:] {
		ids = append(ids, row[0])
		if strings.ContainsAny(row[0][:1], "=+-@\t\r") {
			t.Errorf("grades.csv has the formula %q", row[0])
		}
	}
	for _, f := range formulas {
		if !slices.Contains(ids, "'"+f) {
			t.Errorf("grades.csv lacks the defused id '%s: %q", f, ids)
		}
	}

	// Feedback: one heading of level 1, the title; no link, no HTML.
	for _, tt := range []struct{ id, not string }{
		{heading, "# You"},
		{html, "<img"},
		{link, "[click]("},
	} {
		md := readOut(t, out, filepath.Join("feedback", tt.id+".md"))
		var h1 []string
		for _, l := range strings.Split(md, "\n") {
			if strings.HasPrefix(l, "# ") {
				h1 = append(h1, l)
			}
		}
		if len(h1) != 1 || !strings.HasPrefix(h1[0], "# Feedback for ") {
			t.Errorf("feedback/%s.md: level-1 headings %q, want only the title", tt.id, h1)
		}
		for _, l := range strings.Split(md, "\n") {
			if strings.Contains(bareMarkdown(l), tt.not) {
				t.Errorf("feedback/%s.md has %q, unescaped:\n%s", tt.id, tt.not, md)
			}
		}
	}

	// report.html: the ids as text, never as HTML.
	page := readOut(t, out, "report.html")
	if strings.Contains(page, "<img") || !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("report.html does not escape the id %q", html)
	}
	for _, bad := range []string{"\x1b", "\u202e", "honest\n"} {
		if strings.Contains(page, bad) {
			t.Errorf("report.html has %q, from a refused name", bad)
		}
	}
	for _, shown := range []string{`honest\n# You got 281 of 281`, `rtl\u202eexe`, `esc\x1b[2J`} {
		if !strings.Contains(page, shown) {
			t.Errorf("report.html does not show the refused name %s", shown)
		}
	}
	for _, n := range refusedNames {
		if slices.Contains(opened, n) {
			t.Errorf("the refused %q was opened", n)
		}
	}
}

// TestFeedbackEscapes: whatever a result holds (a tampered or merged one
// included), the student's texts cannot add a heading, a link or HTML to
// their feedback, nor close the code blocks they are in.
func TestFeedbackEscapes(t *testing.T) {
	inject := "x\n# You got 281/281\n<script>alert(1)</script>\n[click](http://evil.example)"
	tests := []struct {
		name string
		edit func(r *Result)
	}{
		{"id", func(r *Result) { r.ID = inject }},
		{"note path", func(r *Result) { r.Notes = []Note{{Path: inject, Problem: "symbolic link, ignored"}} }},
		{"note problem", func(r *Result) { r.Notes = []Note{{Path: "a.go", Problem: inject}} }},
		{"check message", func(r *Result) { r.Report.Exercises[0].Checks[0].Message = "```\n" + inject + "\n```" }},
		{"check message with CRs", func(r *Result) {
			r.Report.Exercises[0].Checks[0].Message = strings.ReplaceAll("````\n"+inject, "\n", "\r")
		}},
		{"build output", func(r *Result) {
			r.Report.Exercises[0].Status, r.Report.Exercises[0].BuildOutput = grader.StatusBuildFailed, "```\n"+inject+"\r\n```"
		}},
		{"rejected", func(r *Result) {
			r.Report.Exercises[0].Status, r.Report.Exercises[0].Message = StatusRejected, "~~~\n"+inject
		}},
		{"location", func(r *Result) { r.Report.Exercises[0].Checks[0].Location = grader.Location{File: "a`\n# b", Line: 3} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeResult("amy", 0)
			tt.edit(r)
			md := string(Feedback(fakeExercises, r, catalog.English))
			if strings.Contains(md, "\r") {
				t.Errorf("a CR, which ends a line in Markdown:\n%q", md)
			}
			fence := ""
			for i, l := range strings.Split(md, "\n") {
				trimmed := strings.TrimLeft(l, " ")
				if fence != "" { // inside a fenced block: only its fence ends it
					if strings.HasPrefix(trimmed, fence) {
						if strings.Trim(trimmed, "`") != "" {
							t.Errorf("line %d %q closes the fence and goes on", i, l)
						}
						fence = ""
					}
					continue
				}
				if strings.HasPrefix(trimmed, "```") {
					fence = strings.Repeat("`", len(trimmed)-len(strings.TrimLeft(trimmed, "`")))
					continue
				}
				if strings.HasPrefix(l, "# ") && i != 0 || strings.Contains(l, "You got") && !strings.Contains(md, "# Feedback for") {
					t.Errorf("line %d %q is an injected heading:\n%s", i, l, md)
				}
				if b := bareMarkdown(l); strings.Contains(b, "<") || strings.Contains(b, "](") || strings.Contains(b, "# You") {
					t.Errorf("line %d %q has raw HTML, a link or a heading (%q outside code and escapes):\n%s", i, l, b, md)
				}
			}
			if fence != "" {
				t.Errorf("a fence %q is never closed:\n%s", fence, md)
			}
		})
	}
}

// TestReportHTMLOnlyTimingMarkers: html/template escapes every string; a
// field of type template.HTML (or another type it trusts) would not be.
// Only the constant timing markers may be one.
func TestReportHTMLOnlyTimingMarkers(t *testing.T) {
	trusted := map[string]bool{"HTML": true, "HTMLAttr": true, "JS": true, "JSStr": true, "CSS": true, "URL": true, "Srcset": true}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		switch typ.Kind() {
		case reflect.Slice, reflect.Array, reflect.Pointer:
			walk(typ.Elem(), path+"[]")
			return
		case reflect.Struct:
			for i := range typ.NumField() {
				f := typ.Field(i)
				walk(f.Type, path+"."+f.Name)
			}
			return
		}
		if typ.PkgPath() == "html/template" && trusted[typ.Name()] && path != ".TimingStart" && path != ".TimingEnd" {
			t.Errorf("reportView%s is template.%s: html/template would not escape it", path, typ.Name())
		}
	}
	walk(reflect.TypeOf(reportView{}), "")
}

// TestMergeRefusesBadIDs: a shard.json is the instructor's, but an id in
// it names files: one that cannot be an id, or two that are one student,
// stop the merge before it writes anything.
func TestMergeRefusesBadIDs(t *testing.T) {
	tests := []struct {
		name, id, error string
	}{
		{"path", "../../etc/x", "cannot be a student id"},
		{"newline", "a\n# b", "cannot be a student id"},
		{"case", "ADA", "are one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := shardDirs(t, []string{"ada", "bo"}, 1)
			sf, _ := LoadShardFile(d[0])
			sf.IDs = append(sf.IDs, tt.id)
			saveShardFile(d[0], sf)
			out := filepath.Join(t.TempDir(), "merged")
			_, err := Merge(out, d, catalog.English, LMS{})
			if err == nil || !strings.Contains(err.Error(), tt.error) {
				t.Fatalf("err = %v, want one with %q", err, tt.error)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused merge made its output folder")
			}
		})
	}
}

// TestMergeKeepsRefused: the submissions a batch refused are still not
// graded once its shards are merged.
func TestMergeKeepsRefused(t *testing.T) {
	d := shardDirs(t, []string{"ada", "bo", "cy"}, 2)
	refused := []Note{{Path: "honest", Problem: "2 submissions for one student (honest, honest.zip)"}, {Path: "honest.zip", Problem: "2 submissions for one student (honest, honest.zip)"}}
	for _, dir := range d {
		sf, _ := LoadShardFile(dir)
		sf.Refused = refused
		saveShardFile(dir, sf)
	}
	out := filepath.Join(t.TempDir(), "merged")
	sum, err := Merge(out, d, catalog.English, LMS{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sum.Refused, refused) {
		t.Errorf("merge summary refused %v, want %v", sum.Refused, refused)
	}
	if !strings.Contains(readOut(t, out, "grades.json"), `"path": "honest.zip"`) || !strings.Contains(readOut(t, out, "report.html"), "<td>honest.zip</td>") {
		t.Error("the merged grades.json or report.html does not list the refused submissions")
	}
}

// bareMarkdown is a line of Markdown less its code spans and its escaped
// characters: what a renderer would interpret.
func bareMarkdown(l string) string {
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] == '\\' && i+1 < len(l) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", l[i+1]) >= 0:
			i++
		case l[i] == '`':
			n := len(l[i:]) - len(strings.TrimLeft(l[i:], "`"))
			d := strings.Repeat("`", n)
			end := strings.Index(l[i+n:], d)
			if end < 0 {
				b.WriteString(l[i:])
				return b.String()
			}
			i += n + end + n - 1
		default:
			b.WriteByte(l[i])
		}
	}
	return b.String()
}

// TestScratchNamesAnyID: a student's id never reaches the paths their
// code is built in, so an id with ";" (which cuts the go command's
// -trimpath list) gets the same locations in its feedback as any other.
func TestScratchNamesAnyID(t *testing.T) {
	needs.RaceDetector(t)
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	c := testCourse(t)
	crash := "package adder\n\nfunc Add(a, b int) int { var m map[int]int; m[a] = b; return 0 }\n"
	ids := []string{"plain", "c;x=>y"}
	subs := t.TempDir()
	for _, id := range ids {
		testtree.Write(t, filepath.Join(subs, id), map[string]string{"exercises/adder/adder.go": crash})
	}
	out := filepath.Join(t.TempDir(), "grades")
	if _, err := Run(context.Background(), c, subs, Options{Out: out, Intake: realIntake()}); err != nil {
		t.Fatal(err)
	}
	var seen []int
	for _, id := range ids {
		md := readOut(t, out, filepath.Join("feedback", id+".md"))
		n := strings.Count(md, "exercises/adder/adder.go:3")
		if n == 0 {
			t.Errorf("feedback/%s.md does not point at the crash's line:\n%s", id, md)
		}
		seen = append(seen, n)
	}
	if seen[0] != seen[1] {
		t.Errorf("the crash's line is named %d times for %q and %d times for %q", seen[0], ids[0], seen[1], ids[1])
	}
}
