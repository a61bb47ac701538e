package main

import (
	"testing"

	"asynclab/catalog"
)

// On Windows, which sets no locale variables, the language is the
// system's; a locale variable set by the student still wins.
func TestWithSystemLocale(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		system string
		want   catalog.Lang
	}{
		{name: "Windows in Russian", system: "ru-RU", want: catalog.Russian},
		{name: "Windows in English", system: "en-US", want: catalog.English},
		{name: "Windows in German", system: "de-DE", want: catalog.English},
		{name: "no system language", want: catalog.English},
		{name: "LANG wins", env: map[string]string{"LANG": "en_US.UTF-8"}, system: "ru-RU", want: catalog.English},
		{name: "LC_ALL wins", env: map[string]string{"LC_ALL": "C"}, system: "ru-RU", want: catalog.English},
		{name: "LC_MESSAGES wins", env: map[string]string{"LC_MESSAGES": "ru_RU.UTF-8"}, system: "en-US", want: catalog.Russian},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := withSystemLocale(func(k string) string { return tt.env[k] }, func() string { return tt.system })
			if got := catalog.FromEnv(getenv); got != tt.want {
				t.Errorf("FromEnv = %q, want %q", got, tt.want)
			}
		})
	}
}
