package wire

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUntag(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		rest     string
		findings []Finding
		note     bool
	}{
		{"no tag", "goroutine 3 is sleeping", "goroutine 3 is sleeping", nil, false},
		{"at the end", "deadlock: every goroutine is blocked." + Tag(FindingDeadlock), "deadlock: every goroutine is blocked.", []Finding{FindingDeadlock}, false},
		{"in the middle", "after Take(), A was still locked" + Tag(FindingUnreleased) + ". Nobody can use A", "after Take(), A was still locked. Nobody can use A", []Finding{FindingUnreleased}, false},
		{"two, one repeated", "lock misuse: self-deadlock" + Tag(FindingRelock) + " (2 times)" + Tag(FindingMisuse) + Tag(FindingRelock),
			"lock misuse: self-deadlock (2 times)", []Finding{FindingRelock, FindingMisuse}, false},
		{"a note", "(This check failed on run 3 of 20.)" + NoteTag, "(This check failed on run 3 of 20.)", nil, true},
		{"an unknown finding stays", "x [asynclab:nonsense] y", "x [asynclab:nonsense] y", nil, false},
		{"an unclosed tag stays", "x [asynclab:leak", "x [asynclab:leak", nil, false},
		{"a tag after brackets that are none", "[asynclab:[asynclab:leak]]", "[asynclab:]", []Finding{FindingLeak}, false},
		{"Russian words, the same tag", "горутин, всё ещё работавших" + Tag(FindingLeak), "горутин, всё ещё работавших", []Finding{FindingLeak}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, found, note := Untag(tt.line)
			assert.Equal(t, tt.rest, rest)
			assert.Equal(t, tt.findings, found)
			assert.Equal(t, tt.note, note)
		})
	}
}

func TestTagged(t *testing.T) {
	assert.Equal(t, "one line"+Tag(FindingLeak), Tagged("one line", Tag(FindingLeak)))
	assert.Equal(t, "first"+Tag(FindingDeadlock)+"\nsecond\n", Tagged("first\nsecond\n", Tag(FindingDeadlock)))
	assert.Equal(t, "first\nsecond", Untagged(Tagged("first\nsecond", Tag(FindingPolling))))
}

// TestTextFindings: every text that says a finding says a known one, and
// no text is both a finding and a note.
func TestTextFindings(t *testing.T) {
	for id, f := range TextFindings() {
		assert.True(t, f.Known(), "%s says %q, no finding", id, f)
		assert.False(t, NoteText(id), "%s is a finding and a note", id)
		assert.NotContains(t, Tag(f), "\n")
	}
	for _, f := range findings {
		assert.False(t, strings.ContainsAny(string(f), "[]: \n"), "finding %q cannot be a tag's", f)
	}
}
