package tracer

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
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

// A creation report whose other pid is not a process the kernel attached to
// this tracer (0, -1, init, the test process, its group, or an unrelated
// live process such as the test's own parent) is a broken promise the
// case fails on, naming it; such a pid never reaches the kill set.
func TestReportedOtherPidValidated(t *testing.T) {
	tr := &Tracer{known: map[int]string{}}
	reporter := 4242
	for _, other := range []int{0, -1, 1, os.Getpid(), unix.Getpgrp(), os.Getppid()} {
		why := tr.checkOther(Event{Kind: Fork, Pid: reporter, Other: other})
		want := fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d", other, Fork.Kernel(), reporter)
		if !strings.HasPrefix(why, want) || strings.Contains(why, "\n") {
			t.Errorf("other pid %d: checkOther said %q, want a line starting %q", other, why, want)
		}
	}
	// The test process's own child passes: its parent is the test process.
	if why := tr.checkOther(Event{Kind: Fork, Pid: reporter, Other: startChild(t)}); why != "" {
		t.Errorf("a child of the test process was refused: %s", why)
	}
}

// startChild starts a child that lives until the test ends.
func startChild(t *testing.T) int {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

// Once a process's death is collected its pid is free for the kernel to
// reuse: it leaves the kill set, so killAll can never signal whatever
// process gets that pid next.
func TestDeadPidLeavesKillSet(t *testing.T) {
	pid := startChild(t)
	tr := &Tracer{known: map[int]string{pid: "tracee"}, dead: map[int]bool{}, reported: map[[3]int]bool{{int(Fork), 1, pid}: true},
		inSyscall: map[sysKey]int{{pid, pid}: 39}}
	tr.died(pid)
	if _, ok := tr.known[pid]; ok || len(tr.reported) != 0 || len(tr.inSyscall) != 0 {
		t.Fatalf("after its death was collected pid %d is still recorded: known %v, reported %v, inSyscall %v", pid, tr.known, tr.reported, tr.inSyscall)
	}
	tr.killAll() // must not signal the (still running) child
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("killAll signalled pid %d after its death was recorded: %v", pid, err)
	}
	if !alive(pid) {
		t.Fatalf("killAll killed pid %d after its death was recorded", pid)
	}
}
