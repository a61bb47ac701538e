package starter

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The module has no YAML library, and the workflows need none to be
// checked: parseYAML reads the part of YAML they are written in (block
// mappings and sequences indented with spaces, flow sequences, plain and
// quoted scalars, comments) and refuses everything else, so that what it
// accepts is YAML meaning what it returns: a string for a scalar, []any,
// map[string]any, nil for an empty value.
func parseYAML(src string) (any, error) {
	var lines []yamlLine
	for i, raw := range strings.Split(src, "\n") {
		body := strings.TrimLeft(raw, " ")
		if strings.HasPrefix(body, "\t") {
			return nil, fmt.Errorf("line %d: a tab in the indentation", i+1)
		}
		if strings.ContainsAny(body, "\r\t") {
			return nil, fmt.Errorf("line %d: a tab or a carriage return", i+1)
		}
		text := strings.TrimRight(stripComment(body), " ")
		if text == "" {
			continue
		}
		lines = append(lines, yamlLine{n: i + 1, indent: len(raw) - len(body), text: text})
	}
	if len(lines) == 0 {
		return nil, nil
	}
	if lines[0].indent != 0 {
		return nil, fmt.Errorf("line %d: the document is indented", lines[0].n)
	}
	p := &yamlParser{lines: lines}
	v, err := p.block(0)
	if err == nil && p.i < len(p.lines) {
		err = fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].n)
	}
	return v, err
}

type yamlLine struct {
	n, indent int
	text      string // without the indentation and the comment
}

type yamlParser struct {
	lines []yamlLine
	i     int
}

// stripComment cuts a comment (# at the start or after a space, outside
// quotes) off a line.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'' && c == '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				i++
			} else {
				quote = 0
			}
		case quote == '"' && c == '\\':
			i++
		case quote == '"' && c == '"':
			quote = 0
		case quote != 0:
		case (c == '\'' || c == '"') && (i == 0 || strings.IndexByte(" [{,", s[i-1]) >= 0):
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}

func isItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

// block reads the mapping or sequence whose lines are indented by indent.
func (p *yamlParser) block(indent int) (any, error) {
	if isItem(p.lines[p.i].text) {
		return p.sequence(indent)
	}
	return p.mapping(indent)
}

func (p *yamlParser) sequence(indent int) ([]any, error) {
	out := []any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && isItem(p.lines[p.i].text) {
		l := p.lines[p.i]
		rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
		var v any
		var err error
		switch _, _, isKey := splitKey(rest); {
		case rest == "":
			p.i++
			if p.i >= len(p.lines) || p.lines[p.i].indent <= indent {
				return nil, fmt.Errorf("line %d: an empty item", l.n)
			}
			v, err = p.block(p.lines[p.i].indent)
		case isKey || isItem(rest):
			// A mapping or a sequence that starts on the item's line, at
			// the column after "- ".
			col := indent + len(l.text) - len(rest)
			p.lines[p.i] = yamlLine{n: l.n, indent: col, text: rest}
			v, err = p.block(col)
		default:
			p.i++
			v, err = scalarValue(rest, l.n)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.i < len(p.lines) && p.lines[p.i].indent > indent {
			return nil, fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].n)
		}
	}
	return out, nil
}

func (p *yamlParser) mapping(indent int) (map[string]any, error) {
	m := map[string]any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent {
		l := p.lines[p.i]
		key, rest, ok := splitKey(l.text)
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not key: value", l.n, l.text)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: %s again", l.n, key)
		}
		p.i++
		var v any
		var err error
		switch {
		case rest != "":
			v, err = scalarValue(rest, l.n)
		case p.i < len(p.lines) && p.lines[p.i].indent > indent:
			v, err = p.block(p.lines[p.i].indent)
		}
		if err != nil {
			return nil, err
		}
		m[key] = v
		if p.i < len(p.lines) && p.lines[p.i].indent > indent {
			return nil, fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].n)
		}
	}
	return m, nil
}

