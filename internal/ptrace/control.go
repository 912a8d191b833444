package ptrace

import (
	"encoding/binary"
	"fmt"
	"syscall"
)

// ResumeReq is one of the requests that resume a stopped tracee and take a
// resume address: NetBSD PT_CONTINUE, PT_SYSCALL, PT_DETACH, PT_STEP (addr 1:
// where it stopped; 0: rejected with EINVAL; anything else: the new PC).
// Linux's analogs ignore their addr argument.
type ResumeReq int

const (
	ReqContinue ResumeReq = iota + 1 // PT_CONTINUE / PTRACE_CONT
	ReqSyscall                       // PT_SYSCALL / PTRACE_SYSCALL
	ReqDetach                        // PT_DETACH / PTRACE_DETACH
	ReqStep                          // PT_STEP / PTRACE_SINGLESTEP
)

// ResumeReqs lists them in NetBSD's order.
var ResumeReqs = []ResumeReq{ReqContinue, ReqSyscall, ReqDetach, ReqStep}

func (r ResumeReq) String() string {
	if n, ok := resumeNames[r]; ok {
		return n
	}
	return fmt.Sprintf("ResumeReq(%d)", int(r))
}

// Ident is a short lower-case name for case idents ("pt_continue").
func (r ResumeReq) Ident() string { return resumeIdents[r] }

var resumeIdents = map[ResumeReq]string{
	ReqContinue: "pt_continue", ReqSyscall: "pt_syscall", ReqDetach: "pt_detach", ReqStep: "pt_step",
}

// ResumeMissing returns why this kernel (on this machine) lacks r, or "".
func ResumeMissing(r ResumeReq) string { return resumeMissing(r) }

// ResumeAt issues r for the stopped tracee pid with an explicit resume
// address addr and signal sig.
func (tr *Tracer) ResumeAt(pid int, r ResumeReq, addr uintptr, sig syscall.Signal) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, r.String(), r == ReqSyscall)
		tr.mutResume(pid, pid, addr)
		err = resumeAt(pid, r, addr, int(sig))
	})
	return err
}

// ResumeLwpAt resumes a stopped tracee with r at addr, the new PC being
// that of LWP lwp where the kernel lets the tracer name it (NetBSD: data
// -lwp for PT_CONTINUE/PT_SYSCALL, lwp for PT_STEP, which resume that LWP
// alone; PT_DETACH names none and sets the PC of the first LWP, as
// do_ptrace picks it). Linux traces threads: the tracee is the thread.
func (tr *Tracer) ResumeLwpAt(pid, lwp int, r ResumeReq, addr uintptr) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, r.String(), r == ReqSyscall)
		tr.mutResume(pid, lwp, addr)
		err = resumeLwpAt(pid, lwp, r, addr)
	})
	return err
}

// PC reads the program counter of LWP lwp of the stopped tracee pid
// (NetBSD PT_GETREGS with data = lwp, PTRACE_REG_PC: data 0 would name the
// kernel's "first" LWP, which in a Go tracee need not be the scenario's;
// Linux PTRACE_GETREGSET NT_PRSTATUS of thread lwp). Event.Lwp of a stop
// is the LWP to pass.
func (tr *Tracer) PC(pid, lwp int) (pc uintptr, err error) {
	tr.Do(func() { pc, err = getPC(pid, lwp) })
	return pc, err
}

// Siginfo is the siginfo of a stop as the kernel laid it out, and on NetBSD
// the LWP it belongs to (ptrace_siginfo_t.psi_lwpid; Linux: the thread).
type Siginfo struct {
	Bytes []byte
	Lwp   int
}

// Signo is si_signo (offset 0 on both kernels).
func (s Siginfo) Signo() int { return int(int32(binary.NativeEndian.Uint32(s.Bytes[0:]))) }

// Code is si_code (NetBSD: offset 4, after si_signo; Linux: offset 8,
// after si_signo and si_errno).
func (s Siginfo) Code() int { return int(int32(binary.NativeEndian.Uint32(s.Bytes[siCodeOffset:]))) }

// Addr is si_addr: the faulting address of a fault signal's siginfo.
func (s Siginfo) Addr() uintptr { return siAddr(s.Bytes) }

// SetSignal sets si_signo and si_code, to fake a signal.
func (s Siginfo) SetSignal(signo, code int) {
	binary.NativeEndian.PutUint32(s.Bytes[0:], uint32(int32(signo)))
	binary.NativeEndian.PutUint32(s.Bytes[siCodeOffset:], uint32(int32(code)))
}

// GetSiginfoName and SetSiginfoName are the requests' names on this kernel.
const (
	GetSiginfoName = getSiginfoName
	SetSiginfoName = setSiginfoName
)

// GetSiginfo reads the siginfo of pid's current stop (NetBSD
// PT_GET_SIGINFO; Linux PTRACE_GETSIGINFO).
func (tr *Tracer) GetSiginfo(pid int) (si Siginfo, err error) {
	tr.Do(func() { si, err = getSiginfoOf(pid) })
	return mutSender(mutSiginfo(si)), err
}

// SetSiginfo replaces the siginfo of pid's current stop (NetBSD
// PT_SET_SIGINFO; Linux PTRACE_SETSIGINFO).
func (tr *Tracer) SetSiginfo(pid int, si Siginfo) error {
	var err error
	tr.Do(func() { err = setSiginfoOf(pid, si, tr.sendPanicking) })
	return err
}

// SendPanicking makes the tracer send the requests it withholds from
// kernels that predate a fix because the bug takes the kernel down (see
// nbabi.FixSetSiginfoLwp): for a kernel developer who wants to see whether
// a kernel between the known revisions has the bug. A kernel that has it
// panics.
func (tr *Tracer) SendPanicking() { tr.Do(func() { tr.sendPanicking = true }) }
