package catalog

import (
	"regexp"
	"strings"
	"time"
)

// Duration is d as a reader of language l writes it: Go's notation in
// English ("1.5s", "300ms", "1m30s", as the code under test would print
// it), the language's own units elsewhere ("1,5 с", "300 мс", "1 мин 30 с"
// in Russian). A Duration placeholder of a text is written this way.
func Duration(l Lang, d time.Duration) string {
	s := d.String()
	units := durationUnits[l]
	if units == nil {
		return s
	}
	var parts []string
	for _, m := range durationPart.FindAllStringSubmatch(s, -1) {
		parts = append(parts, strings.ReplaceAll(m[1], ".", units["."])+" "+units[m[2]])
	}
	return strings.Join(parts, " ")
}

// durationPart is one number and unit of time.Duration.String.
var durationPart = regexp.MustCompile(`(-?[0-9.]+)(h|ms|µs|ns|m|s)`)

// durationUnits are the units of the languages that do not write Go's,
// and "." their decimal separator.
var durationUnits = map[Lang]map[string]string{
	Russian: {"h": "ч", "m": "мин", "s": "с", "ms": "мс", "µs": "мкс", "ns": "нс", ".": ","},
}

// withDurations is args with each time.Duration written for language l.
func withDurations(l Lang, args Args) Args {
	if durationUnits[l] == nil {
		return args
	}
	var out Args
	for k, v := range args {
		if d, ok := v.(time.Duration); ok {
			if out == nil {
				out = make(Args, len(args))
				for k, v := range args {
					out[k] = v
				}
			}
			out[k] = Duration(l, d)
		}
	}
	if out == nil {
		return args
	}
	return out
}
