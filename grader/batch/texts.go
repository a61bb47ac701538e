package batch

import (
	"embed"

	"asynclab/catalog"
)

// The words of the feedback and the report, in every language.
//
//go:embed messages.en.toml messages.ru.toml
var textFiles embed.FS

var texts = catalog.MustLoad(textFiles, "messages")

// Texts are batch's words in every language, for completeness tests.
func Texts() *catalog.Catalog { return texts }

func tr(l catalog.Lang, id string, args catalog.Args) string { return texts.Text(l, id, args) }
