package ptrace

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

var resumeReqs = map[ResumeReq]int{
	ReqContinue: unix.PTRACE_CONT, ReqSyscall: unix.PTRACE_SYSCALL,
	ReqDetach: unix.PTRACE_DETACH, ReqStep: unix.PTRACE_SINGLESTEP,
}

// resumeAt: Linux's resume requests ignore addr (kernel/ptrace.c
// ptrace_resume reads only data); it is passed anyway so the test shows it.
func resumeLwpAt(pid, _ int, r ResumeReq, addr uintptr) error { return resumeAt(pid, r, addr, 0) }

func resumeAt(pid int, r ResumeReq, addr uintptr, sig int) error {
	return ptraceRaw(resumeReqs[r], pid, addr, uintptr(sig))
}

// getPC: Linux traces threads; the registers are those of thread lwp.
func getPC(pid, lwp int) (uintptr, error) {
	if lwp == 0 {
		lwp = pid
	}
	var regs unix.PtraceRegs
	if err := unix.PtraceGetRegs(lwp, &regs); err != nil {
		return 0, err
	}
	return uintptr(regs.PC()), nil
}

const (
	getSiginfoName = "PTRACE_GETSIGINFO"
	setSiginfoName = "PTRACE_SETSIGINFO"
	siCodeOffset   = 8 // si_signo, si_errno, si_code (include/uapi/asm-generic/siginfo.h)
)

// siAddr: si_addr is the first member of the union (_sigfault).
func siAddr(b []byte) uintptr {
	if len(b) < siUnion+int(unsafe.Sizeof(uintptr(0))) {
		return 0
	}
	return *(*uintptr)(unsafe.Pointer(&b[siUnion]))
}

func getSiginfoOf(pid int) (Siginfo, error) {
	si, err := getSiginfo(pid)
	if err != nil {
		return Siginfo{}, err
	}
	return Siginfo{Bytes: append([]byte(nil), si.bytes()...), Lwp: pid}, nil
}

func setSiginfoOf(pid int, s Siginfo, _ bool) error {
	var si siginfoBuf
	copy(si.bytes(), s.Bytes)
	return ptraceRaw(unix.PTRACE_SETSIGINFO, pid, 0, uintptr(unsafe.Pointer(&si)))
}

// traceExec adds PTRACE_O_TRACEEXEC to the options of the event mask last
// set (Linux cannot read options back).
func traceExec(pid int, m Mask, nets bool) error {
	opts := baseOptions(nets) | unix.PTRACE_O_TRACEEXEC
	for _, x := range linuxOptions {
		if m&x.m != 0 {
			opts |= x.opt
		}
	}
	return unix.PtraceSetOptions(pid, opts)
}
