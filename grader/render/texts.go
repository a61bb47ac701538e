package render

import (
	"asynclab/grader"
	"embed"
	"strings"

	"asynclab/catalog"
)

// texts are render's own words, in every language of the course.
//
//go:embed messages.en.toml messages.ru.toml
var textFiles embed.FS

var texts = catalog.MustLoad(textFiles, "messages")

// Texts are render's words in every language, for completeness tests.
func Texts() *catalog.Catalog { return texts }

// Say is render's text id in language l, for other packages that print
// reports (grader/format, batch feedback).
func Say(l catalog.Lang, id string, args catalog.Args) string { return texts.Text(l, id, args) }

// ReasonText is a check's failure reason in language l.
func ReasonText(l catalog.Lang, reason grader.Reason) string {
	id := "reasons." + strings.ReplaceAll(string(reason), " ", "_")
	if !texts.Has(catalog.English, id) {
		return string(reason)
	}
	return texts.Text(l, id, nil)
}
