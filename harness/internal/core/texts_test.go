package core

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOwnTextsComplete(t *testing.T) {
	if m := allOwnTexts().Missing(); len(m) > 0 {
		t.Errorf("the harness's texts are not in every language:\n%s", strings.Join(m, "\n"))
	}
}

// TestLang: ASYNCLAB_LANG picks the language of the harness's messages.
func TestLang(t *testing.T) {
	scripts := []Script[string]{Succeeds("A", time.Second), {Name: "B", Delay: 2 * time.Second, Stubborn: time.Second}}
	tests := []struct {
		env, want string
	}{
		{"", "A (1s), B (2s; once cancelled it needs 1s more to stop)"},
		{"en", "A (1s), B (2s; once cancelled it needs 1s more to stop)"},
		{"ru", "A (1 с), B (2 с; после отмены ей нужно ещё 1 с, чтобы остановиться)"},
		{"ru_RU.UTF-8", "A (1 с), B (2 с; после отмены ей нужно ещё 1 с, чтобы остановиться)"},
		{"xx", "A (1s), B (2s; once cancelled it needs 1s more to stop)"},
	}
	for _, tt := range tests {
		t.Setenv("ASYNCLAB_LANG", tt.env)
		if got := Describe(scripts); got != tt.want {
			t.Errorf("ASYNCLAB_LANG=%q: Describe = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestShownEvents(t *testing.T) {
	tests := []struct{ lang, event, want string }{
		{"en", "A starts", "A starts"},
		{"ru", "A starts", "A стартует"},
		{"ru", "B sees cancel", "B видит отмену"},
		{"ru", "Gather returns", "Gather возвращается"},
		{"ru", "the caller returns", "the caller returns"}, // not a task's: left alone
		{"ru", "C", "C"},
	}
	for _, tt := range tests {
		t.Setenv("ASYNCLAB_LANG", tt.lang)
		if got := shown(tt.event); got != tt.want {
			t.Errorf("%s: shown(%q) = %q, want %q", tt.lang, tt.event, got, tt.want)
		}
	}
}

// TestDiffKeepsLettersWhole: a got/want diff of Russian lines shows them
// whole, never a letter cut in two.
func TestDiffKeepsLettersWhole(t *testing.T) {
	d := cmp.Diff([]string{"после Put(1): очередь ёмкостью 3 вернула управление"}, []string{"после Put(1): очередь ёмкостью 3 запаниковала"}, wholeStrings)
	if strings.Contains(d, `\x`) || !strings.Contains(d, "вернула управление") {
		t.Errorf("the diff cuts letters or lines:\n%s", d)
	}
}
