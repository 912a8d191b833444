//go:build linux || netbsd

// Package raw holds the process primitives a tracee scenario uses on its
// locked main thread: children made by fork, vfork, clone and posix_spawn,
// the thread's signal mask and the process's signal dispositions,
// thread-directed signals, PT_TRACE_ME and wait4.
//
// A child made here runs no Go code. Every creating system call is issued by
// the assembly routine rawFork, and the child executes only the system calls
// the parent listed for it (a sysStep list) before it exits or execs. This is
// what makes a shared address space safe: a CLONE_VM or __vfork14 child that
// returned into Go frames would overwrite the return addresses and locals of
// the parent, which resumes on the same stack (measured: the parent then
// exited with the child's status). Every signal is blocked on the calling
// thread while the child is created, so the child starts with all signals
// blocked and no Go signal handler can run in it.
package raw

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysStep is one system call a child executes: the trap number and up to five
// arguments, all as machine words. The field order is part of the ABI: on
// NetBSD/386 a step is the child's argument frame (the kernel skips the word
// at the stack pointer, where the trap number sits, and reads the arguments
// above it), and on NetBSD/arm the fourth and fifth arguments are read from the
// stack, where a4 and a5 sit.
type sysStep struct{ trap, a1, a2, a3, a4, a5 uintptr }

// rawFork has the kernel create a child with trap(flags, stack); Linux's
// clone gets zero for its remaining arguments. In the parent it returns the
// child's pid or the errno. The child executes steps one after the other,
// ignoring their results, until one does not return, so every list ends with
// an exit. It reads its steps and writes no memory but a raise step's pid
// (raiseTrap), and it never uses the stack it was given.
func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)

// childCall is a kernel entry point that creates a process, with the flags
// it is given.
type childCall struct{ trap, flags uintptr }

// exitSteps[c] is the step list "exit(c)". The table is filled in once at
// init and never written again, so a child that shares the address space
// may still be reading its entry after the parent has returned.
var exitSteps [256]sysStep

func init() {
	for code := range exitSteps {
		exitSteps[code] = exitStep(code)
	}
}

func exitStep(code int) sysStep { return sysStep{trap: sysExit, a1: uintptr(code)} }

// childStack is the stack given to clone children that share the address
// space. The kernel requires one (on NetBSD, and on Linux for CLONE_VM), but
// the child never touches it: it keeps its state in registers, so one stack
// serves any number of live children.
var childStack [64]uint64

// childStackTop is the initial stack pointer for a clone child; the stack
// grows down on every target, and 16 bytes is the strictest alignment
// (arm64).
func childStackTop() uintptr {
	top := uintptr(unsafe.Pointer(&childStack)) + unsafe.Sizeof(childStack)
	return top &^ 15
}

// forkChild blocks every signal on the calling thread, creates a child with
// call and stack, and restores the thread's signal mask. steps builds the
// child's step list; it gets the mask the thread had before, which a child
// that execs must restore.
func forkChild(call childCall, stack uintptr, steps func(oldMask *sigset) *sysStep) (int, error) {
	// The mask is per thread; stay on this one until it is restored.
	// LockOSThread nests, so a caller that is already locked stays locked.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	var all, old sigset
	sigfillset(&all)
	if err := sigprocmask(sigSetmask, &all, &old); err != nil {
		return 0, err
	}
	pid, errno := rawFork(call.trap, call.flags, stack, steps(&old))
	if err := sigprocmask(sigSetmask, &old, nil); err != nil {
		// Setting a valid mask cannot fail; if it did, this thread would
		// keep every signal blocked, which the Go runtime does not survive.
		panic("raw: restoring the signal mask: " + err.Error())
	}
	if errno != 0 {
		return 0, unix.Errno(errno)
	}
	return int(pid), nil
}

// forkExit creates a child that exits with code.
func forkExit(call childCall, stack uintptr, code int) (int, error) {
	return forkChild(call, stack, func(*sigset) *sysStep { return childExit(uint8(code)) })
}

