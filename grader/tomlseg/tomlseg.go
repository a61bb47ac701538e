// Package tomlseg cuts a TOML text into its tables, each with the comment
// lines right above its header, so that the course's tools can drop a
// table (a hidden check from a student's copy, a removed check from an
// exercise) and leave every other line, comments included, as written.
package tomlseg

import "strings"

// Split returns text's preamble (what comes before the first table, or
// its comments) and then each table's segment, from its comments or header
// to the next one's. Joined, they are text.
func Split(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	var starts []int
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "[") {
			continue
		}
		s := i
		for s > 0 && strings.HasPrefix(strings.TrimSpace(lines[s-1]), "#") {
			s--
		}
		starts = append(starts, s)
	}
	starts = append(starts, len(lines))
	segs := []string{strings.Join(lines[:starts[0]], "")}
	for k := 0; k+1 < len(starts); k++ {
		segs = append(segs, strings.Join(lines[starts[k]:starts[k+1]], ""))
	}
	return segs
}
