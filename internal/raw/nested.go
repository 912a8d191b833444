//go:build linux || netbsd

package raw

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Inner is how a vforked child (VforkThen) creates a child of its own.
type Inner struct{ call childCall }

// InnerFork: the kernel's plain fork (Linux clone(SIGCHLD); NetBSD fork).
func InnerFork() Inner { return Inner{forkCall} }

// InnerVfork: the real vfork with shared VM (Linux
// clone(CLONE_VM|CLONE_VFORK|SIGCHLD); NetBSD __vfork14).
func InnerVfork() Inner { return Inner{vforkCall} }

// InnerClone: clone with flags (CLONE_* bits) and SIGCHLD as exit signal.
func InnerClone(flags int) (Inner, error) {
	f, err := cloneFlags(flags, int(unix.SIGCHLD))
	if err != nil {
		return Inner{}, err
	}
	return Inner{childCall{cloneTrap, f}}, nil
}

// nestPlan is everything the children of VforkThen read and write. The
// parent keeps it alive and sleeps in vfork until the outer child has left;
// the outer child waits for its own child before it exits.
type nestPlan struct {
	steps  [4]sysStep
	status int32 // the outer child's wait4 status for its own child
}

// VforkThen creates a child with the real vfork (shared VM, as VforkExit).
// The child calls PT_TRACE_ME first when traceMe is set (its parent, asleep
// in vfork, becomes its tracer), creates a child of its own with inner,
// waits for it with wait4(-1, &status, WALL) and exits with code. VforkThen
// returns once the child has left, with the child's pid and the raw wait
// status the child's wait4 stored (-1 if it stored none).
//
// No step can branch, so the grandchild runs the same list after inner
// returns 0 in it: its wait4 finds no children (ECHILD, nothing stored) and
// it exits with code as well. Every result is ignored, including that of
// PT_TRACE_ME; the kernel's answers show in what the tracer sees.
func VforkThen(traceMe bool, inner Inner, code int) (pid, innerStatus int, err error) {
	plan := &nestPlan{status: -1}
	n := 0
	if mutTraceMe(traceMe) {
		plan.steps[n] = sysStep{trap: sysPtrace, a1: ptTraceMe}
		n++
	}
	plan.steps[n] = sysStep{trap: inner.call.trap, a1: inner.call.flags, a2: innerStack(inner.call)}
	plan.steps[n+1] = sysStep{trap: unix.SYS_WAIT4, a1: ^uintptr(0), // pid -1: any child
		a2: uintptr(unsafe.Pointer(&plan.status)), a3: unix.WALL}
	plan.steps[n+2] = exitStep(code)
	pid, err = forkChild(vforkCall, 0, func(*sigset) *sysStep { return &plan.steps[0] })
	innerStatus = int(plan.status)
	runtime.KeepAlive(plan)
	return pid, innerStatus, err
}

// innerStack is the stack of a clone grandchild: one of its own when it
// shares the address space (see cloneStack); fork and vfork take none.
func innerStack(c childCall) uintptr {
	if c.trap != cloneTrap {
		return 0
	}
	return cloneStack(c.flags)
}
