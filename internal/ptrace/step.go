package ptrace

import "runtime"

// Single step and system call emulation: the requests that run a tracee
// for one instruction, keep it stepping across resumes, or make the kernel
// skip a system call it entered.

// Step resumes LWP lwp of the stopped tracee pid for one instruction
// (NetBSD PT_STEP, addr 1, data lwp: only that LWP is stepped; Linux
// PTRACE_SINGLESTEP of thread lwp). It stops again with SIGTRAP after the
// instruction, with the si_code StepCodeOn names.
func (tr *Tracer) Step(pid, lwp int) error {
	if why := resumeMissing(ReqStep); why != "" {
		return &MissingError{Request: ReqStep.String(), Why: why}
	}
	var err error
	tr.Do(func() {
		tr.sent(pid, resumeNames[ReqStep], false)
		err = tr.mutStep(pid, lwp, func() error { return step(pid, lwp) })
	})
	return err
}

// SetStep and ClearStep switch LWP lwp's single-step mode on and off
// (NetBSD PT_SETSTEP / PT_CLEARSTEP, data lwp): while it is on, every
// resume (PT_CONTINUE) runs one instruction and stops with SIGTRAP.
// Linux has no such mode (StepModeMissing).
func (tr *Tracer) SetStep(pid, lwp int) error { return tr.stepMode(pid, lwp, true) }

// ClearStep: see SetStep.
func (tr *Tracer) ClearStep(pid, lwp int) error { return tr.stepMode(pid, lwp, false) }

func (tr *Tracer) stepMode(pid, lwp int, on bool) error {
	name := StepModeNames[0]
	if !on {
		name = StepModeNames[1]
	}
	if why := StepModeMissing(); why != "" {
		return &MissingError{Request: name, Why: why}
	}
	var err error
	tr.Do(func() {
		tr.sent(pid, name, false)
		err = setStepMode(pid, lwp, on)
	})
	return err
}

// StepModeNames are PT_SETSTEP's and PT_CLEARSTEP's names.
var StepModeNames = [2]string{"PT_SETSTEP", "PT_CLEARSTEP"}

// StepModeMissing says why this kernel (on this machine) has no
// PT_SETSTEP/PT_CLEARSTEP, or "".
func StepModeMissing() string { return StepModeMissingOn(runtime.GOOS, runtime.GOARCH) }

// StepModeMissingOn is StepModeMissing for kernel on arch.
func StepModeMissingOn(kernel, arch string) string {
	if kernel == "linux" {
		return "Linux has no PT_SETSTEP/PT_CLEARSTEP analog: PTRACE_SINGLESTEP steps one resume at a time"
	}
	if why := ResumeMissingOn(kernel, arch, ReqStep); why != "" {
		return why
	}
	return ""
}

// stepCodeOn is the si_code of a single-step stop per kernel: NetBSD
// TRAP_TRACE (sys/sys/siginfo.h; the suite's step1..4 check it); Linux
// x86 TRAP_TRACE too, measured on Linux 6.x x86_64 (arch/x86/kernel/
// traps.c: the #DB with DR6.BS set is sent as TRAP_TRACE).
var stepCodeOn = map[string]int{"netbsd": 2, "linux": 2}

// StepCodeOn is the si_code of kernel's single-step stop.
func StepCodeOn(kernel string) int { return stepCodeOn[kernel] }

// SyscallEmuName is this kernel's request that skips a system call.
const SyscallEmuName = syscallEmuName

// SyscallEmu makes the kernel skip a system call (see SysEmuOn for where
// each kernel arms it and what it reports after): NetBSD PT_SYSCALLEMU,
// sent at a syscall entry stop and followed by PT_SYSCALL (the skipped call
// still has its exit stop); Linux PTRACE_SYSEMU, a resume that stops the
// tracee at the entry of its next system call, which the kernel then
// skips (no exit stop follows).
func (tr *Tracer) SyscallEmu(pid int) error {
	var err error
	tr.Do(func() {
		// NetBSD's request only marks the entry stop: the exit stop is
		// still owed (checkSyscall); Linux's resumes.
		tr.sent(pid, syscallEmuName, !SysEmuOn[runtime.GOOS].Resumes)
		err = tr.mutSyscallEmu(pid, func() error { return syscallEmu(pid) })
	})
	return err
}

// SysEmu is how a kernel skips a system call for its tracer.
type SysEmu struct {
	// Resumes: the request is itself a resume (Linux) and arms the next
	// entry; otherwise it is sent at the entry stop of the call to skip and
	// the tracer resumes with PT_SYSCALL (NetBSD).
	Resumes bool
	Rule    string // in the kernel's words
}

// SysEmuOn per kernel. NetBSD: sys/kern/sys_ptrace_common.c 1.53
// (PT_SYSCALLEMU needs PT_SYSCALL mode and a stopped process, sets
// PSL_SYSCALLEMU) and syscall_invoke skipping the call; the exit stop
// still comes (t_ptrace_syscall_wait.h syscallemu1 waits for it); not
// seen working on 8.99.25 in a Go tracee (nbabi.FixSyscallEmuLwps). Linux:
// kernel/entry/common.c syscall_trace_enter returns -1 under
// SYSCALL_WORK_SYSCALL_EMU after the entry report. Measured on Linux 6.x
// x86_64: PTRACE_SYSCALL from the skipped call's entry stop still stops
// at its exit; PTRACE_SYSEMU from there reports no exit stop and stops at
// the next call's entry (futex of the Go runtime), skipping that one too.
var SysEmuOn = map[string]SysEmu{
	"netbsd": {Resumes: false,
		Rule: "PT_SYSCALLEMU at the entry stop: the call is skipped; PT_SYSCALL then stops at its exit (TRAP_SCX)"},
	"linux": {Resumes: true,
		Rule: "PTRACE_SYSEMU resumes to the next entry stop and that call is skipped; PTRACE_SYSCALL then stops at its exit, while PTRACE_SYSEMU again reports no exit stop and stops at (and skips) the next call's entry"},
}
