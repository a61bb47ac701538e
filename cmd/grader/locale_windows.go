package main

import "golang.org/x/sys/windows"

// Windows has no LANG: the language a student reads Windows in is their
// display language ("ru-RU").

// systemLanguage is the user's first Windows display language, or "".
func systemLanguage() string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return langs[0]
}
