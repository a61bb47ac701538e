package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"asynclab/catalog"
	"asynclab/grader"
)

// globals are the flags every command has.
type globals struct {
	dir      string // --root
	langFlag string // --lang
	getenv   func(string) string
}

// lang is the language of what students read: --lang, or else the
// locale's (LC_ALL, LC_MESSAGES, LANG; on Windows, which has none, its
// display language), or else English.
func (g *globals) lang() (catalog.Lang, error) {
	if g.langFlag != "" {
		return catalog.Parse(g.langFlag)
	}
	return catalog.FromEnv(g.getenv), nil
}

// course loads the course (see loadCourse) with its texts in g's language.
func (g *globals) course() (*grader.Course, error) {
	l, err := g.lang()
	if err != nil {
		return nil, err
	}
	c, err := loadCourse(g.dir)
	if err != nil {
		return nil, err
	}
	return c.In(l), nil
}

// loadCourse loads the course at dir, or if dir is "" the one this
// folder is in.
func loadCourse(dir string) (*grader.Course, error) {
	if dir == "" {
		var err error
		if dir, err = findRoot("."); err != nil {
			return nil, err
		}
	}
	return grader.LoadCourse(dir)
}

// findRoot is the nearest folder at or above start that holds the asynclab
// go.mod and an exercises folder.
func findRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && isAsynclab(mod) {
			if st, err := os.Stat(filepath.Join(dir, "exercises")); err == nil && st.IsDir() {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no asynclab course (go.mod with module asynclab, and exercises/) in %s or above; use --root", start)
		}
		dir = parent
	}
}

func isAsynclab(gomod []byte) bool {
	for _, line := range bytes.Split(gomod, []byte("\n")) {
		if f := strings.Fields(string(line)); len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == "asynclab" {
			return true
		}
	}
	return false
}
