package raw

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// System call numbers from sys/kern/syscalls.master (NetBSD 10). x/sys has
// neither __vfork14 nor __sigprocmask14, so all the ones used here are named
// in this one place.
const (
	sysExit              = 1
	sysFork              = 2
	sysPtrace            = 26
	sysExecve            = 59
	sysVfork             = 66  // 4.4BSD vfork: FORK_PPWAIT, the address space is copied
	sysVfork14           = 282 // __vfork14: FORK_PPWAIT|FORK_SHAREVM, libc's vfork
	sysClone             = 287 // __clone(flags|exit signal, stack)
	sysSigprocmask14     = 293
	sysLwpSelf           = 311
	sysLwpKill           = 318
	sysSigactionSigtramp = 340
	sysNanosleep50       = 430
	sysPosixSpawn        = 474
)

// ptTraceMe is PT_TRACE_ME (sys/sys/ptrace.h).
const ptTraceMe = 0

const cloneTrap = sysClone

var (
	forkCall      = childCall{sysFork, 0}
	vforkNoVMCall = childCall{sysVfork, 0}
	vforkCall     = childCall{sysVfork14, 0}
)

// cloneStack returns the stack for a __clone child. The kernel moves the
// child to the stack it is given (cpu_lwp_fork); with NULL it would keep the
// parent's stack pointer, which a CLONE_VM child must not share.
func cloneStack(uintptr) uintptr { return childStackTop() }

// sigset is sigset_t (sys/sys/sigtypes.h): four 32-bit words.
type sigset struct{ Val [4]uint32 }

// sys/sys/signal.h
const (
	sigBlock   = 1
	sigUnblock = 2
	sigSetmask = 3

	// nsig is _NSIG: signals are 1..63.
	nsig = 64
)

func sigprocmask(how int, set, old *sigset) error {
	_, _, e := unix.RawSyscall(sysSigprocmask14, uintptr(how),
		uintptr(unsafe.Pointer(set)), uintptr(unsafe.Pointer(old)))
	return errnoErr(e)
}

// sigactiont is struct sigaction (sys/sys/signal.h): handler, mask, flags.
type sigactiont struct {
	handler uintptr
	mask    sigset
	flags   int32
}

// sigaction calls __sigaction_sigtramp(sig, act, oact, tramp, vers) with no
// trampoline and version 0: SIG_DFL and SIG_IGN need no trampoline, and the
// kernel (sigaction1) checks the version only for a real handler.
func sigaction(sig int, act, old *sigactiont) error {
	_, _, e := unix.RawSyscall6(sysSigactionSigtramp, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 0, 0, 0)
	return errnoErr(e)
}

func sigactionStep(sig int, act *sigactiont) sysStep {
	return sysStep{trap: sysSigactionSigtramp, a1: uintptr(sig), a2: uintptr(unsafe.Pointer(act))}
}

func setmaskStep(set *sigset) sysStep {
	return sysStep{trap: sysSigprocmask14, a1: sigSetmask, a2: uintptr(unsafe.Pointer(set))}
}

func threadID() int {
	lwp, _, _ := unix.RawSyscall(sysLwpSelf, 0, 0, 0)
	return int(lwp)
}

func lwpKill(lwp, sig int) error {
	_, _, e := unix.RawSyscall(sysLwpKill, uintptr(lwp), uintptr(sig), 0)
	return errnoErr(e)
}

func allowAnyTracer() {}

// spawn is posix_spawn(&pid, path, NULL, NULL, argv, envp). The kernel makes
// and execs the child itself, so no user code runs in it and the signal mask
// is left alone: the new image inherits the caller's mask, as POSIX says.
// The kernel reports failure in the return value, with the carry clear
// (sys_posix_spawn sets *retval to the error and returns 0).
func spawn(path string, argv, envv []string) (int, error) {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return 0, err
	}
	a, err := cStrings(argv)
	if err != nil {
		return 0, err
	}
	e, err := cStrings(envv)
	if err != nil {
		return 0, err
	}
	var pid int32
	r, _, errno := unix.Syscall6(sysPosixSpawn, uintptr(unsafe.Pointer(&pid)), uintptr(unsafe.Pointer(p)),
		0, 0, uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&e[0])))
	if errno != 0 {
		return 0, errno
	}
	if r != 0 {
		return 0, unix.Errno(r)
	}
	return int(pid), nil
}

// forkeeWait is how long a creation child waits before it exits on a kernel
// that never stops a traced forkee for its creation (before
// nbabi.FeatureForkeeReport). There the forkee runs at once, and one that
// exits while its creator's fork/vfork event stop is still uncollected
// races with that stop: measured on 8.99.25, about one creation case in a
// hundred lost the creator's event (fork8, vfork12, vfork_novm4,
// clone_sighand6, each once). Those cases are about what is reported, not
// about that race, so the child gives the tracer time to collect its
// creator first; with the wait no case lost it in the runs since.
var forkeeWait = unix.Timespec{Nsec: 100_000_000}

// delayedExitSteps[c] is "nanosleep(forkeeWait); exit(c)", read-only once
// built, like exitSteps.
var delayedExitSteps [256][2]sysStep

var forkeeRuns = sync.OnceValue(func() bool {
	rev, err := unix.SysctlUint32("kern.osrevision")
	if err != nil || nbabi.FeatureForkeeReport.Missing(rev) == "" {
		return false
	}
	for c := range delayedExitSteps {
		delayedExitSteps[c] = [2]sysStep{
			{trap: sysNanosleep50, a1: uintptr(unsafe.Pointer(&forkeeWait))},
			exitStep(c),
		}
	}
	return true
})

// childExit is the step list of a creation child that exits with code.
func childExit(code uint8) *sysStep {
	if forkeeRuns() {
		return &delayedExitSteps[code][0]
	}
	return &exitSteps[code]
}
