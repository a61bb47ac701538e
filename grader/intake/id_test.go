package intake

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestID(t *testing.T) {
	tests := []struct{ entry, want string }{
		{"alice", "alice"},
		{"/subs/alice", "alice"},
		{"/subs/bob.zip", "bob"},
		{"/subs/bob.ZIP", "bob"},
		{"carol.tar.gz", "carol"},
		{"carol.TAR.GZ", "carol"},
		{"dave.tgz", "dave"},
		// Archives Open cannot read are students all the same (graded as
		// unreadable), under the same rule.
		{"erin.gz", "erin"},
		{"frank.tar", "frank"},
		{"gina.RAR", "gina"},
		{"hal.tar.xz", "hal"},
		{"ivy.txt", "ivy.txt"},
		{"gus.zip.zip", "gus.zip"},
		{".zip", ".zip"},
		{"honest.zip/", "honest"}, // the folder honest.zip/: the same rule as the archive
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			if got := ID(tt.entry); got != tt.want {
				t.Errorf("ID(%q) = %q, want %q", tt.entry, got, tt.want)
			}
		})
	}
}

func TestCheckID(t *testing.T) {
	tests := []struct {
		id   string
		want string // "" if the id is fine, else a part of the reason
	}{
		{"alice", ""},
		{"иванов", ""},
		{"Anne-Marie O'Neil", ""},
		{"=1+1", ""},                         // grades.csv defuses it
		{"<img src=x onerror=alert(1)>", ""}, // the outputs escape it
		{"[click](evil.example)", ""},
		{"# You got 281/281", "path separator"},
		{"honest\n# You got 281 of 281", `not printable (\n)`},
		{"a\x00b", `not printable (\x00)`},
		{"tab\there", `not printable (\t)`},
		{"\x1b[2J", `not printable (\x1b)`},
		{"evil\u202etxt", `not printable (\u202e)`},
		{"zero\u200bwidth", `not printable (\u200b)`},
		{"bad\xffutf8", "not valid UTF-8"},
		{"", "empty"},
		{".", "starts with a dot"},
		{"..", "starts with a dot"},
		{".hidden", "starts with a dot"},
		{"a/b", "path separator"},
		{`a\b`, "path separator"},
		{" alice", "space"},
		{"alice ", "space"},
		{strings.Repeat("x", MaxIDLen), ""},
		{strings.Repeat("x", MaxIDLen+1), "bytes long"},
		{strings.Repeat("я", MaxIDLen/2+1), "bytes long"},
		{"CON", "device on Windows"},
		{"nul.txt", "device on Windows"},
		{"Com7", "device on Windows"},
		{"lpt1.tar", "device on Windows"},
		{"COM0", ""},
		{"CONSOLE", ""},
		{"console.log", ""},
		{"alice.", "ends with a dot"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			err := CheckID(tt.id)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckID(%q) = %v, want nil", tt.id, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("CheckID(%q) = %v, want an error with %q", tt.id, err, tt.want)
			}
		})
	}
}

func TestStudents(t *testing.T) {
	type student struct{ id, entry string }
	tests := []struct {
		name    string
		entries []string
		want    []student
		refused []Note // Problem: a prefix
		naming  []string
	}{
		{name: "one of each kind",
			entries: []string{"s/alice", "s/bob.zip", "s/carol.tar.gz"},
			want:    []student{{"alice", "s/alice"}, {"bob", "s/bob.zip"}, {"carol", "s/carol.tar.gz"}}},
		{name: "a folder and an archive",
			entries: []string{"s/honest", "s/honest.zip", "s/zoe"},
			want:    []student{{"zoe", "s/zoe"}},
			refused: []Note{{"honest", "2 submissions for one student"}, {"honest.zip", "2 submissions for one student"}},
			naming:  []string{"honest, honest.zip"}},
		{name: "a folder named like an archive, and a folder",
			entries: []string{"s/honest.zip", "s/honest", "s/zoe"},
			want:    []student{{"zoe", "s/zoe"}},
			refused: []Note{{"honest", "2 submissions"}, {"honest.zip", "2 submissions"}},
			naming:  []string{"honest, honest.zip"}},
		{name: "three archives",
			entries: []string{"s/x.zip", "s/x.tgz", "s/x.tar.gz"},
			refused: []Note{{"x.tar.gz", "3 submissions"}, {"x.tgz", "3 submissions"}, {"x.zip", "3 submissions"}},
			naming:  []string{"x.tar.gz, x.tgz, x.zip"}},
		{name: "ids equal but for case",
			entries: []string{"s/Alice", "s/alice.zip"},
			refused: []Note{{"Alice", "2 submissions"}, {"alice.zip", "2 submissions"}},
			naming:  []string{"Alice, alice.zip"}},
		{name: "ids equal but for Unicode normalization",
			entries: []string{"s/jos\u00e9", "s/jose\u0301"},
			refused: []Note{{"jos\u00e9", "2 submissions"}, {"jose\u0301", "2 submissions"}}},
		{name: "the same entry twice",
			entries: []string{"s/a", "s/a"},
			refused: []Note{{"a", "2 submissions"}, {"a", "2 submissions"}}},
		{name: "ids that cannot be ids",
			entries: []string{"s/honest\n# You got 281 of 281", "s/\x1b[2J.zip", "s/.zip", "s/" + strings.Repeat("x", 200), "s/ok"},
			want:    []student{{"ok", "s/ok"}},
			refused: []Note{{"honest\n# You got 281 of 281", "cannot be a student id: the name has a character that is not printable (\\n)"},
				{"\x1b[2J.zip", "cannot be a student id"}, {".zip", "cannot be a student id: the name starts with a dot"},
				{strings.Repeat("x", 200), "cannot be a student id: the name is 200 bytes long"}}},
		// One id rule for every archive, those Open cannot read too: bob.rar
		// is bob, and next to bob/ both are refused.
		{name: "an archive that cannot be read",
			entries: []string{"s/bob.rar", "s/bob", "s/carol.7z", "s/dave.tar.bz2"},
			want:    []student{{"carol", "s/carol.7z"}, {"dave", "s/dave.tar.bz2"}},
			refused: []Note{{"bob", "2 submissions"}, {"bob.rar", "2 submissions"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, refused := Students(tt.entries)
			var ss []student
			for _, s := range got {
				ss = append(ss, student{s.ID, s.Entry})
			}
			if !slices.Equal(ss, tt.want) {
				t.Errorf("students %q, want %q", ss, tt.want)
			}
			assertNotes(t, refused, tt.refused)
			for _, n := range refused {
				for _, name := range tt.naming {
					if !strings.Contains(n.Problem, name) {
						t.Errorf("the note on %s does not name every entry (%s): %s", n.Path, name, n.Problem)
					}
				}
			}
			// Whatever the entries, no two students share a file.
			keys := map[string]string{}
			for _, s := range got {
				if prev, ok := keys[Key(s.ID)]; ok {
					t.Errorf("%s and %s would share results/%s.json", prev, s.Entry, s.ID)
				}
				keys[Key(s.ID)] = s.Entry
				if filepath.Base(s.ID) != s.ID {
					t.Errorf("id %q is not a file name", s.ID)
				}
			}
		})
	}
}
