package picture

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"asynclab/catalog"
	"asynclab/internal/needs"
)

// probe is added to the page for the test only (the page has no script):
// it reports what the browser laid out, so that the test sees the
// rendered page, not the HTML it was sent.
const probe = `<pre id="probe"></pre><script>
const out = [];
for (const a of document.querySelectorAll("article.check")) {
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const drawn = el => { const r = el.getBoundingClientRect(); return r.height > 20; }; // a vertical line
  const svgs = [...a.querySelectorAll("svg.timeline")];
  out.push({
    check: a.dataset.check,
    figures: svgs.filter(visible).length,
    lanes: [...a.querySelectorAll("svg.timeline g.lane")].filter(visible).length,
    marks: [...a.querySelectorAll("svg.timeline g.event circle, svg.timeline g.event polygon")].filter(visible).length,
    bars: [...a.querySelectorAll("svg.timeline g.span rect")].filter(visible).length,
    divergences: [...a.querySelectorAll("svg.timeline g.divergence line")].filter(drawn).length,
    caption: [...a.querySelectorAll("figcaption .words")].map(e => e.textContent).join("|"),
    rows: a.querySelectorAll("table.text tbody tr").length,
    inside: svgs.every(s => { const b = s.getBoundingClientRect();
      return [...s.querySelectorAll("g.event circle, g.event polygon")].every(m => { const r = m.getBoundingClientRect();
        return r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1; }); }),
  });
}
document.getElementById("probe").textContent = JSON.stringify(out);
</script>`

type probed struct {
	Check       string
	Figures     int
	Lanes       int
	Marks       int
	Bars        int
	Divergences int
	Caption     string
	Rows        int
	Inside      bool
}

// TestInBrowser renders the example page (mutants of the queue, gather and
// scheduler exercises) in headless Chromium and checks, in the laid-out
// page, each check's lanes, marks, bars and divergence lines.
func TestInBrowser(t *testing.T) {
	chromium := needs.Chromium(t)
	for _, l := range []catalog.Lang{catalog.English, catalog.Russian} {
		t.Run(string(l), func(t *testing.T) {
			page := examplePage(t, l)
			var buf bytes.Buffer
			if err := Render(&buf, page); err != nil {
				t.Fatal(err)
			}
			doc := strings.Replace(buf.String(), "</body>", probe+"</body>", 1)
			dir := t.TempDir()
			file := filepath.Join(dir, "page.html")
			if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
				"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1200,900", "--virtual-time-budget=5000", "--dump-dom", "file://"+file)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			dom, err := cmd.Output()
			if err != nil {
				t.Fatalf("chromium: %v\n%s", err, stderr.String())
			}
			m := regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`).FindSubmatch(dom)
			if m == nil {
				t.Fatalf("the probe's result is not in the page:\n%.2000s", dom)
			}
			var got []probed
			if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
				t.Fatalf("the probe's result: %v: %s", err, m[1])
			}
			byCheck := map[string]probed{}
			for _, p := range got {
				byCheck[p.Check] = p
			}
			for _, e := range page.Exercises {
				for _, c := range e.Checks {
					p, ok := byCheck[c.ID]
					if !ok {
						t.Errorf("%s: not on the page", c.ID)
						continue
					}
					// What the trace holds, the browser must show.
					var want probed
					want.Check, want.Inside = c.ID, true
					if c.Trace != nil {
						for _, tl := range c.Trace.Timelines {
							want.Figures++
							lanes := map[string]bool{}
							for _, w := range tl.Want {
								lanes[w.Lane] = true
							}
							want.Lanes += len(tl.Lanes) + len(lanes)
							want.Marks += len(tl.Events) + len(tl.Want)
							want.Bars += len(tl.Spans)
							want.Rows += len(tl.Events) + len(tl.Want) + len(tl.Spans)
							if d := tl.Divergence; d != nil {
								want.Divergences += len(d.At)
								if !strings.Contains(p.Caption, d.Words) {
									t.Errorf("%s: caption %q lacks the divergence's words %q", c.ID, p.Caption, d.Words)
								}
							}
						}
					}
					p.Caption = ""
					if p != want {
						t.Errorf("%s: the browser shows %+v, want %+v", c.ID, p, want)
					}
				}
			}
			// The mutants' pictures as the issue lists them: a queue that
			// ignores its capacity diverges at 3 instants, a Gather that does
			// not cancel at 1s, with its three tasks' work and the caller's
			// call of Gather as bars.
			if p := byCheck["TestPutWaitsWhileFull"]; p.Divergences != 3 {
				t.Errorf("queue: %d divergence lines, want 3", p.Divergences)
			}
			if p := byCheck["TestCancelsOthersOnError"]; p.Divergences != 1 || p.Bars != 4 {
				t.Errorf("gather: %d divergence lines and %d bars, want 1 and 4", p.Divergences, p.Bars)
			}
		})
	}
}
