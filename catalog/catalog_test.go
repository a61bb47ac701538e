package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testFS = fstest.MapFS{
	"m.en.toml": {Data: []byte(`title = "Queue"
only_en = "English only"

[TestFIFO]
name = "first in, first out"

[msg]
got = "Get returned {{.Got}}, want {{.Want}}"

[checks]
one = "{{.Count}} check"
other = "{{.Count}} checks"
`)},
	"m.ru.toml": {Data: []byte(`title = "Очередь"
only_ru = "только по-русски"

[TestFIFO]
name = "первым пришёл, первым ушёл"

[msg]
got = "Get вернул {{.Got}}, а должен был {{.Want}}"

[checks]
one = "{{.Count}} проверка"
few = "{{.Count}} проверки"
many = "{{.Count}} проверок"
other = "{{.Count}} проверки"
`)},
}

func TestText(t *testing.T) {
	c, err := Load(testFS, "m")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang Lang
		id   string
		args Args
		want string
	}{
		{English, "title", nil, "Queue"},
		{Russian, "title", nil, "Очередь"},
		{Russian, "TestFIFO.name", nil, "первым пришёл, первым ушёл"},
		{English, "msg.got", Args{"Got": 1, "Want": 2}, "Get returned 1, want 2"},
		{Russian, "msg.got", Args{"Got": 1, "Want": 2}, "Get вернул 1, а должен был 2"},
		{Russian, "only_en", nil, "English only"}, // falls back to English
		{English, "nowhere", nil, "[nowhere]"},
	}
	for _, tt := range tests {
		if got := c.Text(tt.lang, tt.id, tt.args); got != tt.want {
			t.Errorf("Text(%s, %q) = %q, want %q", tt.lang, tt.id, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	c, err := Load(testFS, "m")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang Lang
		n    int
		want string
	}{
		{English, 1, "1 check"}, {English, 5, "5 checks"},
		{Russian, 1, "1 проверка"}, {Russian, 3, "3 проверки"}, {Russian, 5, "5 проверок"},
		{Russian, 21, "21 проверка"}, {Russian, 12, "12 проверок"},
	}
	for _, tt := range tests {
		if got := c.Count(tt.lang, "checks", tt.n, nil); got != tt.want {
			t.Errorf("Count(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestMissing(t *testing.T) {
	c, err := Load(testFS, "m")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"en: only_ru", "ru: only_en"}
	if diff := cmp.Diff(want, c.Missing()); diff != "" {
		t.Errorf("Missing() (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(fstest.MapFS{"m.ru.toml": testFS["m.ru.toml"]}, "m"); err == nil {
		t.Error("Load without the English file: no error")
	}
	c, err := Load(fstest.MapFS{"m.en.toml": testFS["m.en.toml"]}, "m")
	if err != nil {
		t.Fatalf("Load without the Russian file: %v", err)
	}
	if got := c.Text(Russian, "title", nil); got != "Queue" {
		t.Errorf("without a Russian file, the Russian title is %q, want the English one", got)
	}
	if len(c.Missing()) == 0 {
		t.Error("without a Russian file, Missing() reports nothing")
	}
	bad := fstest.MapFS{"m.en.toml": {Data: []byte("x = ")}, "m.ru.toml": testFS["m.ru.toml"]}
	if _, err := Load(bad, "m"); err == nil {
		t.Error("Load of broken TOML: no error")
	}
}

func TestParseAndFromEnv(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"ru", Russian, true}, {"ru_RU.UTF-8", Russian, true}, {"en-US", English, true},
		{"C", English, true}, {"RU", Russian, true}, {"de_DE.UTF-8", "", false}, {"", "", false},
	} {
		got, err := Parse(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		env  map[string]string
		want Lang
	}{
		{nil, English},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, Russian},
		{map[string]string{"LC_ALL": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, Russian},
		{map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "ru_RU.UTF-8"}, English},
		{map[string]string{"LC_MESSAGES": "ru_RU", "LANG": "en_US"}, Russian},
		{map[string]string{"LANG": "de_DE.UTF-8"}, English},
	} {
		if got := FromEnv(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("FromEnv(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

// TestMustLoad: an embedded catalog without its English file is a bug
// that MustLoad reports at once.
func TestMustLoad(t *testing.T) {
	if c := MustLoad(testFS, "m"); !c.Has(English, "title") {
		t.Errorf("MustLoad(testFS, %q) has no title", "m")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustLoad of a catalog with no English file did not panic")
		}
	}()
	MustLoad(fstest.MapFS{"m.ru.toml": testFS["m.ru.toml"]}, "m")
}

// TestRemembered: a text said again is the same text, and what a catalog
// remembers never stands in for a different one: other values, a value
// that changed in place, another plural form, texts added since.
func TestRemembered(t *testing.T) {
	c, err := Load(testFS, "m")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Load(testFS, "m")
	if err != nil {
		t.Fatal(err)
	}
	got := []int{1}
	steps := []struct {
		name string
		say  func() string
		want string
	}{
		{"first", func() string { return c.Text(English, "msg.got", Args{"Got": 1, "Want": 2}) }, "Get returned 1, want 2"},
		{"again", func() string { return c.Text(English, "msg.got", Args{"Got": 1, "Want": 2}) }, "Get returned 1, want 2"},
		{"other value", func() string { return c.Text(English, "msg.got", Args{"Got": 3, "Want": 2}) }, "Get returned 3, want 2"},
		{"string, not int", func() string { return c.Text(English, "msg.got", Args{"Got": "1", "Want": 2}) }, "Get returned 1, want 2"},
		// Remembered by the values' text alone, these two would be one.
		{"a value that looks like two", func() string { return c.Text(English, "msg.got", Args{"Got": "1\x00Want=s9"}) }, fresh.Text(English, "msg.got", Args{"Got": "1\x00Want=s9"})},
		{"the two it looks like", func() string { return c.Text(English, "msg.got", Args{"Got": "1", "Want": "9"}) }, "Get returned 1, want 9"},
		{"other language", func() string { return c.Text(Russian, "msg.got", Args{"Got": 1, "Want": 2}) }, "Get вернул 1, а должен был 2"},
		{"a slice", func() string { return c.Text(English, "msg.got", Args{"Got": got, "Want": 2}) }, "Get returned [1], want 2"},
		{"the slice changed", func() string { got[0] = 5; return c.Text(English, "msg.got", Args{"Got": got, "Want": 2}) }, "Get returned [5], want 2"},
		{"a number of another kind", func() string { return c.Text(English, "msg.got", Args{"Got": int64(2), "Want": 2}) }, "Get returned 2, want 2"},
		{"the same number as a duration", func() string { return c.Text(English, "msg.got", Args{"Got": time.Duration(2), "Want": 2}) }, "Get returned 2ns, want 2"},
		{"true", func() string { return c.Text(English, "msg.got", Args{"Got": true, "Want": 2}) }, "Get returned true, want 2"},
		{"false", func() string { return c.Text(English, "msg.got", Args{"Got": false, "Want": 2}) }, "Get returned false, want 2"},
		{"three values", func() string { return c.Text(English, "msg.got", Args{"Got": 1, "Want": 2, "Other": "x"}) }, "Get returned 1, want 2"},
		{"three values, one other", func() string { return c.Text(English, "msg.got", Args{"Got": 1, "Want": 3, "Other": "x"}) }, "Get returned 1, want 3"},
		{"four values", func() string { return c.Text(English, "msg.got", Args{"Got": 1, "Want": 2, "A": "x", "B": "y"}) }, "Get returned 1, want 2"},
		{"four values, one other", func() string { return c.Text(English, "msg.got", Args{"Got": 7, "Want": 2, "A": "x", "B": "y"}) }, "Get returned 7, want 2"},
		{"a value too long to remember", func() string {
			return c.Text(English, "msg.got", Args{"Got": strings.Repeat("a", memoMaxKey+1), "Want": 2})
		}, "Get returned " + strings.Repeat("a", memoMaxKey+1) + ", want 2"},
		{"plain", func() string { return c.Text(English, "title", nil) }, "Queue"},
		{"plain, other language", func() string { return c.Text(Russian, "title", nil) }, "Очередь"},
		{"plain, empty values", func() string { return c.Text(Russian, "title", Args{}) }, "Очередь"},
		{"plural one", func() string { return c.Count(Russian, "checks", 1, nil) }, "1 проверка"},
		{"plural few", func() string { return c.Count(Russian, "checks", 2, nil) }, "2 проверки"},
		{"added later", func() string {
			if err := c.Add(English, "more.toml", []byte(`title = "Bounded queue"`)); err != nil {
				t.Fatal(err)
			}
			return c.Text(English, "title", nil)
		}, "Bounded queue"},
	}
	c.Text(English, "title", nil) // remembered before "added later"
	for _, s := range steps {
		if got := s.say(); got != s.want {
			t.Errorf("%s: got %q, want %q", s.name, got, s.want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d      time.Duration
		en, ru string
	}{
		{0, "0s", "0 с"},
		{2 * time.Second, "2s", "2 с"},
		{1500 * time.Millisecond, "1.5s", "1,5 с"},
		{300 * time.Millisecond, "300ms", "300 мс"},
		{90 * time.Second, "1m30s", "1 мин 30 с"},
		{time.Second + time.Nanosecond, "1.000000001s", "1,000000001 с"},
		{2 * time.Microsecond, "2µs", "2 мкс"},
		{-time.Second, "-1s", "-1 с"},
		{time.Hour, "1h0m0s", "1 ч 0 мин 0 с"},
	}
	for _, tt := range tests {
		if got := Duration(English, tt.d); got != tt.en {
			t.Errorf("Duration(en, %d) = %q, want %q", tt.d, got, tt.en)
		}
		if got := Duration(Russian, tt.d); got != tt.ru {
			t.Errorf("Duration(ru, %d) = %q, want %q", tt.d, got, tt.ru)
		}
	}
}

// BenchmarkTextRemembered is what a check pays to say a text with values
// on each of its runs (see localize): compare with git stash to see a
// change's effect.
func BenchmarkTextRemembered(b *testing.B) {
	c, err := Load(testFS, "m")
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		args Args
	}{
		{"none", nil},
		{"two", Args{"Got": 1, "Want": "two"}},
		{"four", Args{"Got": 1, "Want": "two", "A": 3, "B": time.Second}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				c.Text(English, "msg.got", bm.args)
			}
		})
	}
}
