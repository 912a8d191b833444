package raw

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Every child is made with clone(2): in the kernel fork(2) is
// clone(SIGCHLD) and vfork(2) is clone(CLONE_VM|CLONE_VFORK|SIGCHLD)
// (kernel/fork.c), and arm64 has no fork or vfork entry at all.
const (
	cloneTrap = unix.SYS_CLONE
	sigchld   = uintptr(unix.SIGCHLD)

	// exit(2) ends the calling thread. The children are single-threaded, so
	// it ends the process with that status; a CLONE_THREAD child ends
	// without taking the parent's threads with it, as exit_group would.
	sysExit   = unix.SYS_EXIT
	sysExecve = unix.SYS_EXECVE

	sysPtrace = unix.SYS_PTRACE
	ptTraceMe = unix.PTRACE_TRACEME
)

var (
	forkCall      = childCall{cloneTrap, sigchld}
	vforkNoVMCall = childCall{cloneTrap, unix.CLONE_VFORK | sigchld}
	vforkCall     = childCall{cloneTrap, unix.CLONE_VM | unix.CLONE_VFORK | sigchld}
)

// cloneStack returns the stack for a clone child. Without CLONE_VM the child
// has its own copy of the address space and may keep the parent's stack
// pointer, which clone takes as 0.
func cloneStack(flags uintptr) uintptr {
	if flags&unix.CLONE_VM == 0 {
		return 0
	}
	return childStackTop()
}

type sigset = unix.Sigset_t

const (
	sigBlock   = unix.SIG_BLOCK
	sigUnblock = unix.SIG_UNBLOCK
	sigSetmask = unix.SIG_SETMASK

	// nsig is _NSIG + 1: signals are 1..64.
	nsig = 65

	// kernelSigsetSize is the sigsetsize rt_sigaction and rt_sigprocmask
	// insist on: the kernel's sigset_t is 64 bits on every architecture.
	kernelSigsetSize = 8
)

func sigprocmask(how int, set, old *sigset) error { return unix.PthreadSigmask(how, set, old) }

// sigactiont is the struct sigaction rt_sigaction reads on amd64, arm64, 386
// and arm (all have sa_restorer; include/linux/signal_types.h). On 386 and arm
// the 64-bit mask is 4-byte aligned in C as in Go.
type sigactiont struct {
	handler, flags, restorer uintptr
	mask                     uint64
}

func sigaction(sig int, act, old *sigactiont) error {
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), kernelSigsetSize, 0, 0)
	return errnoErr(e)
}

func sigactionStep(sig int, act *sigactiont) sysStep {
	return sysStep{trap: unix.SYS_RT_SIGACTION, a1: uintptr(sig),
		a2: uintptr(unsafe.Pointer(act)), a4: kernelSigsetSize}
}

func setmaskStep(set *sigset) sysStep {
	return sysStep{trap: unix.SYS_RT_SIGPROCMASK, a1: sigSetmask,
		a2: uintptr(unsafe.Pointer(set)), a4: kernelSigsetSize}
}

func threadID() int { return unix.Gettid() }

func lwpKill(tid, sig int) error { return unix.Tgkill(unix.Getpid(), tid, unix.Signal(sig)) }

func allowAnyTracer() { _ = unix.Prctl(unix.PR_SET_PTRACER, unix.PR_SET_PTRACER_ANY, 0, 0, 0) }

func spawn(path string, argv, envv []string) (int, error) { return VforkExec(path, argv, envv) }

// childExit is the step list of a creation child that exits with code:
// exit at once.
func childExit(code uint8) *sysStep { return &exitSteps[code] }
