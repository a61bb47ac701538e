// Package catalog holds the course's texts in several languages: message
// catalogs that a translator edits without reading Go, one file per
// language, in go-i18n's TOML format (which Weblate and other translation
// tools read):
//
//	# messages.ru.toml
//	title = "Очередь"
//	[TestFIFOOrder]
//	name = "элементы выходят в том порядке, в каком их положили"
//	[msg]
//	returned = "Get вернул {{.Got}}, а должен был {{.Want}}"
//	[checks]
//	one = "{{.Count}} проверка"
//	few = "{{.Count}} проверки"
//	many = "{{.Count}} проверок"
//	other = "{{.Count}} проверки"
//
// Nested tables make dotted ids ("TestFIFOOrder.name"). Placeholders are
// text/template fields; plural forms follow CLDR (Russian has one, few
// and many). A text missing in one language falls back to English.
package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Catalog is one set of texts in every language of the course.
type Catalog struct {
	bundle *i18n.Bundle
	ids    map[Lang][]string // sorted
	local  map[Lang]*i18n.Localizer

	memoMu sync.Mutex
	memo   map[string]string // by appendMemoKey
	plain  map[plainKey]string
}

// plainKey identifies a text said without values, which needs no key
// built: checks say such texts (the names of what they compare) on every
// run of every check.
type plainKey struct {
	lang Lang
	id   string
}

// Args are a text's placeholders by name.
type Args = map[string]any

// Load reads the catalog files base.<lang>.toml of every language from
// fsys, for example "messages" for messages.en.toml and messages.ru.toml.
// The English file must exist; a translation may be missing (its texts
// are then English), which Missing reports with every other gap.
func Load(fsys fs.FS, base string) (*Catalog, error) {
	return load(fsys, base, Langs)
}

// MustLoad is Load for catalogs embedded in a program: it panics if they
// cannot be read, which the program's own completeness test catches.
func MustLoad(fsys fs.FS, base string) *Catalog {
	c, err := Load(fsys, base)
	if err != nil {
		panic("catalog: " + err.Error())
	}
	return c
}

// LoadFor is Load for a program that speaks only language l: it reads
// English, the fallback, and l. Parsing is most of a test binary's
// start-up, and a test binary speaks one language.
func LoadFor(fsys fs.FS, base string, l Lang) (*Catalog, error) {
	langs := []Lang{English}
	if l != English {
		langs = append(langs, l)
	}
	return load(fsys, base, langs)
}

