//go:build linux || netbsd

package raw

import (
	"runtime"
	"sync/atomic"
)

// raiseTrap as a step's number makes the child loop send a signal to its
// own process (child_<arch>.h, raw_<os>_<arch>.s): it calls getpid (the
// number in a1), stores the pid in a3 and calls kill(pid, a4) (the number
// in a2). No step can use an earlier step's result, and a vfork child
// cannot learn its pid beforehand, so the two calls are one step. The
// stored pid is the only memory a child writes; a vfork child shares it
// with its parent's other threads. On NetBSD/386 a2..a4 are then the kill
// frame the kernel reads (the number in the skipped slot, pid, signal).
const raiseTrap = ^uintptr(1)

func raiseStep(sig int) sysStep {
	return sysStep{trap: raiseTrap, a1: sysGetpid, a2: sysKill, a4: uintptr(sig)}
}

// vforkRaisePlan is what a VforkRaise child's steps point to. The parent
// keeps it alive and sleeps in vfork until the child has left.
type vforkRaisePlan struct {
	act   sigactiont // SIG_DFL
	mask  sigset     // nothing blocked
	steps [5]sysStep
}

// RaiseChild is the pid a VforkRaise child stores before it signals
// itself; 0 until then.
type RaiseChild struct {
	plan atomic.Pointer[vforkRaisePlan]
}

// Pid is the child's pid once it has stored it, else 0. Any thread may
// ask, also while the creating thread sleeps in vfork.
func (c *RaiseChild) Pid() int {
	p := c.plan.Load()
	if p == nil {
		return 0
	}
	return int(atomic.LoadUintptr(&p.steps[3].a3))
}

// VforkRaise creates a child with the real vfork that sets sig's
// disposition to SIG_DFL and unblocks every signal, calls PT_TRACE_ME when
// traceMe is set (making this process its tracer), sends sig to its own
// process (kill(getpid(), sig): it has one thread, the target of raise(3))
// and exits with code if it survives. The child's pid shows in c as soon
// as the child has stored it. VforkRaise returns the pid once vfork
// returns.
func VforkRaise(sig int, traceMe bool, code int, c *RaiseChild) (int, error) {
	plan := new(vforkRaisePlan)
	plan.steps[0] = sigactionStep(sig, &plan.act)
	plan.steps[1] = setmaskStep(&plan.mask)
	plan.steps[2] = sysStep{trap: sysPtrace, a1: ptTraceMe}
	if !mutTraceMe(traceMe) {
		plan.steps[2] = setmaskStep(&plan.mask) // a step that changes nothing
	}
	plan.steps[3] = mutRaiseStep(raiseStep(sig))
	plan.steps[4] = exitStep(code)
	c.plan.Store(plan)
	pid, err := forkChild(vforkCall, 0, func(*sigset) *sysStep { return &plan.steps[0] })
	runtime.KeepAlive(plan)
	return pid, err
}
