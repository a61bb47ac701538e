package similar

import (
	"embed"

	"asynclab/catalog"
)

// The words of similarity.html, in every language.
//
//go:embed messages.en.toml messages.ru.toml
var textFiles embed.FS

var texts = catalog.MustLoad(textFiles, "messages")

// Texts are the package's words in every language, for completeness tests.
func Texts() *catalog.Catalog { return texts }
