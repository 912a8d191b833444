package tracer

import (
	"syscall"

	"ptracesuite/internal/ptrace"
)

// KillRequestName names the kernel's own kill request (NetBSD PT_KILL,
// Linux PTRACE_KILL).
const KillRequestName = ptrace.KillRequestName

// KillRequest terminates a stopped tracee with the kernel's own kill
// request (NetBSD PT_KILL, Linux PTRACE_KILL; Kill uses kill(2) on Linux).
func (tr *Tracer) KillRequest(pid int) {
	tr.tb.Helper()
	tr.request(KillRequestName, pid, tr.c.KillRequest(pid))
}

// Signal sends sig to pid with kill(2), as another process would: pid
// must be a live process of this tracer (see ptrace.Tracer.Signal).
func (tr *Tracer) Signal(pid int, sig syscall.Signal) {
	tr.tb.Helper()
	if err := tr.c.Signal(pid, sig, false); err != nil {
		tr.tb.Fatalf("%v", err)
	}
}

// SignalGroup sends sig to the process group pgid leads with killpg(3).
func (tr *Tracer) SignalGroup(pgid int, sig syscall.Signal) {
	tr.tb.Helper()
	if err := tr.c.Signal(pgid, sig, true); err != nil {
		tr.tb.Fatalf("%v", err)
	}
}

// ContName names the request Cont issues (PT_CONTINUE, PTRACE_CONT).
var ContName = ptrace.RequestNames.Cont
