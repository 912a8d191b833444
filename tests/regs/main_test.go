// Package regs is the ATF program t_regs: what the kernel says of, and
// does with, a stopped LWP's registers. General registers through
// PT_GETREGS/PT_SETREGS (NetBSD's access_regs1..6, x86_64_regs1,
// x86_gpregs64_*), including PTRACE_REG_PC, PTRACE_REG_SP and
// PTRACE_REG_INTRV and a PC the CPU cannot fetch from; the FPU and
// extended state through PT_GETFPREGS/PT_SETFPREGS and
// PT_GETXSTATE/PT_SETXSTATE with its component bitmap (access_fpregs1/2,
// x86_fpregs_xmm_*, x86_xstate_*); the same registers in a core file's
// notes (the *_core variants); PT_DUMPCORE (core_dump_procinfo); and the
// per-LWP rule: one LWP's registers are not another's.
//
// The registers the tracee loads are loaded by one assembly routine that
// also stops the thread (internal/raw regsLoadStop), so no Go code runs
// between the loads and the stop, and that stores the registers again once
// resumed, so the tracee reports what a write made it see.
package regs

import (
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
)

func TestMain(m *testing.M) {
	tracee.RunIfRequested()
	semantics.DumpIfRequested()
	atfshim.Main(m)
}
