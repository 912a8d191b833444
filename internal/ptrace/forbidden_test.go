package ptrace

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// A pid smuggled into the kill set that names 0, -1, init, this process or
// its group is never signalled by KillAll (were it to be, this test
// process would die).
func TestKillAllSkipsForbidden(t *testing.T) {
	tr := &Tracer{known: map[int]string{}}
	tr.known[0], tr.known[-1], tr.known[1], tr.known[os.Getpid()] = "smuggled", "smuggled", "smuggled", "smuggled"
	tr.pgids = []int{0, 1, unix.Getpgrp()}
	tr.KillAll()
}

// A creation report whose other pid is not a process the kernel attached to
// this tracer (0, -1, init, this process, its group, or an unrelated live
// process such as the test's own parent) is a broken promise, named; such
// a pid never reaches the kill set. So with the checks off, where the
// check is only that the pid is this tracer's to collect (checkOtherOwned,
// Linux).
func TestReportedOtherPidValidated(t *testing.T) {
	tr := &Tracer{known: map[int]string{}}
	checks := map[string]func(Event) string{"checkOther": tr.checkOther}
	if waitOwns {
		checks["checkOtherOwned"] = tr.checkOtherOwned
	}
	reporter := 4242
	for name, check := range checks {
		for _, other := range []int{0, -1, 1, os.Getpid(), unix.Getpgrp(), os.Getppid()} {
			why := check(Event{Kind: Fork, Pid: reporter, Other: other})
			want := fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d", other, Fork.Kernel(), reporter)
			if !strings.HasPrefix(why, want) || strings.Contains(why, "\n") {
				t.Errorf("other pid %d: %s said %q, want a line starting %q", other, name, why, want)
			}
		}
		// This process's own child passes: its parent is this process.
		if why := check(Event{Kind: Fork, Pid: reporter, Other: startChild(t)}); why != "" {
			t.Errorf("%s refused a child of the test process: %s", name, why)
		}
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
// reuse: it leaves the kill set, so KillAll can never signal whatever
// process gets that pid next.
func TestDeadPidLeavesKillSet(t *testing.T) {
	pid := startChild(t)
	tr := &Tracer{known: map[int]string{pid: "tracee"}, dead: map[int]bool{}, reported: map[[3]int]bool{{int(Fork), 1, pid}: true},
		inSyscall: map[sysKey]int{{pid, pid}: 39}}
	tr.died(pid)
	if _, ok := tr.known[pid]; ok || len(tr.reported) != 0 || len(tr.inSyscall) != 0 {
		t.Fatalf("after its death was collected pid %d is still recorded: known %v, reported %v, inSyscall %v", pid, tr.known, tr.reported, tr.inSyscall)
	}
	tr.KillAll() // must not signal the (still running) child
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("KillAll signalled pid %d after its death was recorded: %v", pid, err)
	}
	if !Alive(pid) {
		t.Fatalf("KillAll killed pid %d after its death was recorded", pid)
	}
}
