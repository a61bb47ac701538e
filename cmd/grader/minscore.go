package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"asynclab/catalog"
	"asynclab/grader"
)

// minScore is check's --min-score: a number of points, or a percentage of
// the maximum. The zero value is "not set".
type minScore struct {
	text    string  // as written; "" when not set
	value   float64 // points, or a percentage when percent
	percent bool
}

// parseMinScore parses "" (not set), "N" (points) or "N%" (a percentage
// of the maximum, 0 to 100).
func parseMinScore(s string) (minScore, error) {
	if s == "" {
		return minScore{}, nil
	}
	num, percent := strings.CutSuffix(s, "%")
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || (percent && v > 100) {
		return minScore{}, fmt.Errorf("--min-score must be points (24) or a percentage (80%%), not %q", s)
	}
	return minScore{text: s, value: v, percent: percent}, nil
}

// met reports whether score out of max reaches the threshold.
func (m minScore) met(score, max int) bool {
	if m.percent {
		// score/max >= value/100, without dividing by a max of 0.
		return float64(score)*100 >= m.value*float64(max)
	}
	return float64(score) >= m.value
}

// verdict is check's result once the report is written. Without
// --min-score it is errFailed unless every check passed; with it, only
// the score counts: errFailed when it is below the threshold (said on
// stderr), nil otherwise.
func verdict(stderr io.Writer, r *grader.Report, m minScore, l catalog.Lang) error {
	switch {
	case m.text == "" && !r.Passed():
		return errFailed
	case m.text != "" && !m.met(r.Score, r.Max):
		fmt.Fprintln(stderr, tr(l, "score.below", catalog.Args{"Score": r.Score, "Max": r.Max, "Min": m.text}))
		return errFailed
	}
	return nil
}
