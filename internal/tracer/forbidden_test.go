package tracer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// fatalCatcher is a testing.TB whose Fatalf ends the call it is in, so a
// test can see what the tracer refused.
type fatalCatcher struct {
	*testing.T
	msg string
}

type caught struct{}

func (f *fatalCatcher) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(caught{})
}

func (f *fatalCatcher) adopt(tr *Tracer, pid int) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(caught); !ok {
				panic(r)
			}
			msg = f.msg
		}
	}()
	tr.Adopt(pid, fmt.Sprintf("kernel reported other pid %d at a Fork event of pid 4242", pid))
	return ""
}

// A kernel report that names pid 0, -1, init, the test process or its
// group never enters the kill set: the case fails saying so, and killAll
// signals nothing (were it to, this test process would die).
func TestForbiddenPidsNeverKilled(t *testing.T) {
	f := &fatalCatcher{T: t}
	tr := &Tracer{tb: f, known: map[int]string{}}
	for _, pid := range []int{0, -1, 1, os.Getpid(), unix.Getpgrp()} {
		msg := f.adopt(tr, pid)
		if msg == "" || !strings.Contains(msg, "never signalled") || strings.Contains(msg, "\n") {
			t.Errorf("Adopt(%d) was accepted or said %q", pid, msg)
		}
	}
	if len(tr.known) != 0 {
		t.Fatalf("forbidden pids entered the kill set: %v", tr.known)
	}
	// Even a pid smuggled into the sets is not signalled.
	tr.known[0], tr.known[-1], tr.known[os.Getpid()] = "smuggled", "smuggled", "smuggled"
	tr.pgids = []int{0, 1, unix.Getpgrp()}
	tr.killAll()
}
