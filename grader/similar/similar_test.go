package similar

import (
	"bytes"
	"fmt"
	"go/token"
	"slices"
	"strings"
	"testing"

	"asynclab/catalog"
)

func kinds(t *testing.T, src string) []token.Token {
	t.Helper()
	toks, _, _ := tokenize(nil, []byte(src), 0, 0, 1<<20)
	var out []token.Token
	for _, tk := range toks {
		out = append(out, tk.kind)
	}
	return out
}

func TestTokensIgnoreNamesLiteralsCommentsAndLineBreaks(t *testing.T) {
	orig := "package p\n\nfunc f(a int) int {\n\tb := a + 1\n\treturn b * 2\n}\n"
	tests := []struct{ name, src string }{
		{"renamed", "package q\n\nfunc g(x int) int {\n\ty := x + 1\n\treturn y * 2\n}\n"},
		{"other literals", "package p\n\nfunc f(a int) int {\n\tb := a + 0x10\n\treturn b * 'c'\n}\n"},
		{"comments", "package p\n\n// f adds.\nfunc f(a int) int { // one\n\tb := a + 1 /* two */\n\treturn b * 2\n}\n"},
		{"one line", "package p; func f(a int) int { b := a + 1; return b * 2 }"},
	}
	want := kinds(t, orig)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kinds(t, tt.src); !slices.Equal(got, want) {
				t.Errorf("tokens %v, want %v", got, want)
			}
		})
	}
	if got := kinds(t, "package p\n\nfunc f(a int) int {\n\tb := a - 1\n\treturn b * 2\n}\n"); slices.Equal(got, want) {
		t.Error("an operator changed and the tokens did not")
	}
}

// fnSrc is a function of n statements, each different, with name name.
func fnSrc(name string, n, seed int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func %s(a, b int) int {\n", name)
	ops := []string{"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tif a %s b > %d {\n\t\ta = b %s a\n\t}\n", ops[(i+seed)%len(ops)], i, ops[(i*3+seed)%len(ops)])
	}
	b.WriteString("\treturn a\n}\n")
	return b.String()
}

func TestOrderOfDeclarationsDoesNotMatter(t *testing.T) {
	f, g, h := fnSrc("f", 6, 0), fnSrc("g", 6, 1), fnSrc("h", 6, 2)
	a := "package p\n\n" + f + g + "type T struct{ x, y int }\n" + h
	b := "package p\n\n" + h + "type T struct{ x, y int }\n" + g + f
	da, _ := fingerprint("a", []File{{"a.go", []byte(a)}}, Options{}.withDefaults())
	db, _ := fingerprint("b", []File{{"b.go", []byte(b)}}, Options{}.withDefaults())
	fa, fb := slices.Sorted(slices.Values(da.fps)), slices.Sorted(slices.Values(db.fps))
	if !slices.Equal(fa, fb) {
		t.Errorf("reordering the declarations changed the fingerprints: %d and %d", len(fa), len(fb))
	}
	r := Compare("p", nil, []Submission{{"a", []File{{"x.go", []byte(a)}}}, {"b", []File{{"x.go", []byte(b)}}}}, Options{})
	if len(r.Pairs) != 1 || r.Pairs[0].Score != 1 {
		t.Errorf("pairs %+v, want one at exactly 100%%", r.Pairs)
	}
}

// TestWinnowingGuarantee: a run of K+W-1 tokens that two files share
// gives them a fingerprint in common, wherever it is in each.
func TestWinnowingGuarantee(t *testing.T) {
	o := Options{}.withDefaults()
	shared := fnSrc("s", 2, 7) // some tokens in common, in one declaration
	for pad := 0; pad < 12; pad++ {
		t.Run(fmt.Sprint(pad), func(t *testing.T) {
			before := strings.Repeat("x := y[0]\n", pad)
			a := "package p\nfunc a() {\n" + before + "}\n" + shared
			b := "package p\n" + fnSrc("o", 3, pad) + shared
			da, _ := fingerprint("a", []File{{"a.go", []byte(a)}}, o)
			db, _ := fingerprint("b", []File{{"b.go", []byte(b)}}, o)
			common := false
			for _, h := range da.fps {
				common = common || slices.Contains(db.fps, h)
			}
			if n := len(kinds(t, shared)); n < o.K+o.W-1 {
				t.Fatalf("the shared code is %d tokens, less than the guarantee %d", n, o.K+o.W-1)
			}
			if !common {
				t.Error("no fingerprint in common")
			}
		})
	}
}

