package tracer

import "ptracesuite/internal/ptrace"

// Single step, system call emulation and debug registers, under the names
// the tests use (see package ptrace).

type (
	DbRegs = ptrace.DbRegs
	SysEmu = ptrace.SysEmu
)

var (
	StepModeNames = ptrace.StepModeNames
	DbRegsNames   = ptrace.DbRegsNames
	SysEmuOn      = ptrace.SysEmuOn
)

const SyscallEmuName = ptrace.SyscallEmuName

// StepModeMissing says why this kernel has no PT_SETSTEP/PT_CLEARSTEP, or "".
func StepModeMissing() string { return ptrace.StepModeMissing() }

// StepModeMissingOn is StepModeMissing for kernel on arch.
func StepModeMissingOn(kernel, arch string) string { return ptrace.StepModeMissingOn(kernel, arch) }

// StepCodeOn is the si_code of kernel's single-step stop.
func StepCodeOn(kernel string) int { return ptrace.StepCodeOn(kernel) }

// DbRegsMissing says why this machine's kernel lets a tracer set no debug
// registers, or "".
func DbRegsMissing() string { return ptrace.DbRegsMissing() }

// DbRegsMissingOn is DbRegsMissing for kernel on arch.
func DbRegsMissingOn(kernel, arch string) string { return ptrace.DbRegsMissingOn(kernel, arch) }

// DbTrapCodeOn is the si_code of kernel's debug-register trap.
func DbTrapCodeOn(kernel string) int { return ptrace.DbTrapCodeOn(kernel) }

// TryStep single-steps LWP lwp of pid (see ptrace.Tracer.Step).
func (tr *Tracer) TryStep(pid, lwp int) error { return tr.c.Step(pid, lwp) }

// Step is TryStep failing the test on an error.
func (tr *Tracer) Step(pid, lwp int) {
	tr.tb.Helper()
	tr.request(ReqStep.String(), pid, tr.c.Step(pid, lwp))
}

// SetStep switches LWP lwp's single-step mode on (NetBSD PT_SETSTEP).
func (tr *Tracer) SetStep(pid, lwp int) {
	tr.tb.Helper()
	tr.request(StepModeNames[0], pid, tr.c.SetStep(pid, lwp))
}

// ClearStep switches it off (NetBSD PT_CLEARSTEP).
func (tr *Tracer) ClearStep(pid, lwp int) {
	tr.tb.Helper()
	tr.request(StepModeNames[1], pid, tr.c.ClearStep(pid, lwp))
}

// SyscallEmu makes the kernel skip a system call (see ptrace.SysEmuOn).
func (tr *Tracer) SyscallEmu(pid int) {
	tr.tb.Helper()
	tr.request(SyscallEmuName, pid, tr.c.SyscallEmu(pid))
}

// TryGetDbRegs reads LWP lwp's debug registers and returns the kernel's error.
func (tr *Tracer) TryGetDbRegs(pid, lwp int) (DbRegs, error) { return tr.c.GetDbRegs(pid, lwp) }

// GetDbRegs is TryGetDbRegs failing the test on an error.
func (tr *Tracer) GetDbRegs(pid, lwp int) DbRegs {
	tr.tb.Helper()
	r, err := tr.c.GetDbRegs(pid, lwp)
	tr.request(DbRegsNames[0], pid, err)
	return r
}

// TrySetDbRegs writes LWP lwp's debug registers and returns the kernel's error.
func (tr *Tracer) TrySetDbRegs(pid, lwp int, r DbRegs) error { return tr.c.SetDbRegs(pid, lwp, r) }

// SetDbRegs is TrySetDbRegs failing the test on an error.
func (tr *Tracer) SetDbRegs(pid, lwp int, r DbRegs) {
	tr.tb.Helper()
	tr.request(DbRegsNames[1], pid, tr.c.SetDbRegs(pid, lwp, r))
}
