package raw

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The requests a scenario that is itself a tracer (of a child that called
// PTRACE_TRACEME) sends from its own thread, the one the child's tracer is.

// PtraceCont resumes pid where it stopped with sig (PTRACE_CONT).
func PtraceCont(pid, sig int) error { return unix.PtraceCont(pid, sig) }

// StopSiginfo reads si_signo and si_code (offsets 0 and 8 on every
// architecture) with PTRACE_GETSIGINFO.
func StopSiginfo(pid int) (signo, code int, err error) {
	var si [128]byte
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_GETSIGINFO, uintptr(pid), 0,
		uintptr(unsafe.Pointer(&si)), 0, 0)
	if e != 0 {
		return 0, 0, e
	}
	return int(*(*int32)(unsafe.Pointer(&si[0]))), int(*(*int32)(unsafe.Pointer(&si[8]))), nil
}
