package picture

import (
	"embed"

	"asynclab/catalog"
)

// texts are the page's own words, in every language of the course. The
// checks' words (messages, divergences, event names) come graded, in the
// language they were graded in.
//
//go:embed messages.en.toml messages.ru.toml
var textFiles embed.FS

var texts = catalog.MustLoad(textFiles, "messages")

// Texts are the page's words in every language, for completeness tests.
func Texts() *catalog.Catalog { return texts }

// say is text id in language l.
func say(l catalog.Lang, id string, args catalog.Args) string { return texts.Text(l, id, args) }

// Say is text id in language l, for the commands that write pages and
// traces (lane names, the trace's labels).
func Say(l catalog.Lang, id string, args catalog.Args) string { return say(l, id, args) }
