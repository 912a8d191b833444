package ptrace

import (
	"encoding/binary"
	"fmt"
	"os"
	"time"
)

// The checks below hold at every report, whoever traces: they are the
// kernel's promises about a report itself, so every wait that gets such a
// report asserts them (Wait and Poll return a violation as *Broken). Each
// returns a one-line violation in the kernel's words, or "".

// checkOther: the other pid of a creation event must be a process the
// kernel attached to this tracer on behalf of the reporter, so a wrong pid
// is a broken promise instead of entering the kill set. Its parent is the
// reporter, this process (NetBSD reparents a traced forkee to its tracer),
// another process of this tracer, or the reporter's own parent (Linux
// CLONE_PARENT, and a thread's parent is its process's).
func (tr *Tracer) checkOther(ev Event) string {
	if why := Forbidden(ev.Other); why != "" {
		return fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d: %s, not a process of this tracer, never signalled",
			ev.Other, ev.Kind.Kernel(), ev.Pid, why)
	}
	ppid, err := procParent(ev.Other)
	if err != nil {
		if ev.Kind == Clone {
			// A new thread can die with its thread group (another
			// thread's exit_group, a SIGKILL) before the tracer reads the
			// report of its creation, while the reporter still shows in
			// its stop (measured: 2 in 1000 runs of lwp_create_vs_detach).
			// There is nothing to validate and nothing is adopted.
			return errGone
		}
		return fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d, and no such process exists (%v)",
			ev.Other, ev.Kind.Kernel(), ev.Pid, err)
	}
	if ppid == ev.Pid || ppid == os.Getpid() {
		return ""
	}
	tr.mu.Lock()
	_, known := tr.known[ppid]
	tr.mu.Unlock()
	if known {
		return ""
	}
	if rp, err := procParent(ev.Pid); err == nil && rp == ppid {
		return ""
	}
	return fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d: that process's parent is pid %d, not of this tracer: never signalled",
		ev.Other, ev.Kind.Kernel(), ev.Pid, ppid)
}

// checkOtherOwned is checkOther with the checks off (a tracer command's
// WithChecks(false)): the other pid need only be one this thread owns to
// enter the kill set, a child or a tracee that wait(2) may collect
// (owned), which one system call tells where checkOther reads the
// process's parent from the kernel's process table.
func (tr *Tracer) checkOtherOwned(ev Event) string {
	if why := Forbidden(ev.Other); why != "" {
		return fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d: %s, not a process of this tracer, never signalled",
			ev.Other, ev.Kind.Kernel(), ev.Pid, why)
	}
	err := owned(ev.Other)
	switch {
	case err == nil:
		return ""
	case ev.Kind == Clone && !alive(ev.Other):
		return errGone // as in checkOther: a new thread gone with its group
	}
	return fmt.Sprintf("kernel reported other pid %d at a %s event of pid %d, and it is no child or tracee of this tracer (%v): never signalled",
		ev.Other, ev.Kind.Kernel(), ev.Pid, err)
}

// errGone: checkOther found the new thread already gone with its group.
const errGone = "\x00gone"

// checkEventSiginfo: an event stop is a SIGTRAP whose si_code names the
// event (eventSiCode, per kernel).
func checkEventSiginfo(ev Event) string {
	want, name, ok := eventSiCode(ev)
	if !ok || ev.Raw == nil {
		return ""
	}
	if len(ev.Raw.Siginfo) < siCodeOffset+4 {
		return fmt.Sprintf("%s stop of pid %d: no siginfo (%s failed)", ev.Kind.Kernel(), ev.Pid, getSiginfoName)
	}
	signo := int(int32(binary.NativeEndian.Uint32(ev.Raw.Siginfo[0:])))
	code := int(int32(binary.NativeEndian.Uint32(ev.Raw.Siginfo[siCodeOffset:])))
	if signo != 5 || code != want {
		return fmt.Sprintf("%s stop of pid %d: siginfo is %s with si_code %s, want SIGTRAP with si_code %s",
			ev.Kind.Kernel(), ev.Pid, SignalName(signo), CodeName(signo, code), name)
	}
	return ""
}

