package ptrace

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Who may trace whom. The kernel's permission rules answer PT_ATTACH and
// PT_TRACE_ME (Linux PTRACE_ATTACH, PTRACE_TRACEME) with an errno before
// anything is traced; these requests return that answer unaltered (but for
// a mutation build's injected bug), and record nothing: a refused attach
// leaves no process of the tracer's behind, and an accepted one is the
// caller's to keep (Track) or to give back at once (Release).

// TryAttach asks the kernel to attach to pid (NetBSD PT_ATTACH; Linux
// PTRACE_ATTACH) and returns its answer. Unlike Attach it records nothing.
func (tr *Tracer) TryAttach(pid int) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, RequestNames.Attach, false)
		err = mutAttach(pid, attach(pid))
	})
	return err
}

// Release gives back a process an attach unexpectedly got: it waits up to
// d for the attach stop and detaches without a signal. It never kills: the
// process may be init or another user's. It says what it did, for the
// message of the case that did not expect the attach to succeed.
func (tr *Tracer) Release(pid int, d time.Duration) string {
	var out string
	tr.Do(func() { out = release(pid, d) })
	return out
}

// release: on the tracer thread.
func release(pid int, d time.Duration) string {
	status, ok, err := waitReport(pid, d)
	switch {
	case err != nil:
		return fmt.Sprintf("no attach stop to detach from (wait4: %s)", ErrnoName(ErrnoOf(err)))
	case !ok:
		return fmt.Sprintf("no attach stop within %v; %s: %v", d, RequestNames.Detach, detach(pid, 0))
	}
	sig, stopped := stopSignal(status)
	if !stopped {
		return fmt.Sprintf("it ended (wait status %#x) before a detach", status)
	}
	if err := detach(pid, 0); err != nil {
		return fmt.Sprintf("stopped with %s, but %s failed: %v", SignalName(sig), RequestNames.Detach, err)
	}
	return fmt.Sprintf("stopped with %s, then detached", SignalName(sig))
}

// waitReport polls (wait4 WNOHANG) up to d for pid's next report and
// returns its raw status (ok=false: none came).
func waitReport(pid int, d time.Duration) (status uint32, ok bool, err error) {
	deadline := time.Now().Add(d)
	for {
		wpid, status, err := pollWait(pid)
		if err != nil || wpid == pid {
			return status, err == nil, err
		}
		if time.Now().After(deadline) {
			return 0, false, nil
		}
		time.Sleep(time.Millisecond)
	}
}

// AttachStop waits up to d for pid's attach stop, the SIGSTOP stop the
// kernel owes a tracer whose attach it accepted, and returns its signal
// (0: none came). On the caller's thread, which must be the one that
// attached: for tracee scenarios that attach to another process, with
// raw waits only (no report checks, which read /proc, absent in a chroot).
func AttachStop(pid int, d time.Duration) (syscall.Signal, error) {
	status, ok, err := waitReport(pid, d)
	if err != nil || !ok {
		return 0, err
	}
	sig, stopped := stopSignal(status)
	if !stopped {
		return 0, fmt.Errorf("pid %d: wait status %#x, not a stop", pid, status)
	}
	return syscall.Signal(sig), nil
}

// TraceMe asks the kernel to make the caller's parent its tracer (NetBSD
// PT_TRACE_ME; Linux PTRACE_TRACEME, which traces the calling thread) and
// returns its answer. For tracee scenarios, on their locked main thread.
func TraceMe() error { return mutTraceMe(traceMe()) }

// DetachFrom detaches the calling thread's tracee pid without a signal
// (for tracee scenarios; the tracer core's Detach for a Tracer).
func DetachFrom(pid int) error { return detach(pid, 0) }

// ContinueFrom resumes the calling thread's stopped tracee pid without a
// signal (for tracee scenarios).
func ContinueFrom(pid int) error { return resume(pid, 0) }

// WaitExitOf waits up to d for the termination of pid, a tracee of the
// calling thread or a child of the process, and returns its raw wait
// status; any other report is an error.
func WaitExitOf(pid int, d time.Duration) (unix.WaitStatus, error) {
	status, ok, err := waitReport(pid, d)
	switch {
	case err != nil:
		return 0, err
	case !ok:
		return 0, fmt.Errorf("pid %d did not end within %v (%s)", pid, d, ProcState(pid))
	}
	if sig, stopped := stopSignal(status); stopped {
		return 0, fmt.Errorf("pid %d stopped with %s, want its termination", pid, SignalName(sig))
	}
	return unix.WaitStatus(status), nil
}

