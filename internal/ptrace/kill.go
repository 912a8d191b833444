package ptrace

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// KillRequestName names the kernel's own kill request (NetBSD PT_KILL,
// Linux PTRACE_KILL), which Kill does not use on Linux.
const KillRequestName = killRequestName

// KillRequest terminates a stopped tracee with the kernel's own kill
// request: NetBSD PT_KILL (what Kill sends there too), Linux PTRACE_KILL.
// Linux documents PTRACE_KILL as deprecated and working only at a
// signal-delivery-stop (ptrace(2)); which stops it works at is what the
// kill cases measure.
func (tr *Tracer) KillRequest(pid int) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, KillRequestName, false)
		err = killRequest(pid)
	})
	return err
}

// Signal sends sig to pid with kill(2) (or, with group, to pid's process
// group with killpg(3)): a process of this tracer the caller vouches for,
// checked again against Forbidden and the processes the tracer knows.
func (tr *Tracer) Signal(pid int, sig syscall.Signal, group bool) error {
	if why := Forbidden(pid); why != "" {
		return fmt.Errorf("kill(%d, %s): pid is %s: never signalled", pid, SignalName(int(sig)), why)
	}
	if _, ok := tr.Tracked()[pid]; !ok {
		return fmt.Errorf("kill(%d, %s): not a live process of this tracer: never signalled", pid, SignalName(int(sig)))
	}
	if group {
		if pg, err := unix.Getpgid(pid); err != nil || pg != pid {
			return fmt.Errorf("killpg(%d, %s): pid %d does not lead its process group (getpgid: %d, %v)", pid, SignalName(int(sig)), pid, pg, err)
		}
		return unix.Kill(-pid, sig)
	}
	return unix.Kill(pid, sig)
}

// SenderPid is si_pid: the sending process of a signal sent by a process
// (si_code SI_USER, SI_QUEUE, Linux SI_TKILL).
func (s Siginfo) SenderPid() int { pid, _ := siSender(s.Bytes); return pid }

// SenderUid is si_uid: the real uid of the sending process.
func (s Siginfo) SenderUid() int { _, uid := siSender(s.Bytes); return uid }