func TestIdenticalScoreExactly100AndStubZero(t *testing.T) {
	stub := "package p\n\n// F does it.\nfunc F(a, b int) int {\n\t// TODO: write F.\n\treturn 0\n}\n"
	solved := "package p\n\n" + fnSrc("F", 5, 3) + fnSrc("helper", 4, 1)
	other := "package p\n\n" + fnSrc("F", 5, 6) + fnSrc("other", 3, 4)
	subs := []Submission{
		{"ann", []File{{"p.go", []byte(solved)}}},
		{"bob", []File{{"p.go", []byte(solved)}}},
		{"cat", []File{{"p.go", []byte(stub)}}},
		{"dan", []File{{"p.go", []byte(stub)}}},
		{"eve", []File{{"p.go", []byte(other)}}},
		{"fay", nil}, // nothing submitted
	}
	r := Compare("p", []File{{"p.go", []byte(stub)}}, subs, Options{})
	if r.Students != 5 {
		t.Errorf("%d students compared, want 5", r.Students)
	}
	if len(r.Pairs) == 0 || r.Pairs[0].A != "ann" || r.Pairs[0].B != "bob" || r.Pairs[0].ShareA != 1 || r.Pairs[0].ShareB != 1 || !r.Pairs[0].Flagged {
		t.Fatalf("first pair %+v, want ann and bob at exactly 100%%, flagged", r.Pairs)
	}
	for _, p := range r.Pairs {
		if p.A == "cat" || p.B == "cat" || p.A == "dan" || p.B == "dan" {
			t.Errorf("a copy of the stub is in a pair: %+v", p)
		}
	}
	if got := percent(0.99999); got != "99.9" {
		t.Errorf("percent(0.99999) = %s: only identical is 100", got)
	}
}

