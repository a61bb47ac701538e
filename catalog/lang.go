package catalog

import (
	"fmt"
	"strings"
)

// Lang is a language the course is given in.
type Lang string

// The languages of the course. English is the default and the fallback.
const (
	English Lang = "en"
	Russian Lang = "ru"
)

// Langs are the languages every catalog must have, English first.
var Langs = []Lang{English, Russian}

// Parse reads a language from a flag value or a locale name: "ru",
// "ru_RU.UTF-8", "en-US" and "C" all work. It refuses a language the
// course is not given in.
func Parse(s string) (Lang, error) {
	if l, ok := fromLocale(s); ok {
		return l, nil
	}
	return "", fmt.Errorf("unknown language %q: the course speaks %s", s, strings.Join(names(), " and "))
}

// FromEnv is the language the user's locale asks for, from LC_ALL,
// LC_MESSAGES or LANG (the first one set wins, as in POSIX); English when
// none is set or it names a language the course is not given in.
func FromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if l, ok := fromLocale(s); ok {
				return l
			}
			return English
		}
	}
	return English
}

// fromLocale takes the language part of a locale name: ll[_RR][.enc][@mod].
func fromLocale(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "_-.@"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "c", "posix":
		return English, true
	}
	for _, l := range Langs {
		if s == string(l) {
			return l, true
		}
	}
	return "", false
}

func names() []string {
	out := make([]string, len(Langs))
	for i, l := range Langs {
		out[i] = string(l)
	}
	return out
}
