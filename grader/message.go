package grader

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// maxMessageLines bounds a check's message; goroutine dumps can be long.
const maxMessageLines = 400

var (
	framing = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)\b|--- (PASS|FAIL|SKIP): )`)
	// The file:line the test framework puts before each logged message:
	// a check's file, or the harness's when it reports for the check.
	testPrefix = regexp.MustCompile(`^[\w.-]+\.go:\d+: `)
)

// message turns a test's raw output into the text shown to a learner:
// go test's framing is dropped, the log indentation and the
// "checks_test.go:NN: " (or "panics.go:NN: ") prefixes are removed, the text itself is kept.
func message(raw string) string {
	var lines []string
	for _, line := range strings.Split(raw, "\n") {
		if framing.MatchString(line) || line == "PASS" || line == "FAIL" {
			continue
		}
		switch {
		case strings.HasPrefix(line, "        "):
			line = line[8:]
		case strings.HasPrefix(line, "    "):
			line = testPrefix.ReplaceAllString(line[4:], "")
		}
		lines = append(lines, strings.TrimRight(line, " \t\r"))
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	if n := len(lines); n > maxMessageLines {
		lines = append(lines[:maxMessageLines], fmt.Sprintf("… %d more lines", n-maxMessageLines))
	}
	return strings.Join(lines, "\n")
}

// locate finds the first "exercises/<ex>/<student file>:<line>" in text,
// or "exercises\<ex>\<student file>:<line>" as the harness writes it on
// Windows; the location has slashes either way.
func locate(text string, e *Exercise) Location {
	files := make([]string, len(e.StudentFiles))
	for i, f := range e.StudentFiles {
		files[i] = regexp.QuoteMeta(f)
	}
	re := regexp.MustCompile(`(exercises[/\\]` + regexp.QuoteMeta(e.Name) + `[/\\](?:` + strings.Join(files, "|") + `)):(\d+)`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return Location{}
	}
	line, _ := strconv.Atoi(m[2])
	return Location{File: strings.ReplaceAll(m[1], `\`, "/"), Line: line}
}
