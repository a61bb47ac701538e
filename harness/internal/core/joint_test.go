package core

import (
	jointhooks "asynclab/internal/joint"
	"strings"
	"testing"
	"testing/fstest"
)

// TestJointRegisters: while Joint gathers the exercises of a binary, Main
// registers the exercise that calls it (its package, folder, student files
// and catalog) instead of running the tests; Enter then makes it current.
func TestJointRegisters(t *testing.T) {
	savedJoint, savedCurrent := joint, current.Load()
	t.Cleanup(func() { joint = savedJoint; current.Store(savedCurrent) })

	texts := fstest.MapFS{"messages.en.toml": {Data: []byte("[msg]\nother = \"from the exercise\"\n")}}
	joint.registering = true
	joint.exercises = map[string]*exercise{}
	Main(nil, texts, "student.go") // returns: nothing runs while registering
	joint.registering = false

	e := joint.exercises["asynclab/harness/internal/core"]
	if e == nil {
		t.Fatalf("Main registered %v, want asynclab/harness/internal/core (the caller's package)", joint.exercises)
	}
	if !e.student["student.go"] || !strings.HasSuffix(e.pkgDir, "/harness/internal/core") {
		t.Errorf("registered %+v, want student.go in this package's folder", e)
	}
	if current.Load() == e {
		t.Error("Main made the exercise current while registering")
	}
	jointhooks.Enter(t, "asynclab/harness/internal/core") // as a bundle calls it
	if config() != e {
		t.Error("entering did not make the exercise current")
	}
	if got := Say("msg", nil); got != "from the exercise" {
		t.Errorf("Say = %q, want the registered exercise's text", got)
	}
}

// TestEnterAlone: in a binary of one exercise, entering leaves Main's choice.
func TestEnterAlone(t *testing.T) {
	savedJoint, savedCurrent := joint, current.Load()
	t.Cleanup(func() { joint = savedJoint; current.Store(savedCurrent) })
	joint.exercises = nil
	e := &exercise{pkgPath: "asynclab/exercises/x"}
	current.Store(e)
	jointhooks.Enter(t, "asynclab/exercises/y")
	if config() != e {
		t.Error("entering changed the exercise of a binary that runJoint does not run")
	}
}
