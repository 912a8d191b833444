package ptrace

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
)

// Kind is what a wait reported, normalized across kernels.
type Kind int

// The kinds of report a tracer can get. Fork..Spawn carry the other process
// in Event.Other; LwpCreate/LwpExit the LWP; Clone is Linux's
// PTRACE_EVENT_CLONE (a clone with an exit signal other than SIGCHLD, or a
// thread); ExitEvent is Linux's PTRACE_EVENT_EXIT (the thread is about to exit).
const (
	Stopped      Kind = iota + 1 // signal-delivery or other plain stop: Sig, Code
	Fork                         // NetBSD PTRACE_FORK / Linux PTRACE_EVENT_FORK
	Vfork                        // NetBSD PTRACE_VFORK / Linux PTRACE_EVENT_VFORK
	VforkDone                    // NetBSD PTRACE_VFORK_DONE / Linux PTRACE_EVENT_VFORK_DONE
	Spawn                        // NetBSD PTRACE_POSIX_SPAWN (no Linux analog)
	Clone                        // Linux PTRACE_EVENT_CLONE (no NetBSD analog)
	LwpCreate                    // NetBSD PTRACE_LWP_CREATE
	LwpExit                      // NetBSD PTRACE_LWP_EXIT
	SyscallEntry                 // NetBSD TRAP_SCE / Linux syscall-enter-stop
	SyscallExit                  // NetBSD TRAP_SCX / Linux syscall-exit-stop
	Exec                         // NetBSD TRAP_EXEC / Linux PTRACE_EVENT_EXEC
	ExitEvent                    // Linux PTRACE_EVENT_EXIT (Status = the status the thread will report)
	Exited                       // terminated by exit: Status
	Killed                       // terminated by a signal: Sig, Core
)

var kindNames = map[Kind]string{
	Stopped: "Stopped", Fork: "Fork", Vfork: "Vfork", VforkDone: "VforkDone",
	Spawn: "Spawn", Clone: "Clone", LwpCreate: "LwpCreate", LwpExit: "LwpExit",
	SyscallEntry: "SyscallEntry", SyscallExit: "SyscallExit", Exec: "Exec",
	ExitEvent: "ExitEvent", Exited: "Exited", Killed: "Killed",
}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Event is one report of a wait, normalized so that tests compare event
// sequences with cmp.Diff. Fields that do not apply to a kind are zero.
type Event struct {
	Kind   Kind
	Sig    int  // Stopped: the stop signal; Killed: the terminating signal
	Code   int  // Stopped: si_code of the stop's siginfo
	Other  int  // Fork/Vfork/VforkDone/Spawn/Clone: the other process; LwpCreate/LwpExit: the LWP
	Status int  // Exited: exit code; ExitEvent: the pending wait status
	Core   bool // Killed: a core was dumped
	Sysno  int  // SyscallEntry/SyscallExit: the syscall number

	// Who and how (package tracer's Cmp ignores them).
	Pid int  // the process (Linux: the thread) the wait returned
	Lwp int  // NetBSD: psi_lwpid of the stop; Linux: the thread id
	Raw *Raw // the kernel's own words
}

// Raw keeps what the kernel said, for OS-specific assertions and messages.
type Raw struct {
	Flavour string   // the wait flavour that returned it
	Status  uint32   // wait status (synthesized from siginfo for waitid)
	Siginfo []byte   // the stop's siginfo as the kernel laid it out (nil if none)
	Sys     *Syscall // syscall stops
}

// clone is a copy of r that shares nothing with it.
func (r *Raw) clone() *Raw {
	c := *r
	c.Siginfo = append([]byte(nil), r.Siginfo...)
	if r.Sys != nil {
		s := *r.Sys
		c.Sys = &s
	}
	return &c
}

// Syscall is the content of a syscall stop.
type Syscall struct {
	Args    [8]uint64 // entry: arguments (Linux has 6)
	Ret     [2]int64  // exit: return value(s)
	Errno   int       // exit: 0 on success, else the error
	IsError bool
}

func (e Event) String() string {
	var b strings.Builder
	b.WriteString(e.Kind.String())
	switch e.Kind {
	case Stopped:
		fmt.Fprintf(&b, "(%s, %s)", SignalName(e.Sig), CodeName(e.Sig, e.Code))
	case Fork, Vfork, VforkDone, Spawn, Clone:
		fmt.Fprintf(&b, "(other %d)", e.Other)
	case LwpCreate, LwpExit:
		fmt.Fprintf(&b, "(lwp %d)", e.Other)
	case SyscallEntry, SyscallExit:
		fmt.Fprintf(&b, "(sysno %d)", e.Sysno)
	case Exited, ExitEvent:
		fmt.Fprintf(&b, "(%d)", e.Status)
	case Killed:
		fmt.Fprintf(&b, "(%s, core %v)", SignalName(e.Sig), e.Core)
	}
	if e.Pid != 0 {
		fmt.Fprintf(&b, "@%d", e.Pid)
	}
	return b.String()
}

// CodeName names si_code code of signal sig in this kernel's words
// (SEGV_MAPERR, TRAP_BRKPT, SI_LWP, SI_TKILL, ...; the tables are
// sicode<os>.go), or "code N" where the kernel's header has no name for it.
func CodeName(sig, code int) string { return CodeNameOn(runtime.GOOS, sig, code) }

// Terminal reports whether the process is gone after this event.
func (e Event) Terminal() bool { return e.Kind == Exited || e.Kind == Killed }

// Creates reports whether the event announces a new process (Other) that the
// kernel has attached to the same tracer.
func (e Event) Creates() bool {
	switch e.Kind {
	case Fork, Vfork, Spawn, Clone:
		return true
	}
	return false
}

// Mask is the portable event mask. The bits have the values of NetBSD's
// PTRACE_* event bits (sys/sys/ptrace.h 1.75); on Linux each maps to the
// PTRACE_O_TRACE* option named beside it, and Spawn has no analog.
type Mask uint32

const (
	MaskFork      Mask = 0x01 // PTRACE_FORK       / PTRACE_O_TRACEFORK
	MaskVfork     Mask = 0x02 // PTRACE_VFORK      / PTRACE_O_TRACEVFORK
	MaskVforkDone Mask = 0x04 // PTRACE_VFORK_DONE / PTRACE_O_TRACEVFORKDONE
	MaskLwpCreate Mask = 0x08 // PTRACE_LWP_CREATE / PTRACE_O_TRACECLONE
	MaskLwpExit   Mask = 0x10 // PTRACE_LWP_EXIT   / PTRACE_O_TRACEEXIT
	MaskSpawn     Mask = 0x20 // PTRACE_POSIX_SPAWN / none
)

var maskNames = []struct {
	m Mask
	n string
}{{MaskFork, "FORK"}, {MaskVfork, "VFORK"}, {MaskVforkDone, "VFORK_DONE"},
	{MaskLwpCreate, "LWP_CREATE"}, {MaskLwpExit, "LWP_EXIT"}, {MaskSpawn, "SPAWN"}}

func (m Mask) String() string {
	var parts []string
	for _, x := range maskNames {
		if m&x.m != 0 {
			parts = append(parts, x.n)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// SignalName names a signal for messages ("SIGTRAP").
func SignalName(sig int) string {
	if sig == 0 {
		return "0"
	}
	if n := signame(syscall.Signal(sig)); n != "" {
		return n
	}
	return syscall.Signal(sig).String()
}
