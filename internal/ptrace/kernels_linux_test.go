package ptrace

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestPtraceEventNumbers: sicodelinux.go, compiled on every OS, writes
// the PTRACE_EVENT_* numbers as literals; they are x/sys/unix's.
func TestPtraceEventNumbers(t *testing.T) {
	for n, name := range map[int]string{
		unix.PTRACE_EVENT_FORK: "PTRACE_EVENT_FORK", unix.PTRACE_EVENT_VFORK: "PTRACE_EVENT_VFORK",
		unix.PTRACE_EVENT_CLONE: "PTRACE_EVENT_CLONE", unix.PTRACE_EVENT_EXEC: "PTRACE_EVENT_EXEC",
		unix.PTRACE_EVENT_VFORK_DONE: "PTRACE_EVENT_VFORK_DONE", unix.PTRACE_EVENT_EXIT: "PTRACE_EVENT_EXIT",
		unix.PTRACE_EVENT_SECCOMP: "PTRACE_EVENT_SECCOMP", unix.PTRACE_EVENT_STOP: "PTRACE_EVENT_STOP",
	} {
		if got := ptraceEventNames[n]; got != name {
			t.Errorf("ptraceEventNames[%d] = %q, want %q", n, got, name)
		}
	}
}

// TestLinuxMaskNames: every bit the tracer sets as a PTRACE_O_* option
// has that option's name in maskNamesOn, and no other bit has a name.
func TestLinuxMaskNames(t *testing.T) {
	names := map[int]string{
		unix.PTRACE_O_TRACEFORK: "PTRACE_O_TRACEFORK", unix.PTRACE_O_TRACEVFORK: "PTRACE_O_TRACEVFORK",
		unix.PTRACE_O_TRACEVFORKDONE: "PTRACE_O_TRACEVFORKDONE", unix.PTRACE_O_TRACECLONE: "PTRACE_O_TRACECLONE",
		unix.PTRACE_O_TRACEEXIT: "PTRACE_O_TRACEEXIT",
	}
	for _, x := range linuxOptions {
		if got := maskNamesOn["linux"][x.m]; got != names[x.opt] {
			t.Errorf("maskNamesOn[linux][%v] = %q, the option set is %q", x.m, got, names[x.opt])
		}
	}
	if len(maskNamesOn["linux"]) != len(linuxOptions) {
		t.Errorf("maskNamesOn[linux] names %d bits, linuxOptions sets %d", len(maskNamesOn["linux"]), len(linuxOptions))
	}
}
