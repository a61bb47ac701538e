package needs

import (
	"os"
	"os/exec"
)

// Chromium returns the path of a Chromium (or Chrome) to run headless, for
// tests that look at a page as a browser renders it. Without one it skips
// t, naming the Debian package to install and the package of the test, or,
// in CI (CI=true), fails t.
func Chromium(t T) string {
	t.Helper()
	return chromium(t, exec.LookPath, os.Getenv("CI") == "true", callerPackage())
}

func chromium(t T, look func(string) (string, error), ci bool, pkg string) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := look(name); err == nil {
			return p
		}
	}
	if ci {
		t.Fatalf("%s: this test needs Chromium, and CI=true: none of chromium, chromium-browser, google-chrome is on PATH (.ci/run installs the Debian package chromium)", pkg)
		return ""
	}
	t.Skipf("%s: this test needs Chromium: none of chromium, chromium-browser, google-chrome is on PATH; to run it, install the Debian package chromium (apt-get install chromium)", pkg)
	return ""
}