// splitKey splits "key: value" or "key:"; the key is plain or quoted.
func splitKey(text string) (key, rest string, ok bool) {
	var after string
	if text != "" && (text[0] == '"' || text[0] == '\'') {
		end := quotedEnd(text)
		if end < 0 {
			return "", "", false
		}
		k, err := quoted(text[:end+1])
		if err != nil {
			return "", "", false
		}
		key, after = k, text[end+1:]
	} else {
		i := strings.Index(text+" ", ": ")
		if i <= 0 || !plain(text[:i], false) {
			return "", "", false
		}
		key, after = text[:i], text[i:]
	}
	if after != ":" && !strings.HasPrefix(after, ": ") {
		return "", "", false
	}
	return key, strings.TrimSpace(after[1:]), true
}

// quotedEnd is the index of the quote that ends the quoted scalar at the
// start of s, or -1.
func quotedEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch {
		case s[0] == '"' && s[i] == '\\':
			i++
		case s[i] == s[0] && s[0] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == s[0]:
			return i
		}
	}
	return -1
}

// scalarValue reads the value after "key: " or "- ": a flow sequence of
// scalars, or a scalar.
func scalarValue(s string, n int) (any, error) {
	if strings.HasPrefix(s, "[") {
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("line %d: %q: an unclosed flow sequence", n, s)
		}
		items := []any{}
		inner := strings.TrimSpace(s[1 : len(s)-1])
		if inner == "" {
			return items, nil
		}
		for _, it := range strings.Split(inner, ",") {
			v, err := scalar(strings.TrimSpace(it), true)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			items = append(items, v)
		}
		return items, nil
	}
	v, err := scalar(s, false)
	if err != nil {
		return nil, fmt.Errorf("line %d: %w", n, err)
	}
	return v, nil
}

func scalar(s string, flow bool) (string, error) {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		return quoted(s)
	}
	if !plain(s, flow) {
		return "", fmt.Errorf("%q is not a scalar that this reader takes", s)
	}
	return s, nil
}

// plain reports whether s is a plain scalar: no indicator at its start, no
// ": " or " #" inside, no ":" at its end, and in a flow collection none of
// its punctuation.
func plain(s string, flow bool) bool {
	if s == "" || strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", s[0]) >= 0 ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	return !flow || !strings.ContainsAny(s, ",[]{}")
}

// quoted is the value of the whole of s, a single- or double-quoted scalar.
func quoted(s string) (string, error) {
	if len(s) < 2 || quotedEnd(s) != len(s)-1 {
		return "", fmt.Errorf("%s: not one quoted scalar", s)
	}
	inner := s[1 : len(s)-1]
	if s[0] == '\'' {
		return strings.ReplaceAll(inner, "''", "'"), nil
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		if inner[i] != '\\' {
			b.WriteByte(inner[i])
			continue
		}
		i++
		switch inner[i] {
		case '\\', '"', '/':
			b.WriteByte(inner[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		default:
			return "", fmt.Errorf("%s: an escape this reader does not take", s)
		}
	}
	return b.String(), nil
}

// The reader takes the YAML of the tests below as YAML does, and refuses
// what YAML refuses or what it does not read, so that a workflow it
// accepts is valid.
func TestParseYAML(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want any
		err  string // in the error, when it must fail
	}{
		{name: "nested", src: "a: 1\nb:\n  - x\n  - y: 2\n    z: [p, 'q r']\n  -\n    - deep\n",
			want: map[string]any{"a": "1", "b": []any{"x", map[string]any{"y": "2", "z": []any{"p", "q r"}}, []any{"deep"}}}},
		{name: "comments and quotes", src: "# head\na: x # note\nb: \"x # kept\"\nc: 'it''s'\n\"d e\": \"\\\"q\\\"\"\nf:\n",
			want: map[string]any{"a": "x", "b": "x # kept", "c": "it's", "d e": `"q"`, "f": nil}},
		{name: "expressions", src: "runs-on: ${{ matrix.os }}\n", want: map[string]any{"runs-on": "${{ matrix.os }}"}},
		{name: "a list", src: "- a\n- b: c\n", want: []any{"a", map[string]any{"b": "c"}}},
		{name: "tab", src: "a:\n\t- x\n", err: "tab"},
		{name: "duplicate key", src: "a: 1\na: 2\n", err: "a again"},
		{name: "unclosed flow", src: "a: [x, y\n", err: "unclosed"},
		{name: "outdented key", src: "a:\n  b: 1\n c: 2\n", err: "line 3: unexpected indentation"},
		{name: "continued scalar", src: "a: b\n  c\n", err: "line 2: unexpected indentation"},
		{name: "two colons", src: "a: b: c\n", err: "not a scalar"},
		{name: "block scalar", src: "a: |\n  x\n", err: "not a scalar"},
		{name: "anchor", src: "a: &x 1\n", err: "not a scalar"},
		{name: "unclosed quote", src: "a: 'x\n", err: "not one quoted scalar"},
		{name: "not a mapping", src: "a\n", err: "not key: value"},
		{name: "indented document", src: "  a: 1\n", err: "indented"},
		{name: "comma in a flow item", src: "a: [x{, y]\n", err: "not a scalar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseYAML(tt.src)
			switch {
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("parseYAML(%q) = %#v, %v; want an error with %q", tt.src, got, err, tt.err)
			case tt.err == "" && (err != nil || !reflect.DeepEqual(got, tt.want)):
				t.Errorf("parseYAML(%q) = %#v, %v; want %#v", tt.src, got, err, tt.want)
			}
		})
	}
}

