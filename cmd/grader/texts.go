package main

import (
	"embed"

	"asynclab/catalog"
)

// The command's own words, in every language of the course.
//
//go:embed messages.en.toml messages.ru.toml
var textFiles embed.FS

var texts = catalog.MustLoad(textFiles, "messages")

// tr is the command's text id in language l.
func tr(l catalog.Lang, id string, args catalog.Args) string { return texts.Text(l, id, args) }