// checkVforkDone: the kernel reports VFORK_DONE once the vforkee has given
// the borrowed address space back, by exiting or by exec; a report while
// it still runs on the forker's memory is a broken promise.
func checkVforkDone(ev Event) string {
	if ev.Kind != VforkDone {
		return ""
	}
	if stopped, state := inPtraceStop(ev.Pid); !stopped {
		return fmt.Sprintf("%s of pid %d reported while pid %d is not stopped but %s: it still waits in vfork for vforkee %d",
			VforkDone.Kernel(), ev.Pid, ev.Pid, state, ev.Other)
	}
	// The vforkee wakes its forker as it lets go of the borrowed memory
	// (Linux mm_release before exit_mm clears its mm or exec installs the
	// new one; NetBSD clears PL_PPWAIT in exit1 or execve before SZOMB
	// or P_EXEC shows): allow that instant, not a vforkee that runs on.
	left, state := vforkeeLeft(ev.Pid, ev.Other)
	for deadline := time.Now().Add(vforkLetGo); !left && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
		left, state = vforkeeLeft(ev.Pid, ev.Other)
	}
	if !left {
		return fmt.Sprintf("%s of pid %d reported while vforkee %d has neither exited nor exec'd (%s)",
			VforkDone.Kernel(), ev.Pid, ev.Other, state)
	}
	return ""
}

// checkInCreation: a creation event stops the creator inside the system
// call that creates (fork, vfork, clone, posix_spawn), before that call
// returns to it; a report that comes after the creator ran on is late.
func checkInCreation(ev Event) string {
	if !ev.Creates() {
		return ""
	}
	if stopped, state := inPtraceStop(ev.Pid); !stopped {
		return fmt.Sprintf("%s of pid %d reported while pid %d is not stopped at it but %s: the report came after it ran on",
			ev.Kind.Kernel(), ev.Pid, ev.Pid, state)
	}
	if in, where := inCreatingSyscall(ev.Lwp); !in {
		return fmt.Sprintf("%s of pid %d reported while pid %d is no longer in the creating system call (%s): the report came after it ran on",
			ev.Kind.Kernel(), ev.Pid, ev.Pid, where)
	}
	return ""
}

// vforkLetGo bounds the instant between a vforkee's waking its forker and
// its memory showing as given back.
const vforkLetGo = 200 * time.Millisecond

// sysKey is one LWP of one process.
type sysKey struct{ pid, lwp int }

// checkSyscall: under PT_SYSCALL / PTRACE_SYSCALL an LWP's entry and exit
// stops alternate, so an entry stop while the LWP's previous entry has had
// no exit stop means the kernel lost that exit stop. Any other resume ends
// the promise (forgetSyscalls); an exec starts the image afresh.
func (tr *Tracer) checkSyscall(ev Event) string {
	k := sysKey{ev.Pid, ev.Lwp}
	switch ev.Kind {
	case SyscallEntry:
		if prev, ok := tr.inSyscall[k]; ok {
			return fmt.Sprintf("%s: LWP %d of pid %d stopped at the entry of %s without the exit stop of its previous call %s",
				resumeNames[ReqSyscall], ev.Lwp, ev.Pid, SyscallName(ev.Sysno), SyscallName(prev))
		}
		tr.inSyscall[k] = ev.Sysno
	case SyscallExit:
		delete(tr.inSyscall, k)
	case Exec, Exited, Killed:
		tr.forgetSyscalls(ev.Pid)
	}
	return ""
}

// forgetSyscalls: pid was resumed other than by PT_SYSCALL (or is gone),
// so no exit stop is owed for the calls its LWPs entered.
func (tr *Tracer) forgetSyscalls(pid int) {
	for k := range tr.inSyscall {
		if k.pid == pid {
			delete(tr.inSyscall, k)
		}
	}
}

// Kernel is the kind's name in this kernel's words (PTRACE_FORK on NetBSD,
// PTRACE_EVENT_FORK on Linux).
func (k Kind) Kernel() string {
	if n, ok := kernelKindNames[k]; ok {
		return n
	}
	return k.String()
}

// CreatedBy labels a process the kernel reported created, for messages.
func CreatedBy(ev Event) string {
	return fmt.Sprintf("created by pid %d, reported at its %s", ev.Pid, ev.Kind.Kernel())
}
