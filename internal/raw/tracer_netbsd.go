package raw

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The requests a scenario that is itself a tracer (of a child that called
// PT_TRACE_ME) sends from its own thread.

// Requests from sys/sys/ptrace.h.
const (
	ptContinue   = 7
	ptGetSiginfo = 20
)

// PtraceCont resumes pid where it stopped (addr 1) with sig.
func PtraceCont(pid, sig int) error {
	_, _, e := unix.Syscall6(sysPtrace, ptContinue, uintptr(pid), 1, uintptr(sig), 0, 0)
	return errnoErr(e)
}

// ptraceSiginfoSize is sizeof(struct ptrace_siginfo), which NetBSD's own
// tests pass as data: a 128-byte siginfo_t and an lwpid_t, padded to the
// siginfo's alignment (8 where its 64-bit si_args are 8-aligned: LP64 and
// ARM EABI; 4 on i386). The ILP32 sizes are derived from the headers, not
// measured on NetBSD.
var ptraceSiginfoSize = map[string]int{"amd64": 136, "arm64": 136, "arm": 136, "386": 132}[runtime.GOARCH]

// StopSiginfo reads si_signo and si_code (offsets 0 and 4) with
// PT_GET_SIGINFO.
func StopSiginfo(pid int) (signo, code int, err error) {
	var psi [136]byte
	_, _, e := unix.Syscall6(sysPtrace, ptGetSiginfo, uintptr(pid),
		uintptr(unsafe.Pointer(&psi)), uintptr(ptraceSiginfoSize), 0, 0)
	if e != 0 {
		return 0, 0, e
	}
	return int(*(*int32)(unsafe.Pointer(&psi[0]))), int(*(*int32)(unsafe.Pointer(&psi[4]))), nil
}
