package nbabi

import "fmt"

// Options of wait4/wait6/waitid. Source: NetBSD/src sys/sys/wait.h 1.38
// (2022/08/07); the values are the same in 1.29.
//
// WSTOPPED is the option WUNTRACED (2). golang.org/x/sys/unix for NetBSD
// has WSTOPPED = 0x7f, which is the _WSTOPPED status value, not an option:
// never pass unix.WSTOPPED to a NetBSD wait call.
const (
	WNOHANG    = 0x00000001
	WSTOPPED   = 0x00000002
	WUNTRACED  = WSTOPPED
	WALTSIG    = 0x00000004 // children that exit with a signal other than SIGCHLD (__WCLONE)
	WALLSIG    = 0x00000008 // children that exit with any signal (__WALL)
	WCONTINUED = 0x00000010
	WEXITED    = 0x00000020 // implied by wait4; must be given to wait6/waitid
	WTRAPPED   = 0x00000040 // traced children that trapped; must be given to wait6/waitid
	WNOWAIT    = 0x00010000
	WNOZOMBIE  = 0x00020000

	WAIT_ANY    = -1 // wait4 pid: any child
	WAIT_MYPGRP = 0  // wait4 pid: any child in my process group
)

// idtype_t values for wait6/waitid. Source: NetBSD/src sys/sys/idtype.h
// (1.5.18.2, 2017/12/03; the enum is ABI and "must not be re-ordered"):
// the Solaris names, but NetBSD's own order, with P_ALL first (0). Not
// FreeBSD's or Solaris's numbering (there P_ALL is 7).
const (
	P_MYID   = -1
	P_ALL    = 0
	P_PID    = 1
	P_LWPID  = 2
	P_PPID   = 3
	P_PGID   = 4
	P_SID    = 5
	P_CID    = 6
	P_UID    = 7
	P_GID    = 8
	P_TASKID = 9
	P_PROJID = 10
	P_POOLID = 11
	P_ZONEID = 12
	P_CTID   = 13
	P_CPUID  = 14
	P_PSETID = 15
)

// Status encodings of sys/sys/wait.h 1.38.
const (
	WCOREFLAG        = 0x80   // WCOREFLAG (0200)
	WContinuedStatus = 0xffff // _WCONTINUED: the whole status of a continued child
	wStopped         = 0x7f   // _WSTOPPED (0177): the low 7 bits of a stop status
)

// WaitStatus decodes a NetBSD wait status per sys/sys/wait.h 1.38. Unlike
// x/sys's BSD WaitStatus it reports SIGSTOP stops as stops: stopped means
// low 7 bits 0177 and the status is not _WCONTINUED (0xffff).
type WaitStatus uint32

// WExitCode is W_EXITCODE(ret, sig): ret<<8 | sig.
func WExitCode(ret, sig int) WaitStatus {
	return WaitStatus(uint32(ret)<<8 | uint32(sig))
}

// WStopCode is W_STOPCODE(sig): sig<<8 | 0177.
func WStopCode(sig int) WaitStatus {
	return WaitStatus(uint32(sig)<<8 | wStopped)
}

func (w WaitStatus) low() uint32  { return uint32(w) & 0x7f }      // _WSTATUS
func (w WaitStatus) high() uint32 { return uint32(w) >> 8 & 0xff } // WEXITSTATUS, WSTOPSIG

// Exited is WIFEXITED: the child called exit.
func (w WaitStatus) Exited() bool { return w.low() == 0 }

// ExitStatus is WEXITSTATUS, or -1 if the child did not exit.
func (w WaitStatus) ExitStatus() int {
	if !w.Exited() {
		return -1
	}
	return int(w.high())
}

// Continued is WIFCONTINUED: the status is _WCONTINUED.
func (w WaitStatus) Continued() bool { return w == WContinuedStatus }

// Stopped is WIFSTOPPED: low 7 bits 0177 and not continued.
func (w WaitStatus) Stopped() bool { return w.low() == wStopped && !w.Continued() }

// StopSignal is WSTOPSIG, or -1 if the child is not stopped.
func (w WaitStatus) StopSignal() int {
	if !w.Stopped() {
		return -1
	}
	return int(w.high())
}

// Signaled is WIFSIGNALED: neither stopped, continued nor exited.
func (w WaitStatus) Signaled() bool { return !w.Stopped() && !w.Continued() && !w.Exited() }

// Signal is WTERMSIG, or -1 if the child was not killed by a signal.
func (w WaitStatus) Signal() int {
	if !w.Signaled() {
		return -1
	}
	return int(w.low())
}

// CoreDump is WCOREDUMP of a child killed by a signal.
func (w WaitStatus) CoreDump() bool { return w.Signaled() && w&WCOREFLAG != 0 }

// String describes the status, e.g. "exited 5", "killed by signal 6 (core
// dumped)", "stopped by signal 17", "continued".
func (w WaitStatus) String() string {
	switch {
	case w.Exited():
		return fmt.Sprintf("exited %d", w.ExitStatus())
	case w.Stopped():
		return fmt.Sprintf("stopped by signal %d", w.StopSignal())
	case w.Continued():
		return "continued"
	case w.CoreDump():
		return fmt.Sprintf("killed by signal %d (core dumped)", w.Signal())
	}
	return fmt.Sprintf("killed by signal %d", w.Signal())
}
