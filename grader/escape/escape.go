// Package escape makes text that a student controls safe to put in the
// outputs of the grader: the terminal, Markdown, HTML and CSV.
//
// It exists because a submission chooses more of what the grader prints
// than it seems: its name in the submissions folder becomes the student id
// (in every output, and in file names), the names of the entries of its
// archive are quoted in the notes on what was left out, and its code writes
// the failure messages and the compiler output. A hostile student can put
// in them a newline and "# You got 281/281" (a heading in their feedback),
// raw HTML, a terminal escape sequence (ESC [2J clears the instructor's
// screen), a right-to-left override (U+202E, to show a name backwards) or
// a spreadsheet formula (=HYPERLINK(...) in grades.csv). Every output
// passes such text through this package, and only this package, so that
// there is one place to get it right:
//
//   - Line and Text make every character that would not be shown as itself
//     (controls, ANSI escapes, bidirectional overrides, bytes that are not
//     UTF-8) visible as a Go escape: "\n", "\x1b", "\u202e", "\xff". Line
//     is for one line (the terminal, a table cell); Text keeps line feeds
//     and tabs. HTML needs nothing more: report.html is an html/template,
//     which escapes every string it is given once it went through Line or
//     Text.
//   - Markdown, MarkdownCode and MarkdownBlock put text in Markdown as
//     inline text, an inline code span and a fenced code block, so that it
//     cannot start a heading, a link, an image, emphasis or raw HTML, nor
//     close the code it is in.
//   - CSV writes rows per RFC 4180 with every cell defused as OWASP
//     recommends against CSV injection (CSVCell).
package escape

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Line is s on one line, with every character that is not printable
// (strconv.IsPrint: controls such as newline, tab, CR and ESC, format
// characters such as U+202E, spaces other than the ASCII one) and every
// byte that is not UTF-8 written as its Go escape: "a\nb" is `a\nb`,
// "\x1b[2J" is `\x1b[2J`. Printable text, any script, is unchanged.
func Line(s string) string { return visible(s, false) }

// Text is Line for text of several lines: line feeds and tabs are kept, a
// CR LF is a line feed, and a lone CR (which Markdown and terminals take
// for the end of a line) is written `\r`.
func Text(s string) string { return visible(s, true) }

func visible(s string, multiline bool) string {
	if printable(s, multiline) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(s[i])&0xF, 16))
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case multiline && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// CR LF: the LF that follows is the line's end.
		case strconv.IsPrint(r):
			b.WriteString(s[i : i+size])
		default:
			q := strconv.QuoteRune(r) // '\n', '\x1b', '\u202e'
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// printable reports whether visible would return s unchanged.
func printable(s string, multiline bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7F {
			i++
			continue
		}
		if multiline && (c == '\n' || c == '\t') {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !strconv.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}

// markdownSpecial are the ASCII punctuation characters Markdown escapes:
// every one that CommonMark or GitHub's Markdown gives a meaning to
// somewhere inline (emphasis, code, links and images, autolinks such as
// www.x.org and http://, raw HTML, entities, tables, math, a heading's
// closing #s). CommonMark shows any ASCII punctuation character preceded
// by a backslash as itself.
const markdownSpecial = "!#$&()*+-.:<=>@[\\]^_`{|}~"

// Markdown is s as inline Markdown text that shows as s, on one line:
// what Line would make visible is escaped as Line does, and every
// character in markdownSpecial gets a backslash. It cannot start a block
// (a heading, a list, a quote), since it has no line break, nor a link, an
// image, emphasis, code or HTML.
func Markdown(s string) string {
	s = Line(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(markdownSpecial, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// MarkdownCode is s as an inline code span, on one line (Line): its
// delimiters are longer than any run of backticks in s, and padded with a
// space when s starts or ends with a backtick or a space, so that s cannot
// close it. Inside a code span nothing is a link or HTML. "" is "".
func MarkdownCode(s string) string {
	s = Line(s)
	if s == "" {
		return ""
	}
	d := strings.Repeat("`", longestRun(s, '`')+1)
	if s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' || s[len(s)-1] == ' ' {
		return d + " " + s + " " + d
	}
	return d + s + d
}

// MarkdownBlock is s (Text) as a fenced code block, each line prefixed
// with indent (two spaces to sit in a list item), ending with a newline.
// Its fence is longer than any run of backticks in s, so that no line of s
// closes it, and s has no lone CR to end a line where the fence does not
// see one.
func MarkdownBlock(s, indent string) string {
	s = strings.TrimRight(Text(s), "\n")
	f := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	var b strings.Builder
	b.WriteString(indent + f + "\n")
	for _, l := range strings.Split(s, "\n") {
		b.WriteString(indent + l + "\n")
	}
	b.WriteString(indent + f + "\n")
	return b.String()
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	n, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			n = max(n, run)
		} else {
			run = 0
		}
	}
	return n
}

// CSVCell defuses a cell against CSV injection, as OWASP recommends: a
// cell starting with =, +, -, @, a tab or a CR, which a spreadsheet would
// take for a formula, gets a single quote in front ("=1+1" is "'=1+1"),
// which spreadsheets show as text. Other cells are unchanged.
func CSVCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// CSV writes rows as CSV (RFC 4180, with "\n" line ends as encoding/csv
// writes them): every cell is defused (CSVCell), and quoted, its quotes
// doubled, when it was defused or holds a quote, a comma, a line break or
// space at either end.
func CSV(rows [][]string) []byte {
	var b bytes.Buffer
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			safe := CSVCell(cell)
			if safe != cell || strings.ContainsAny(cell, "\",\r\n") || cell != strings.TrimSpace(cell) {
				b.WriteByte('"')
				b.WriteString(strings.ReplaceAll(safe, `"`, `""`))
				b.WriteByte('"')
			} else {
				b.WriteString(cell)
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