// TestUntrustedInput: what is not Go, or is too long, is compared as far as
// it scans, with a note for what is cut; nothing panics.
func TestUntrustedInput(t *testing.T) {
	long := "package p\nfunc f() {\n" + strings.Repeat("a = b + c\n", 10_000) + "}\n"
	tests := []struct {
		name, src string
		note      bool
	}{
		{"binary", "\x00\xff\xfe\x01\x02garbage\x00", false},
		{"brackets", strings.Repeat("{", 50_000), true},
		{"closers", strings.Repeat(")]}", 1000) + "func f() {}", false},
		{"unterminated", "package p\nvar s = \"abc\n`raw", false},
		{"invalid utf-8", "package p\nvar \xc3\x28 = 1\n", false},
		{"too many tokens", long, true},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs := []Submission{{"x", []File{{"p.go", []byte(tt.src)}}}, {"y", []File{{"p.go", []byte(tt.src)}}}}
			r := Compare("p", nil, subs, Options{})
			if got := len(r.Notes) > 0; got != tt.note {
				t.Errorf("notes %v, want a note: %v", r.Notes, tt.note)
			}
			if _, err := HTML(Report{Exercises: []*Result{r}}, catalog.English); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestOutputsEscapeAndSayItIsNoVerdict(t *testing.T) {
	code := "package p\n\n" + fnSrc("F", 6, 1) + "// </pre><script>alert(1)</script> \u202e\n"
	evil := "<script>alert('id')</script>"
	subs := []Submission{
		{"=HYPERLINK(\"http://x\")", []File{{"p.go", []byte(code)}}},
		{evil, []File{{"<b>.go", []byte(code)}}},
	}
	rep := Report{Exercises: []*Result{Compare("p", nil, subs, Options{})}, Notes: []Note{{"<i>x</i>", "not compared: <u>why</u>"}}}
	for _, l := range catalog.Langs {
		page, err := HTML(rep, l)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script>", "</pre><script>", "<b>.go", "<i>x", "<u>why", "\u202e"} {
			if bytes.Contains(page, []byte(bad)) {
				t.Errorf("%s: similarity.html has %q unescaped", l, bad)
			}
		}
		if !bytes.Contains(page, []byte(`<mark class="r0">`)) {
			t.Errorf("%s: no matched region highlighted", l)
		}
		if want := texts.Text(l, "html.verdict", nil); !bytes.Contains(page, []byte(htmlEscaped(want))) {
			t.Errorf("%s: the page does not say that similarity is no verdict", l)
		}
	}
	csv := string(CSV(rep))
	if !strings.Contains(csv, `"'=HYPERLINK(""http://x"")"`) {
		t.Errorf("similarity.csv does not defuse a formula:\n%s", csv)
	}
	if !strings.Contains(csv, ",100.0,100.0,100.0,") {
		t.Errorf("identical files are not 100%%:\n%s", csv)
	}
}

// htmlEscaped is s as html/template writes it in text.
func htmlEscaped(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
}

func TestOutputsAreDeterministic(t *testing.T) {
	ecs := loadCourse(t)
	var first []byte
	for i := 0; i < 3; i++ {
		var rep Report
		for _, ec := range ecs[:3] {
			pc := newPlantedClass(t, ec)
			if i%2 == 1 { // the order submissions come in changes nothing
				slices.Reverse(pc.subs)
			}
			rep.Exercises = append(rep.Exercises, Compare(ec.name, base(ec), pc.subs, Options{}))
		}
		page, err := HTML(rep, catalog.English)
		if err != nil {
			t.Fatal(err)
		}
		out := append(CSV(rep), page...)
		if i == 0 {
			first = out
		} else if !bytes.Equal(out, first) {
			t.Fatal("two runs on the same submissions wrote different outputs")
		}
	}
}

func TestTextsComplete(t *testing.T) {
	if m := Texts().Missing(); len(m) > 0 {
		t.Errorf("texts missing: %v", m)
	}
}

// TestMassCopyingIsSaidNotHidden: code that more than CommonShare of the
// class has is subtracted as idiom, so a solution that a third of the
// class copied shows in no pair: its students are listed as MostlyCommon
// instead, and the page says why.
func TestMassCopyingIsSaidNotHidden(t *testing.T) {
	leaked := `package p

func F(a, b int) int {
	seen := map[int]bool{}
	for i := range a {
		switch {
		case i%3 == 0 && !seen[i]:
			seen[i] = true
			b += i
		case i%5 == 1:
			delete(seen, i-1)
		default:
			b -= len(seen)
		}
	}
	defer func() { seen = nil }()
	return b
}
`
	var subs []Submission
	var copiers []string
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("s%02d", i)
		src := "package p\n\n" + fnSrc("F", 8, i) + fnSrc("h", 5, i*7+1) // each their own
		if i%3 == 0 {
			src, copiers = leaked, append(copiers, id)
		}
		subs = append(subs, Submission{id, []File{{"p.go", []byte(src)}}})
	}
	r := Compare("p", nil, subs, Options{})
	if !slices.Equal(r.MostlyCommon, copiers) {
		t.Errorf("MostlyCommon %v, want the %d who share the leaked code %v", r.MostlyCommon, len(copiers), copiers)
	}
	for _, p := range r.Pairs {
		if slices.Contains(copiers, p.A) && slices.Contains(copiers, p.B) {
			t.Errorf("a pair %s–%s: the code they share is over the common share, subtracted", p.A, p.B)
		}
	}
	page, err := HTML(Report{Exercises: []*Result{r}}, catalog.English)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("a solution that many copied")) || !bytes.Contains(page, []byte("s00, s03")) {
		t.Error("similarity.html does not list the students whose code is mostly the class's")
	}
}
