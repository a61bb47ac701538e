package core

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// anyError claims to be every error, as a hostile student's might.
type anyError struct{ error }

func (anyError) Is(error) bool { return true }

// pickyError says it is every error but the ones whose text looks like a
// probe: an attack on a check that tries a sentinel no code returns.
type pickyError struct{ error }

func (pickyError) Is(t error) bool { return !strings.Contains(t.Error(), "asynclab") }

func TestIsError(t *testing.T) {
	target := errors.New("target")
	other := errors.New("other")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"the target", target, true},
		{"wrapping it", fmt.Errorf("doing x: %w", target), true},
		{"another error", other, false},
		{"nil", nil, false},
		{"an error that says it is every error", anyError{other}, false},
		{"wrapping such an error", fmt.Errorf("x: %w", anyError{target}), false},
		{"joined with others", errors.Join(other, target), true},
		{"an Is method that refuses only probes", pickyError{other}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsError(tt.err, target))
		})
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"\n\x16--- PASS: TestX (0.00s)", "\n\\x16--- PASS: TestX (0.00s)"},
		{"bell\a and del\x7f", "bell\\x07 and del\\x7f"},
		{"юникод ok", "юникод ok"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, printable(tt.in))
	}
}

func TestIsOnlyError(t *testing.T) {
	target := errors.New("target")
	other := errors.New("other")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"the target", target, true},
		{"wrapping it", fmt.Errorf("fetch u2: %w", target), true},
		{"joined with others", errors.Join(target, other), false},
		{"joined alone", errors.Join(target), true},
		{"two %w", fmt.Errorf("%w and %w", target, other), false},
		{"another error", other, false},
		{"nil", nil, false},
		{"an error that says it is every error", anyError{other}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsOnlyError(tt.err, target))
		})
	}
}