func load(fsys fs.FS, base string, langs []Lang) (*Catalog, error) {
	c := New()
	for _, l := range langs {
		name := base + "." + string(l) + ".toml"
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) && l != English {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := c.Add(l, name, data); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// New returns an empty catalog; Add fills it.
func New() *Catalog {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	return &Catalog{bundle: b, ids: map[Lang][]string{}, local: map[Lang]*i18n.Localizer{}, memo: map[string]string{}, plain: map[plainKey]string{}}
}

// Add adds the texts of language l in TOML, read from the file called
// name (for error messages).
func (c *Catalog) Add(l Lang, name string, data []byte) error {
	tag := language.Make(string(l))
	msgs, err := c.bundle.ParseMessageBytes(tag, data, toml.Unmarshal)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := c.bundle.AddMessages(tag, msgs...); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, m := range msgs {
		c.ids[l] = append(c.ids[l], m.ID)
	}
	slices.Sort(c.ids[l])
	c.memoMu.Lock()
	clear(c.memo)
	clear(c.plain)
	c.memoMu.Unlock()
	c.ids[l] = slices.Compact(c.ids[l])
	c.local[l] = i18n.NewLocalizer(c.bundle, string(l))
	return nil
}

// Has reports whether id has a text in language l itself (no fallback).
func (c *Catalog) Has(l Lang, id string) bool {
	_, ok := slices.BinarySearch(c.ids[l], id)
	return ok
}

// IDs are the ids of language l's texts, sorted.
func (c *Catalog) IDs(l Lang) []string { return c.ids[l] }

// Text is text id in language l with args filled in, falling back to
// English; with neither, it is the id in brackets, which shows the bug.
func (c *Catalog) Text(l Lang, id string, args Args) string {
	return c.localize(l, &i18n.LocalizeConfig{MessageID: id, TemplateData: args})
}

// Count is text id in the plural form for n (placeholder {{.Count}}).
func (c *Catalog) Count(l Lang, id string, n int, args Args) string {
	data := Args{"Count": n}
	for k, v := range args {
		data[k] = v
	}
	return c.localize(l, &i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: n})
}

func (c *Catalog) localize(l Lang, cfg *i18n.LocalizeConfig) string {
	// A check says the same texts with the same values on each of its
	// runs, and go-i18n matches languages and runs a template every time:
	// remember what it said.
	if args, isArgs := cfg.TemplateData.(Args); (isArgs || cfg.TemplateData == nil) && len(args) == 0 && cfg.PluralCount == nil {
		k := plainKey{l, cfg.MessageID}
		c.memoMu.Lock()
		s, hit := c.plain[k]
		c.memoMu.Unlock()
		if !hit {
			s = c.render(l, cfg)
			c.memoMu.Lock()
			if len(c.plain) >= memoSize {
				clear(c.plain)
			}
			c.plain[k] = s
			c.memoMu.Unlock()
		}
		return s
	}
	var buf [256]byte
	key, ok := appendMemoKey(buf[:0], l, cfg)
	if ok {
		c.memoMu.Lock()
		s, hit := c.memo[string(key)] // no copy to look up
		c.memoMu.Unlock()
		if hit {
			return s
		}
	}
	s := c.render(l, cfg)
	if ok {
		c.memoMu.Lock()
		if len(c.memo) >= memoSize {
			clear(c.memo)
		}
		c.memo[string(key)] = s
		c.memoMu.Unlock()
	}
	return s
}

// memoSize bounds the texts a catalog remembers (it starts over when full).
const memoSize = 4096

// appendMemoKey appends to b a key that identifies a text with its values,
// when every value is of a kind whose text depends only on its value (not
// a slice, a pointer or a Stringer that could change): ok is false
// otherwise. It allocates nothing for a text of a few short values, as a
// check says such texts on each of its runs.
func appendMemoKey(b []byte, l Lang, cfg *i18n.LocalizeConfig) (key []byte, ok bool) {
	args, isArgs := cfg.TemplateData.(Args)
	if cfg.TemplateData != nil && !isArgs {
		return nil, false
	}
	// The names in order, on the stack for a few of them.
	var small [4]string
	names := small[:0]
	for k := range args {
		names = append(names, k)
	}
	slices.Sort(names)
	b = append(b, l...)
	b = append(b, 0)
	b = append(b, cfg.MessageID...)
	b = append(b, 0)
	switch n := cfg.PluralCount.(type) {
	case nil:
	case int:
		b = strconv.AppendInt(b, int64(n), 10)
	default:
		return nil, false
	}
	for _, k := range names {
		b = append(b, 0)
		b = append(b, k...)
		b = append(b, '=')
		switch v := args[k].(type) {
		case string:
			// Length first: no value can pose as the ones after it.
			b = append(b, 's')
			b = strconv.AppendInt(b, int64(len(v)), 10)
			b = append(b, ':')
			b = append(b, v...)
		case int:
			b = strconv.AppendInt(append(b, 'i'), int64(v), 10)
		case int64:
			b = strconv.AppendInt(append(b, 'l'), v, 10)
		case bool:
			b = strconv.AppendBool(append(b, 'b'), v)
		case time.Duration:
			b = strconv.AppendInt(append(b, 'd'), int64(v), 10)
		default:
			return nil, false
		}
		if len(b) > memoMaxKey {
			return nil, false // a value as large as a student's output: say it anew
		}
	}
	return b, true
}

// memoMaxKey bounds the size of a remembered text's values, so that what a
// catalog remembers stays small whatever a program under test returns.
const memoMaxKey = 4 << 10

func (c *Catalog) render(l Lang, cfg *i18n.LocalizeConfig) string {
	if args, ok := cfg.TemplateData.(Args); ok {
		cp := *cfg
		cp.TemplateData = withDurations(l, args)
		cfg = &cp
	}
	loc := c.local[l]
	if loc == nil {
		loc = i18n.NewLocalizer(c.bundle, string(l), string(English))
	}
	s, err := loc.Localize(cfg)
	if err != nil && s == "" {
		return "[" + cfg.MessageID + "]"
	}
	return s
}

// Missing lists, as "ru: TestX.hint", every id that one language has and
// another lacks.
func (c *Catalog) Missing() []string {
	all := map[string]bool{}
	for _, l := range Langs {
		for _, id := range c.ids[l] {
			all[id] = true
		}
	}
	var out []string
	for _, l := range Langs {
		for id := range all {
			if !c.Has(l, id) {
				out = append(out, string(l)+": "+id)
			}
		}
	}
	slices.Sort(out)
	return out
}
