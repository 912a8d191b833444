package tracer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/ptrace"
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

// A pid that names 0, -1, init, the test process or its group never
// enters the kill set: Adopt fails the case saying so, and KillAll
// signals nothing (were it to, this test process would die).
func TestForbiddenPidsNeverKilled(t *testing.T) {
	f := &fatalCatcher{T: t}
	c, err := ptrace.New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tr := &Tracer{tb: f, c: c}
	for _, pid := range []int{0, -1, 1, os.Getpid(), unix.Getpgrp()} {
		msg := f.adopt(tr, pid)
		if msg == "" || !strings.Contains(msg, "never signalled") || strings.Contains(msg, "\n") {
			t.Errorf("Adopt(%d) was accepted or said %q", pid, msg)
		}
	}
	if known := c.Tracked(); len(known) != 0 {
		t.Fatalf("forbidden pids entered the kill set: %v", known)
	}
	c.KillAll()
}
