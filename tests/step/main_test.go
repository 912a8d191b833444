// Package step is the ATF program t_step: single step (PT_STEP N times
// runs exactly N instructions of a known sequence, each stop SIGTRAP with
// the kernel's step si_code and the PC at the next instruction;
// PT_SETSTEP/PT_CLEARSTEP; stepping with SIGTRAP blocked or ignored),
// system call emulation (PT_SYSCALLEMU; Linux PTRACE_SYSEMU), and the x86
// debug registers (PT_GETDBREGS/PT_SETDBREGS; Linux u_debugreg): DR0..DR3
// round trips, data watchpoints and code breakpoints with the kernel's
// si_code and DR6, no inheritance across execve or by a new LWP, and the
// MOV SS/int3 sequence of CVE-2018-8897.
package step

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
