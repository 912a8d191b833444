package ptrace

import (
	"fmt"
	"runtime"

	"ptracesuite/internal/nbabi"
)

const syscallEmuName = "PT_SYSCALLEMU"

// step: PT_STEP with addr 1 (where it stopped) and data lwp, which steps
// that LWP (do_ptrace reads data > 0 of PT_STEP as the LWP, 0 as the first).
func step(pid, lwp int) error { return resumeAt(pid, ReqStep, 1, lwp) }

// setStepMode: PT_SETSTEP / PT_CLEARSTEP with data the LWP (0: the first).
func setStepMode(pid, lwp int, on bool) error {
	md := nbabi.MDRequests[runtime.GOARCH]
	req := md.SetStep
	if !on {
		req = md.ClearStep
	}
	if req == 0 {
		return fmt.Errorf("NetBSD/%s defines no PT_SETSTEP/PT_CLEARSTEP", runtime.GOARCH)
	}
	return ptrace(req, pid, 1, lwp)
}

// syscallEmu: PT_SYSCALLEMU (15) at a syscall entry stop; addr and data
// are not read.
func syscallEmu(pid int) error { return ptrace(nbabi.PT_SYSCALLEMU, pid, 1, 0) }
