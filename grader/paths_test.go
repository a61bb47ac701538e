package grader

import (
	"path/filepath"
	"runtime"
	"testing"
)

// The compiler's output names the student's files by their own path, with
// the separators of the student's system: Windows output is rewritten on
// any machine, from what the go command prints there.
func TestStudentOutput(t *testing.T) {
	const (
		winRoot = `C:\Users\ana\asynclab`
		winCopy = `C:\Users\ana\AppData\Local\Temp\asynclab-grade-7\build-twice\src\twice\twice.go`
	)
	tests := []struct {
		name  string
		out   string
		root  string
		paths []string
		sep   rune
		want  string
	}{
		{
			name:  "Linux: the copy's absolute path, a given file, go's header and FAIL line",
			out:   "# asynclab/exercises/twice\n/tmp/asynclab-grade-7/build-twice/src/twice/twice.go:5:5: undefined: x\n/home/ana/asynclab/exercises/twice/given.go:3:2: declared and not used: y\nFAIL\t./exercises/twice [build failed]\n",
			root:  "/home/ana/asynclab",
			paths: []string{"/tmp/asynclab-grade-7/build-twice/src/twice/twice.go", "exercises/twice/twice.go"},
			sep:   '/',
			want:  "exercises/twice/twice.go:5:5: undefined: x\nexercises/twice/given.go:3:2: declared and not used: y",
		},
		{
			name: "Windows: the copy's path made relative by the go command, a given file",
			out: `# asynclab/exercises/twice` + "\n" +
				`..\AppData\Local\Temp\asynclab-grade-7\build-twice\src\twice\twice.go:5:5: undefined: x` + "\n" +
				`exercises\twice\given.go:3:2: declared and not used: y` + "\n" +
				"FAIL\t./exercises/twice [build failed]\n",
			root:  winRoot,
			paths: []string{winCopy, "exercises/twice/twice.go", `..\AppData\Local\Temp\asynclab-grade-7\build-twice\src\twice\twice.go`, "exercises/twice/twice.go"},
			sep:   '\\',
			want:  `exercises\twice\twice.go:5:5: undefined: x` + "\n" + `exercises\twice\given.go:3:2: declared and not used: y`,
		},
		{
			name:  "Windows: absolute paths, with backslashes or with slashes",
			out:   winCopy + ":5:5: undefined: x\nC:/Users/ana/AppData/Local/Temp/asynclab-grade-7/build-twice/src/twice/twice.go:6:1: missing return\n" + winRoot + `\exercises\twice\given.go:3:2: y` + "\nC:/Users/ana/asynclab/exercises/twice/given.go:4:2: z\n",
			root:  winRoot,
			paths: []string{winCopy, "exercises/twice/twice.go"},
			sep:   '\\',
			want:  `exercises\twice\twice.go:5:5: undefined: x` + "\n" + `exercises\twice\twice.go:6:1: missing return` + "\n" + `exercises\twice\given.go:3:2: y` + "\n" + `exercises/twice/given.go:4:2: z`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := studentOutput(tt.out, tt.root, tt.paths, tt.sep); got != tt.want {
				t.Errorf("studentOutput:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// The go command names a test binary with .exe on Windows: the grader
// must look for that name, or every build would seem to have made none.
func TestExeSuffix(t *testing.T) {
	for goos, want := range map[string]string{"windows": ".exe", "linux": "", "darwin": "", "freebsd": ""} {
		if got := exeSuffix(goos); got != want {
			t.Errorf("exeSuffix(%q) = %q, want %q", goos, got, want)
		}
	}
	want := filepath.Join("out", "gather.test"+exeSuffix(runtime.GOOS))
	if got := testBinary("out", "gather"); got != want {
		t.Errorf("testBinary = %q, want %q", got, want)
	}
}
