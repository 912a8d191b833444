package tracer

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"ptracesuite/internal/ptrace"
)

// The permission rules (who may trace whom): the harness side of
// ptrace/topology.go.

// UnprivilegedUID is the uid a root test makes an attaching process
// become to ask as an ordinary user (ptrace.UnprivilegedUID).
const UnprivilegedUID = ptrace.UnprivilegedUID

// TraceMeRequest names PT_TRACE_ME / PTRACE_TRACEME.
const TraceMeRequest = ptrace.TraceMeRequest

// Zombie, JobStopped, ProcEntries, ParentSeen, TracerOf, YamaScope and
// Securelevel: see package ptrace.
var (
	Zombie      = ptrace.Zombie
	JobStopped  = ptrace.JobStopped
	ProcEntries = ptrace.ProcEntries
	ParentSeen  = ptrace.ParentSeen
	TracerOf    = ptrace.TracerOf
	YamaScope   = ptrace.YamaScope
	Securelevel = ptrace.Securelevel
	ErrNoProcfs = ptrace.ErrNoProcfs
)

// YamaScopeFile is where Linux's Yama keeps ptrace_scope ("" elsewhere).
const YamaScopeFile = ptrace.YamaScopeFile

// Answer is the kernel's answer to a permission request as the harness
// compares it: an errno's name, "success" for none.
func Answer(e syscall.Errno) string { return ptrace.ErrnoName(e) }

// ExpectAttachAnswer asks the kernel, from the test process, to attach to
// pid (what names it in messages: "init", "itself") and fails the case
// unless its answer is want, with rule (the kernel source that promises
// it) in the reason. An attach the kernel accepted against want is given
// back at once (PT_DETACH after its stop; never a signal): it may be init.
func (tr *Tracer) ExpectAttachAnswer(pid int, what string, want syscall.Errno, rule string) {
	tr.tb.Helper()
	err := tr.c.TryAttach(pid)
	got := ptrace.ErrnoOf(err)
	if got == want {
		if want == 0 {
			tr.Adopt(pid, what)
		}
		return
	}
	msg := fmt.Sprintf("%s(pid %d, %s) from pid %d: got %s, want %s (%s)", ptrace.RequestNames.Attach, pid, what,
		os.Getpid(), Answer(got), Answer(want), rule)
	if err == nil {
		msg += "; the tracer gave it back: " + tr.c.Release(pid, time.Second)
	}
	tr.tb.Fatal(msg)
}

// RequestNames are the kernel's names of the core's requests
// (ptrace.RequestNames).
var RequestNames = ptrace.RequestNames

// ParentInterfaces names what ParentSeen reads per kernel and method.
var ParentInterfaces = ptrace.ParentInterfaces

// AttachToStoppedStopsTwice(On): see package ptrace.
var (
	AttachToStoppedStopsTwice   = ptrace.AttachToStoppedStopsTwice
	AttachToStoppedStopsTwiceOn = ptrace.AttachToStoppedStopsTwiceOn
)