// ForkExit creates a child with the kernel's plain fork (Linux
// clone(SIGCHLD); NetBSD fork(2)). The child exits with code (the kernel
// keeps its low 8 bits; see childExit for when it waits first) and
// ForkExit returns its pid.
func ForkExit(code int) (int, error) { return forkExit(forkCall, 0, code) }

// VforkNoVMExit creates a child with vfork semantics but a copied address
// space (Linux clone(CLONE_VFORK|SIGCHLD); NetBSD's 4.4BSD vfork, syscall
// 66): the parent sleeps until the child has exited with code.
func VforkNoVMExit(code int) (int, error) { return forkExit(vforkNoVMCall, 0, code) }

// VforkExit creates a child with the real vfork (Linux
// clone(CLONE_VM|CLONE_VFORK|SIGCHLD), which is what vfork(2) is in the
// kernel; NetBSD __vfork14): it shares the parent's memory and stack, and the
// parent sleeps until the child has exited with code.
func VforkExit(code int) (int, error) { return forkExit(vforkCall, 0, code) }

// cloneCSignal is the exit-signal byte of a clone flags word
// (CSIGNAL/CLONE_CSIGNAL on both kernels).
const cloneCSignal = 0xff

// CloneExit creates a child with clone (Linux clone(2); NetBSD __clone) from
// flags (CLONE_* bits) and exitSignal (the exit-signal byte, 0..255); the
// child exits with code. A child that shares the address space gets a stack
// of its own, as both kernels require. The kernel's errno comes back
// unchanged (for example EINVAL for CLONE_SIGHAND without CLONE_VM); flags
// that overlap the exit-signal byte, or an exitSignal outside it, are EINVAL
// without a system call.
func CloneExit(flags, exitSignal, code int) (int, error) {
	f, err := cloneFlags(flags, exitSignal)
	if err != nil {
		return 0, err
	}
	return forkExit(childCall{cloneTrap, f}, cloneStack(f), code)
}

// CloneNullStack issues clone with flags and exitSignal and a NULL stack.
// NetBSD's clone_null_stack test expects EINVAL, but that check is in libc's
// __clone.S ("func and stack may not be NULL"): neither sys___clone nor Linux
// clone refuses a NULL stack, and the child then keeps the parent's stack
// pointer (ours never uses it). If the kernel creates the child, it exits with
// 0 at once, CloneNullStack reaps it and returns nil; otherwise it returns the
// kernel's errno.
func CloneNullStack(flags, exitSignal int) error {
	f, err := cloneFlags(flags, exitSignal)
	if err != nil {
		return err
	}
	pid, err := forkExit(childCall{cloneTrap, f}, 0, 0)
	if err != nil {
		return err
	}
	_, err = WaitExit(pid)
	return err
}

func cloneFlags(flags, exitSignal int) (uintptr, error) {
	if flags&cloneCSignal != 0 || exitSignal&^cloneCSignal != 0 {
		return 0, unix.EINVAL
	}
	return uintptr(flags | exitSignal), nil
}

// execPlan is everything the child of VforkExec reads. The parent allocates
// it on the heap (it is passed to rawFork, so it escapes), keeps it alive, and
// sleeps in vfork until the child has exec'd or exited, so nothing the steps
// point to can move, be freed or change under the child.
type execPlan struct {
	traceMe    bool // PT_TRACE_ME first (VforkTraceMeExec)
	steps      [nsig + 3]sysStep
	dfl        sigactiont // SIG_DFL
	mask       sigset
	path       *byte
	argv, envv []*byte
}

// VforkExec creates a child with the real vfork (as VforkExit) that calls
// execve(path, argv, envv) and exits with 127 if that fails. Before the
// execve the child does what posix_spawn implementations do: it resets every
// signal that has a handler (Go's) to SIG_DFL, then restores the signal mask
// the calling thread had, so the new image starts with the caller's mask and
// ignored signals and no Go handler can run in between.
func VforkExec(path string, argv, envv []string) (int, error) {
	return vforkExec(new(execPlan), path, argv, envv)
}

// VforkTraceMeExec is VforkExec with PT_TRACE_ME as the child's first
// step: its parent, this process, asleep in vfork, becomes its tracer,
// and the exec releases it. Linux makes the calling thread the tracer;
// every later request must come from it.
func VforkTraceMeExec(path string, argv, envv []string) (int, error) {
	return vforkExec(&execPlan{traceMe: true}, path, argv, envv)
}

