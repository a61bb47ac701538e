package grader

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"asynclab/catalog"
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

// A data race report of Go's race detector, as a test's output holds it:
//
//	WARNING: DATA RACE
//	Write at 0x00c00007a288 by goroutine 13:
//	  asynclab/exercises/queue.(*Queue[go.shape.int]).push()
//	      asynclab/exercises/queue/queue.go:136 +0xb0
//	  ...
//
//	Previous read at 0x00c00007a288 by goroutine 14:
//	  asynclab/exercises/queue.(*Queue[go.shape.int]).Len()
//	      asynclab/exercises/queue/queue.go:153 +0x2c
var (
	raceStart  = regexp.MustCompile(`^\s*WARNING: DATA RACE\s*$`)
	raceAccess = regexp.MustCompile(`(?i)^\s*(?:previous )?(?:atomic )?(read|write) at 0x[0-9a-f]+ by (?:goroutine (\d+)|(main) goroutine):\s*$`)
	raceFrame  = regexp.MustCompile(`^\s*(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?\s*$`)
	// an exercise's own file, the student's or a given one: not its
	// checks, not a test file
	exerciseFile = regexp.MustCompile(`(?:^|[/\\])(exercises[/\\][^/\\]+[/\\][^/\\]+\.go)$`)
)

// raceSide is one of the two accesses of a data race: which goroutine, a
// read or a write, and the frames in the exercise's files, innermost
// first.
type raceSide struct {
	goroutine string
	write     bool
	frames    []raceAt
	first     string // the innermost function, when none is in the exercise's files
	// channel: the access was a channel operation of the runtime's, the
	// id of its words ("data_race.closed"): a send racing with a close.
	channel string
}

// channelOps are the runtime's channel operations that a race report
// names as reads and writes of the channel.
var channelOps = map[string]string{
	"runtime.closechan":    "data_race.closed",
	"runtime.chansend":     "data_race.sent",
	"runtime.chansend1":    "data_race.sent",
	"runtime.chanrecv":     "data_race.received",
	"runtime.chanrecv1":    "data_race.received",
	"runtime.chanrecv2":    "data_race.received",
	"runtime.selectgo":     "data_race.selected",
	"runtime.selectnbsend": "data_race.sent",
}

type raceAt struct{ fn, at string }

// parseRaces reads the data race reports in a test's output.
func parseRaces(out string) [][]raceSide {
	var races [][]raceSide
	var side *raceSide
	fn := ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case raceStart.MatchString(line):
			races = append(races, nil)
			side = nil
		case len(races) == 0:
		case raceAccess.MatchString(line):
			m := raceAccess.FindStringSubmatch(line)
			id := m[2]
			if m[3] != "" {
				id = "main"
			}
			races[len(races)-1] = append(races[len(races)-1], raceSide{goroutine: id, write: strings.EqualFold(m[1], "write")})
			side = &races[len(races)-1][len(races[len(races)-1])-1]
			fn = ""
		case strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "Goroutine ") || strings.HasPrefix(strings.TrimSpace(line), "=="):
			side = nil
		case side == nil:
		case raceFrame.MatchString(line):
			m := raceFrame.FindStringSubmatch(line)
			if side.first == "" {
				// outside the exercise: its package says whose it is
				side.first = strings.TrimSuffix(fn[strings.LastIndex(fn, "/")+1:], "()")
				side.channel = channelOps[side.first]
			}
			if f := exerciseFile.FindStringSubmatch(m[1]); f != nil && !strings.HasSuffix(f[1], "_test.go") {
				at := raceAt{shortFunc(fn), f[1] + ":" + m[2]}
				if n := len(side.frames); n == 0 || side.frames[n-1].fn != at.fn {
					side.frames = append(side.frames, at)
				}
			}
		default:
			fn = strings.TrimSpace(line)
		}
	}
	return races
}

// shortFunc is a race report's function as the student wrote it:
// "asynclab/exercises/queue.(*Queue[go.shape.int]).push()" is "push",
// "asynclab/exercises/gather.Gather[...].func1()" is "Gather[...].func1".
func shortFunc(fn string) string {
	fn = strings.TrimSuffix(fn, "()")
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.LastIndex(fn, ")."); i >= 0 {
		fn = fn[i+2:]
	}
	return goShape.ReplaceAllString(fn, "[...]")
}

// goShape is a generic function's type arguments as the runtime names
// them: Merge[go.shape.string].
var goShape = regexp.MustCompile(`\[go\.shape\.[^\]]*\]`)

// maxRaceFrames is how many of a side's frames in the exercise's files
// its explanation names.
const maxRaceFrames = 3

// explainRaces says, before the race detector's own report, what each data
// race in out is, in language l: which goroutine read and which wrote, each
// at its line of the exercise's files (the reads first: a read without
// the lock, as in a Len, is the likeliest culprit, and the first line named
// is where the report points). "" when out has no race report.
func explainRaces(l catalog.Lang, out string) string {
	races := parseRaces(out)
	if len(races) == 0 {
		return ""
	}
	var b strings.Builder
	look := "data_race.look"
	for i, sides := range races {
		if len(sides) == 0 {
			continue
		}
		sort.SliceStable(sides, func(a, b int) bool { return !sides[a].write && sides[b].write })
		head := "data_race.explain"
		if len(races) > 1 {
			head = "data_race.explain_n"
		}
		b.WriteString(say(l, head, catalog.Args{"N": i + 1}) + "\n")
		for _, s := range sides {
			access := say(l, "data_race.read", nil)
			switch {
			case s.channel != "":
				access = say(l, s.channel, nil)
				if s.channel == "data_race.closed" {
					look = "data_race.look_channel"
				}
			case s.write:
				access = say(l, "data_race.wrote", nil)
			}
			var where string
			if len(s.frames) == 0 {
				where = say(l, "data_race.elsewhere", catalog.Args{"Func": s.first})
			} else {
				var chain []string
				for j, f := range s.frames[:min(len(s.frames), maxRaceFrames)] {
					id := "data_race.at"
					if j > 0 {
						id = "data_race.called_from"
					}
					chain = append(chain, say(l, id, catalog.Args{"Func": f.fn, "Where": f.at}))
				}
				where = strings.Join(chain, ", ")
			}
			b.WriteString("  " + say(l, "data_race.side", catalog.Args{"ID": s.goroutine, "Access": access, "Where": where}) + "\n")
		}
	}
	b.WriteString(say(l, look, nil) + "\n")
	return b.String()
}