// lookup follows keys through nested mappings.
func lookup(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no mapping to find %q in: %#v", k, v)
		}
		v = m[k]
	}
	return v
}

// The exported workflows are valid YAML; the platforms variant runs
// grade.yml's steps on ubuntu, macOS and Windows runners, each to the end
// (fail-fast off), and only when started by hand.
func TestWorkflows(t *testing.T) {
	tests := []struct {
		name, src string
		on, os    any
		runsOn    string
		failFast  any
	}{
		{name: "grade.yml", src: Workflow, on: []any{"push"}, runsOn: "ubuntu-latest"},
		{name: "grade-platforms.yml", src: PlatformsWorkflow, on: []any{"workflow_dispatch"}, runsOn: "${{ matrix.os }}",
			os: []any{"ubuntu-latest", "macos-latest", "windows-latest"}, failFast: "false"},
	}
	steps := func(t *testing.T, doc any) any {
		t.Helper()
		return lookup(t, doc, "jobs", "grade", "steps")
	}
	base, err := parseYAML(Workflow)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parseYAML(tt.src)
			if err != nil {
				t.Fatalf("not valid YAML: %v\n%s", err, tt.src)
			}
			if got := lookup(t, doc, "on"); !reflect.DeepEqual(got, tt.on) {
				t.Errorf("on: %#v, want %#v", got, tt.on)
			}
			if got := lookup(t, doc, "jobs", "grade", "runs-on"); got != tt.runsOn {
				t.Errorf("runs-on: %#v, want %q", got, tt.runsOn)
			}
			if tt.os != nil {
				if got := lookup(t, doc, "jobs", "grade", "strategy", "matrix", "os"); !reflect.DeepEqual(got, tt.os) {
					t.Errorf("matrix os: %#v, want %#v", got, tt.os)
				}
				if got := lookup(t, doc, "jobs", "grade", "strategy", "fail-fast"); got != tt.failFast {
					t.Errorf("fail-fast: %#v, want %#v", got, tt.failFast)
				}
			}
			got := steps(t, doc)
			if !reflect.DeepEqual(got, steps(t, base)) {
				t.Errorf("steps %#v, want grade.yml's %#v", got, steps(t, base))
			}
			if s, _ := got.([]any); len(s) == 0 || !reflect.DeepEqual(s[len(s)-1], map[string]any{"run": "go run ./cmd/grader check"}) {
				t.Errorf("steps %#v do not end with go run ./cmd/grader check", got)
			}
		})
	}
}
