package core

import (
	"asynclab/internal/wire"
	"embed"
	"os"
	"sync"
	"sync/atomic"

	"asynclab/catalog"
)

// Args are a message's placeholders by name: {{.Got}} in a catalog text
// is Args{"Got": got}.
type Args = catalog.Args

// Lang is the implementation of harness.Lang, whose doc says what it does.
func Lang() catalog.Lang {
	env := os.Getenv(wire.LangEnv)
	// Every message asks, on every run of a check: parse a setting once.
	if c := langSeen.Load(); c != nil && c.env == env {
		return c.lang
	}
	l := catalog.English
	if parsed, err := catalog.Parse(env); err == nil {
		l = parsed
	}
	langSeen.Store(&langSetting{env, l})
	return l
}

// langSeen is the last ASYNCLAB_LANG that Lang parsed, and its language.
var langSeen atomic.Pointer[langSetting]

type langSetting struct {
	env  string
	lang catalog.Lang
}

// The harness's own catalog, read when first needed (most passing checks
// never need it) and only in the run's language: parsing catalogs was
// most of a test binary's start-up.
var (
	//go:embed messages.en.toml messages.ru.toml
	ownFiles  embed.FS
	ownMu     sync.Mutex
	ownByLang = map[catalog.Lang]*catalog.Catalog{}
)

// ownTexts is the harness's catalog for the run's language.
func ownTexts() *catalog.Catalog {
	l := Lang()
	ownMu.Lock()
	defer ownMu.Unlock()
	if c := ownByLang[l]; c != nil {
		return c
	}
	c, err := catalog.LoadFor(ownFiles, "messages", l)
	if err != nil {
		panic("harness: " + err.Error())
	}
	ownByLang[l] = c
	return c
}

// Say is the implementation of harness.Say, whose doc says what it does.
func Say(id string, args Args) string { return config().texts.Text(Lang(), id, args) }

// Count is the implementation of harness.Count, whose doc says what it does.
func Count(id string, n int, args Args) string { return config().texts.Count(Lang(), id, n, args) }

// say is the harness's own text id. A text that says a finding (a
// deadlock, polling, a lock left held: see wire.TextFinding), or is a
// note, carries its tag for the grader at the end of its first line (see
// wire.Tag), in every language: the grader reads the finding from the tag,
// never from the words, and removes it.
func say(id string, args Args) string {
	text := ownTexts().Text(Lang(), id, args)
	if f, ok := wire.TextFinding(id); ok {
		return wire.Tagged(text, wire.Tag(f))
	}
	if wire.NoteText(id) {
		return wire.Tagged(text, wire.NoteTag)
	}
	return text
}

// OwnTexts are the harness's own texts in every language, for
// completeness tests.
func allOwnTexts() *catalog.Catalog { return catalog.MustLoad(ownFiles, "messages") }
