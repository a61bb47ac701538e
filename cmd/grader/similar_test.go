package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"asynclab/catalog"
	"asynclab/grader/batch"
	"asynclab/grader/similar"
	"asynclab/internal/testtree"
)

// TestSimilar runs grader similar on a class read as grader batch reads
// it: folders and archives, one that cannot be read, one id that needs
// escaping. The real course is the base; its solution the copied code.
func TestSimilar(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	needSolutions(t, root)
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	sol := read("solutions/gather/gather.go")
	renamed := strings.NewReplacer("firstErr", "e1", "results", "out", "fail", "bad", "once", "o").Replace(sol)
	subs := t.TempDir()
	testtree.Write(t, subs, map[string]string{
		"alice/exercises/gather/gather.go":  sol,
		"bob/gather/gather.go":              "// my own work\n" + renamed,
		"carol/exercises/gather/gather.go":  read("exercises/gather/gather.go"),
		"=evil/exercises/gather/gather.go":  read("exercises/gather/testdata/alternatives/channels.go"),
		"erin/exercises/gather/gather.go":   read("exercises/gather/testdata/alternatives/mutex_cond.go"),
		"erin/exercises/gather/helpers.go":  sol, // not a student file: not taken
		"frank/exercises/queue/queue.go":    read("solutions/queue/queue.go"),
		"gina/exercises/gather/../x.go.txt": "",
	})
	if err := os.WriteFile(filepath.Join(subs, "dave.zip"), []byte("PK\x03\x04 not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An archive, with an entry that tries to leave it: read as batch
	// reads it, the escaping entry refused.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for name, body := range map[string]string{"hank/exercises/gather/gather.go": renamed, "../../escape.go": sol} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(subs, "hank.zip"), zbuf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--root", root, "similar", "--exercise", "gather", "--out", out, subs}, &stdout, &stderr); code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"similarity: dave: not compared", "similarity: gather: 6 submissions", "similarity: hank: ../../escape.go: path leaves the submission", "not a verdict"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "similarity.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	copies := map[string]bool{"alice,bob": true, "alice,hank": true, "bob,hank": true}
	if len(rows) < 4 {
		t.Fatalf("similarity.csv: want the three pairs of copies at least:\n%s", data)
	}
	for _, r := range rows[1:4] {
		if !copies[r[2]+","+r[3]] || r[11] != "true" {
			t.Fatalf("similarity.csv: want alice, bob and hank's pairs first, flagged:\n%s", data)
		}
	}
	for _, r := range rows[1:] {
		if r[0] != "gather" {
			t.Errorf("a row of %s, which --exercise left out", r[0])
		}
		if r[2] == "carol" || r[3] == "carol" {
			t.Errorf("carol submitted the stub, and is in a pair: %v", r)
		}
		if r[11] == "true" && !copies[r[2]+","+r[3]] {
			t.Errorf("independent solutions flagged: %v", r)
		}
		if strings.HasPrefix(r[2], "=") || strings.HasPrefix(r[3], "=") {
			t.Errorf("a formula in similarity.csv: %v", r)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "similarity.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("not a verdict")) || !bytes.Contains(page, []byte("<mark")) {
		t.Error("similarity.html does not show the matched code, or does not say it is no verdict")
	}
}

func TestSimilarRefuses(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	subs := t.TempDir()
	testtree.Write(t, subs, map[string]string{"alice/exercises/gather/gather.go": "package gather\n"})
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"output inside the submissions", []string{"similar", "--out", filepath.Join(subs, "out"), subs}, "inside the submissions folder"},
		{"no such exercise", []string{"similar", "--exercise", "nope", "--out", t.TempDir(), subs}, `no exercise "nope"`},
		{"no such layout", []string{"similar", "--layout", "blackboard", "--out", t.TempDir(), subs}, "blackboard"},
		{"batch shard", []string{"batch", "--unsafe", "--similarity", "--shard", "0/2", "--out", t.TempDir(), subs}, "--similarity needs the whole class"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append(tt.args, "--root", root), &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q: want %d and %q", code, stderr.String(), exitUsage, tt.stderr)
			}
		})
	}
}

// TestReportLinksSimilarity: report.html links similarity.html when its
// folder has one (grader batch --similarity writes it before the report).
func TestReportLinksSimilarity(t *testing.T) {
	out := t.TempDir()
	link := []byte(`href="similarity.html"`)
	for _, withSimilarity := range []bool{false, true} {
		if withSimilarity {
			if err := similar.Write(out, similar.Report{}, catalog.Russian); err != nil {
				t.Fatal(err)
			}
		}
		if err := batch.Write(out, nil, nil, nil, catalog.Russian); err != nil {
			t.Fatal(err)
		}
		page, err := os.ReadFile(filepath.Join(out, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(page, link); got != withSimilarity {
			t.Errorf("with similarity.html %v, report.html links it: %v", withSimilarity, got)
		}
		if withSimilarity && !bytes.Contains(page, []byte("не вердикт")) {
			t.Error("the link does not say, in the report's language, that similarity is no verdict")
		}
	}
}

// TestBatchSimilarity: grader batch --similarity writes the similarity
// report next to the grades, and report.html links it.
func TestBatchSimilarity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds test binaries")
	}
	root := course(t, "package adder\n\nfunc Add(a, b int) int { return 0 }\n")
	mine := "package adder\n\nfunc Add(a, b int) int {\n\tif a > b {\n\t\treturn sum(b, a)\n\t}\n\treturn sum(a, b)\n}\n\n" +
		"func sum(x, y int) int {\n\tvar parts []int\n\tfor i := 0; i < 2; i++ {\n\t\tif i == 0 {\n\t\t\tparts = append(parts, x)\n\t\t} else {\n\t\t\tparts = append(parts, y)\n\t\t}\n\t}\n\ttotal := 0\n\tfor _, p := range parts {\n\t\ttotal += p\n\t}\n\treturn total\n}\n"
	subs := t.TempDir()
	testtree.Write(t, subs, map[string]string{
		"alice/exercises/adder/adder.go": mine,
		"bob/exercises/adder/adder.go":   strings.ReplaceAll(mine, "parts", "bits"),
		"carol/exercises/adder/adder.go": "package adder\n\nfunc Add(a, b int) int { return 0 }\n",
	})
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--root", root, "batch", "--unsafe", "--no-race", "--jobs", "1", "--similarity", "--out", out, subs}, &stdout, &stderr); code != exitPass {
		t.Fatalf("exit %d\n%s", code, &stderr)
	}
	csvData, err := os.ReadFile(filepath.Join(out, "similarity.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csvData), "\nadder,1,alice,bob,100.0,100.0,100.0,") || strings.Contains(string(csvData), "carol") {
		t.Errorf("similarity.csv:\n%s", csvData)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`href="similarity.html"`)) {
		t.Error("report.html does not link similarity.html")
	}
}
