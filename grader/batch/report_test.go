package batch

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/grader"
)

// reportClass is a class whose scores fall in 4 bins of the histogram
// (0-9%, 30-39%, 60-69%, 90-100%), with a student not graded, one rejected
// and one whose exercise does not build.
func reportClass() []*Result {
	var rs []*Result
	scores := []int{0, 0, 1, 1, 1, 2, 3, 3, 3, 3, 3}
	for i, s := range scores {
		rs = append(rs, fakeResult(fmt.Sprintf("s%02d", i), s))
	}
	rs = append(rs, &Result{ID: "t01", Status: Error, Error: "grading adder: no space left on device"})
	rej := fakeResult("t02", 0)
	rej.Report.Exercises[0].Status, rej.Report.Exercises[0].Message = StatusRejected, "exercises/adder/adder.go:3: import \"os\" is not allowed"
	bf := fakeResult("t03", 0)
	bf.Report.Exercises[0].Status, bf.Report.Exercises[0].BuildOutput = grader.StatusBuildFailed, "exercises/adder/adder.go:3:1: syntax error"
	return append(rs, rej, bf)
}

func TestReportSelfContained(t *testing.T) {
	page, err := reportHTML(fakeExercises, reportClass(), []Note{{Path: "bob.zip", Problem: "two submissions for bob (bob, bob.zip): neither is graded"}}, nil, catalog.English)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, bad := range []string{"<script", "src=", "@import", "url("} {
		if strings.Contains(s, bad) {
			t.Errorf("report.html has %q: it must be self-contained", bad)
		}
	}
	// Links go only to each student's feedback, beside the report.
	hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(s, -1)
	for _, h := range hrefs {
		if !strings.HasPrefix(h[1], "feedback/") || strings.Contains(h[1], "..") {
			t.Errorf("report.html links to %q: only feedback/<id>.html and .md may be linked", h[1])
		}
	}
	for _, r := range reportClass() {
		for _, ext := range []string{".html", ".md"} {
			if !strings.Contains(s, `href="feedback/`+r.ID+ext+`"`) {
				t.Errorf("report.html does not link to %s's feedback%s", r.ID, ext)
			}
		}
	}
	for _, u := range regexp.MustCompile(`https?://[^"' ]+`).FindAllString(s, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("report.html refers to %s", u)
		}
	}
	for _, w := range []string{"t01", "no space left on device", "t02", "adder: rejected", `import &#34;os&#34; is not allowed`, "t03", "adder: does not build", "bob.zip", "neither is graded", TimingStart, TimingEnd} {
		if !strings.Contains(s, w) {
			t.Errorf("report.html lacks %q", w)
		}
	}
}

// TestReportRenders opens report.html in headless Chromium and looks at the
// screenshot: the histogram has one bar per non-empty bin, in its colour,
// and the average per exercise has its bar.
func TestReportRenders(t *testing.T) {
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed, and CI=true: .ci/run installs it (apt-get install -y chromium)")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium); CI=true makes this a failure")
	}
	dir := t.TempDir()
	if err := Write(dir, fakeExercises, reportClass(), nil, catalog.English); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a safety net, not a measure
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1200,1400",
		"file://"+filepath.Join(dir, "report.html"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}

	hist := colorColumns(img, 59, 111, 212) // histColor
	if runs := columnRuns(hist); runs != 4 {
		t.Errorf("the histogram shows %d bars, want 4 (bins 0-9%%, 30-39%%, 60-69%%, 90-100%%)", runs)
	}
	ex := colorColumns(img, 42, 157, 143) // exerciseColor
	if n := countTrue(ex); n < 50 {
		t.Errorf("the average per exercise bar is %d pixels wide, want about 90", n)
	}
}

// colorColumns says, for each x, whether the column has a pixel of the colour.
func colorColumns(img image.Image, r, g, b int) []bool {
	bounds := img.Bounds()
	cols := make([]bool, bounds.Dx())
	near := func(v uint32, want int) bool { d := int(v>>8) - want; return d >= -3 && d <= 3 }
	for x := bounds.Min.X; x < bounds.Max.X; x++ {
		for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				cols[x-bounds.Min.X] = true
				break
			}
		}
	}
	return cols
}

func columnRuns(cols []bool) int {
	runs := 0
	for i, c := range cols {
		if c && (i == 0 || !cols[i-1]) {
			runs++
		}
	}
	return runs
}

func countTrue(cols []bool) int {
	n := 0
	for _, c := range cols {
		if c {
			n++
		}
	}
	return n
}
