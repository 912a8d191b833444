//go:build linux && (amd64 || arm64 || 386 || arm)

package ptrace

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// QuietStops asks the kernel not to send this process a SIGCHLD at each
// stop of a tracee: it sets SA_NOCLDSTOP on the SIGCHLD action the Go
// runtime installed, keeping its handler. It changes the whole process
// (a SIGCHLD that os/signal relays no longer comes for a child's stop or
// continue), so it is for a tracer command to call (cmd/picotrace,
// cmd/bench), not the core itself or the test harness. Linux sends the tracer a
// SIGCHLD at every ptrace stop unless that flag is set
// (kernel/signal.c do_notify_parent_cldstop) and wakes its wait4 either
// way; the Go runtime's handler (it installs one for SIGCHLD, which
// picotrace never asks for) then runs for nothing on the tracer thread,
// a signal frame and an FPU save and restore per stop: a tenth of
// picotrace's time on 100,000 getpid calls (make bench, README), and as
// much as the core's own work per stop in a bare PTRACE_SYSCALL loop. A C
// tracer such as strace leaves SIGCHLD at SIG_DFL, which the kernel
// discards unsent. A child's death still sends SIGCHLD, and the core
// waits for none: wait4 reports every stop. Ignoring SIGCHLD
// instead (SIG_IGN) would reap children unasked and be inherited by the
// command across its execve.
func QuietStops() error {
	var act kernelSigaction
	if err := rtSigaction(int(unix.SIGCHLD), nil, &act); err != nil {
		return err
	}
	act.flags |= saNoCldStop
	return rtSigaction(int(unix.SIGCHLD), &act, nil)
}

// kernelSigaction is the struct sigaction rt_sigaction reads on amd64, arm64,
// 386 and arm, which all have sa_restorer (include/linux/signal_types.h,
// arch/*/include/uapi/asm/signal.h): handler, flags, restorer, mask.
type kernelSigaction struct {
	handler, flags, restorer uintptr
	mask                     uint64
}

// saNoCldStop is SA_NOCLDSTOP (include/uapi/asm-generic/signal-defs.h,
// arch/x86 and arch/arm alike); x/sys/unix lacks it.
const saNoCldStop = 0x1

// rtSigaction is rt_sigaction(2) with the kernel's 8-byte sigset.
func rtSigaction(sig int, act, old *kernelSigaction) error {
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}