// stopSignal decodes a stop from a wait status as both kernels encode it
// (<sys/wait.h>: 0x7f in the low byte, the signal above it). Not x/sys's
// WaitStatus: on the BSDs its Stopped() leaves out a SIGSTOP stop (it
// takes that for WCONTINUED), and an attach stop is a SIGSTOP stop.
func stopSignal(status uint32) (int, bool) {
	if status&0xff != 0x7f {
		return 0, false
	}
	return int(status >> 8 & 0xff), true
}

// ErrnoOf is the errno of a request's error (0 for nil, -1 for an error
// that is no errno).
func ErrnoOf(err error) syscall.Errno {
	if err == nil {
		return 0
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return ^syscall.Errno(0)
}

// Zombie reports whether pid is a zombie: dead, its termination not yet
// collected (Linux /proc/PID/stat state Z; NetBSD kinfo_proc2 p_stat
// LSZOMB, as NetBSD's await_zombie reads it).
func Zombie(pid int) bool { return isZombie(pid) }

// JobStopped reports whether pid is stopped by a stop signal (job control),
// not in a ptrace stop (Linux /proc/PID/stat state T; NetBSD p_stat LSSTOP
// while not traced, as NetBSD's await_stopped reads it).
func JobStopped(pid int) bool { return isJobStopped(pid) }

// ProcEntries counts the entries the kernel's process table lookup returns
// for pid (NetBSD sysctl kern.proc2 KERN_PROC_PID, as NetBSD's
// await_zombie reads it; Linux: the /proc directory entries named pid): a
// process is one entry, traced or not.
func ProcEntries(pid int) (int, error) {
	n, err := procEntries(pid)
	return mutProcEntries(n), err
}

// ParentSeen is the parent the calling process sees through one of the
// kernel's interfaces: "getppid" (getppid(2)), "proc_table" (NetBSD
// sysctl kinfo_proc2 p_ppid; Linux /proc/self/stat field 4) or "procfs"
// (NetBSD /proc/curproc/status; Linux /proc/self/status PPid).
// ErrNoProcfs: that interface is not there (NetBSD without procfs mounted).
func ParentSeen(how string) (int, error) {
	if how == "getppid" {
		return mutParent(unix.Getppid()), nil
	}
	p, err := parentSeen(how)
	return mutParent(p), err
}

// ErrNoProcfs: the kernel's procfs is not mounted.
var ErrNoProcfs = errors.New("procfs not mounted")

// ParentInterfaces names, per kernel, what ParentSeen reads for each
// method, for messages and docs.
var ParentInterfaces = map[string]map[string]string{
	"netbsd": {"getppid": "getppid(2)", "proc_table": "sysctl kern.proc2 kinfo_proc2 p_ppid", "procfs": "/proc/curproc/status (3rd field)"},
	"linux":  {"getppid": "getppid(2)", "proc_table": "/proc/self/stat ppid (field 4)", "procfs": "/proc/self/status PPid"},
}

// AttachHere is TryAttach from the calling thread, for tracee scenarios
// that attach to another process: that thread is then the tracer.
func AttachHere(pid int) error { return mutAttach(pid, attach(pid)) }

// AttachToStoppedStopsTwiceOn says, per kernel, whether an attach to a
// process stopped by SIGSTOP (job control) costs the tracer two stops.
// Linux: PTRACE_ATTACH to a process in a group stop reports that stop
// first (ptrace_attach()'s re-trap, JOBCTL_TRAP_STOP); once resumed, the
// traced thread dequeues the SIGSTOP the attach itself sent (SEND_SIG_PRIV,
// si_code SI_KERNEL) and stops again with it, a signal-delivery-stop the
// tracer suppresses by resuming with no signal; the process's other
// threads stay in the group stop until a SIGCONT (measured on Linux 6.18).
// NetBSD reports one stop, and PT_CONTINUE resumes the whole process
// (t_ptrace_topology_wait.h parent_attach_to_its_stopped_child).
var AttachToStoppedStopsTwiceOn = map[string]bool{"netbsd": false, "linux": true}

// AttachToStoppedStopsTwice is the running kernel's AttachToStoppedStopsTwiceOn.
var AttachToStoppedStopsTwice = AttachToStoppedStopsTwiceOn[runtime.GOOS]
