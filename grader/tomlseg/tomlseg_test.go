package tomlseg

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"no table", "a = 1\n", []string{"a = 1\n"}},
		{"comments go with the table below them", "x = 1\n\n# one\n[a]\nk = 1\n# two\n# more\n[[b]]\nk = 2\n",
			[]string{"x = 1\n\n", "# one\n[a]\nk = 1\n", "# two\n# more\n[[b]]\nk = 2\n"}},
		{"a comment first", "# top\n[a]\n", []string{"", "# top\n[a]\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.text)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Split (-want +got):\n%s", d)
			}
			if strings.Join(got, "") != tt.text {
				t.Errorf("the segments do not join to the text")
			}
		})
	}
}
