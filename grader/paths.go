package grader

import (
	"path/filepath"
	"runtime"
	"strings"
)

// The course names files by module-relative, slash-separated paths
// (exercises/gather/gather.go): in reports, JSON and GitHub annotations.
// What a student reads in a message shows them with the separators of
// their own system, as their shell and editor write them
// (exercises\gather\gather.go on Windows).

// shownPath is the slash-separated path p as the student writes it.
func shownPath(p string) string { return filepath.FromSlash(p) }

// studentOutput is buildMessage for a course at root on a system whose
// path separator is sep (a parameter, so that Windows output is tested on
// any system). paths are pairs of a copy's path, as the go command may
// print it, and the student's module-relative, slash-separated path,
// which the student reads with their own separators: the go command
// prints the course's other files that way (exercises\gather\given.go).
func studentOutput(out, root string, paths []string, sep rune) string {
	local := func(p string) string { return strings.ReplaceAll(p, "/", string(sep)) }
	var pairs []string
	for i := 0; i+1 < len(paths); i += 2 {
		from, to := paths[i], local(paths[i+1])
		pairs = append(pairs, from, to)
		if sep != '/' {
			// The go command sometimes prints Windows paths with slashes.
			if slashed := strings.ReplaceAll(from, string(sep), "/"); slashed != from {
				pairs = append(pairs, slashed, to)
			}
		}
	}
	pairs = append(pairs, root+string(sep), "", "./exercises/", local("exercises/"))
	if sep != '/' {
		pairs = append(pairs, strings.ReplaceAll(root, string(sep), "/")+"/", "")
	}
	out = strings.NewReplacer(pairs...).Replace(out)
	var lines []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "# ") && line != "FAIL" && !strings.HasPrefix(line, "FAIL\t") {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// testBinary is the path of the test binary that go test -c -o dir/ writes
// for the package in folder pkg: dir/pkg.test, and dir/pkg.test.exe on
// Windows, where the go command names programs with .exe.
func testBinary(dir, pkg string) string {
	return filepath.Join(dir, pkg+".test"+exeSuffix(runtime.GOOS))
}

// exeSuffix is what the go command appends to a program's name on goos.
func exeSuffix(goos string) string {
	if goos == "windows" {
		return ".exe"
	}
	return ""
}
