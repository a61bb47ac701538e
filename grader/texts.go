package grader

import (
	"embed"

	"asynclab/catalog"
)

// The engine's own words to students (a missing file, the static gate,
// build limits), in every language.
//
//go:embed messages.en.toml messages.ru.toml
var textFiles embed.FS

var texts = catalog.MustLoad(textFiles, "messages")

// Texts are the engine's words in every language, for completeness tests.
func Texts() *catalog.Catalog { return texts }

func say(l catalog.Lang, id string, args catalog.Args) string { return texts.Text(l, id, args) }
