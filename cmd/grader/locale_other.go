//go:build !windows

package main

// systemLanguage is "": on Unix the locale variables say it all.
func systemLanguage() string { return "" }
