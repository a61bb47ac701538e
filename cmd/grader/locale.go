package main

// withSystemLocale is getenv, but when none of the locale variables
// (LC_ALL, LC_MESSAGES, LANG) is set, LANG reads as system(): the
// system's language, where it has one apart from them (Windows).
func withSystemLocale(getenv func(string) string, system func() string) func(string) string {
	return func(key string) string {
		if key != "LANG" || getenv("LC_ALL") != "" || getenv("LC_MESSAGES") != "" || getenv("LANG") != "" {
			return getenv(key)
		}
		return system()
	}
}
