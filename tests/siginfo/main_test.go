// Package siginfo is the ATF program t_siginfo: what a tracer learns from a
// stop's siginfo. Syscall entry/exit stops with the syscall number,
// arguments, return values and error (NetBSD TRAP_SCE/TRAP_SCX si_sysnum,
// si_args, si_retval, si_error; Linux PTRACE_GET_SYSCALL_INFO), kill/detach/
// signal at a syscall entry, PT_GET_SIGINFO/PT_SET_SIGINFO, raise(3) after
// PT_TRACE_ME, signals the tracer delivers with PT_CONTINUE and signals
// another process sends (SI_USER, the sender in si_pid/si_uid), crash
// signals with their si_code and arch quirks, and the exec trap.
package siginfo

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