func vforkExec(plan *execPlan, path string, argv, envv []string) (int, error) {
	var err error
	if plan.path, err = unix.BytePtrFromString(path); err != nil {
		return 0, err
	}
	if plan.argv, err = cStrings(argv); err != nil {
		return 0, err
	}
	if plan.envv, err = cStrings(envv); err != nil {
		return 0, err
	}
	pid, err := forkChild(vforkCall, 0, plan.build)
	runtime.KeepAlive(plan)
	return pid, err
}

// build fills in the step list with the caller's old signal mask. The
// dispositions are read here, with every signal blocked, right before the
// vfork.
func (p *execPlan) build(oldMask *sigset) *sysStep {
	p.mask = *oldMask
	n := 0
	if mutTraceMe(p.traceMe) {
		p.steps[n] = sysStep{trap: sysPtrace, a1: ptTraceMe}
		n++
	}
	for sig := 1; sig < nsig; sig++ {
		var cur sigactiont
		if sigaction(sig, nil, &cur) == nil && cur.handler != sigDfl && cur.handler != sigIgn {
			p.steps[n] = sigactionStep(sig, &p.dfl)
			n++
		}
	}
	p.steps[n] = setmaskStep(&p.mask)
	p.steps[n+1] = sysStep{
		trap: sysExecve,
		a1:   uintptr(unsafe.Pointer(p.path)),
		a2:   uintptr(unsafe.Pointer(&p.argv[0])),
		a3:   uintptr(unsafe.Pointer(&p.envv[0])),
	}
	p.steps[n+2] = exitStep(127)
	return &p.steps[0]
}

// cStrings converts ss to the NULL-terminated array of C strings execve and
// posix_spawn take.
func cStrings(ss []string) ([]*byte, error) {
	out := make([]*byte, len(ss)+1)
	for i, s := range ss {
		p, err := unix.BytePtrFromString(s)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// Spawn starts path with argv and envv. On NetBSD it is the posix_spawn
// system call (474) with no file actions and no attributes, so the tracer
// sees PTRACE_POSIX_SPAWN. Linux has no spawn system call; Spawn is VforkExec
// there, which is what glibc's posix_spawn and Go's os/exec do.
func Spawn(path string, argv, envv []string) (int, error) { return spawn(path, argv, envv) }

// ThreadID returns the calling thread's id (Linux gettid; NetBSD _lwp_self).
func ThreadID() int { return threadID() }

// RaiseSelf sends sig to the calling thread only (Linux
// tgkill(getpid, gettid); NetBSD _lwp_kill(_lwp_self)). A tracer sees
// si_code SI_TKILL on Linux and SI_LWP on NetBSD.
func RaiseSelf(sig int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return lwpKill(threadID(), sig)
}

// StopSelf sends SIGSTOP to the calling thread: the scenario's ready point.
func StopSelf() error { return RaiseSelf(int(unix.SIGSTOP)) }

// TraceMe makes the parent the tracer (PTRACE_TRACEME / PT_TRACE_ME). On
// Linux only the calling thread is traced, by the thread that forked this
// process; on NetBSD the whole process is.
func TraceMe() error {
	_, _, e := unix.RawSyscall6(sysPtrace, ptTraceMe, 0, 0, 0, 0, 0)
	return errnoErr(e)
}

// AllowAnyTracer lets any process attach (Linux
// prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY)). Without the Yama LSM the prctl
// fails and nothing restricts attaching anyway, so errors are ignored. NetBSD
// has no such restriction; there it does nothing.
func AllowAnyTracer() { allowAnyTracer() }

// WaitExit waits for the child pid with wait4 and returns the raw wait
// status. It waits for children of any exit signal (Linux __WALL, NetBSD
// WALLSIG), so clone children with an exit signal other than SIGCHLD are
// reaped too.
func WaitExit(pid int) (int, error) {
	for {
		var status unix.WaitStatus
		_, err := unix.Wait4(pid, &status, unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		return int(status), nil
	}
}

func errnoErr(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
