package main

// The single-step, system call emulation and debug-register mutants
// (internal/ptrace/mutant_step_linux.go) and the t_step cases that catch
// them.
func init() {
	table = append(table,
		r("step-extra", "a single step runs two instructions (its first stop lost)",
			"tests/step", "step2", `PTRACE_SINGLESTEP 1 of 2 must run exactly one instruction: PC want entry\+23 \(0x[0-9a-f]+\), got entry\+28`),
		r("step-missing", "a single step's SIGTRAP stop never reported",
			"tests/step", "step1", `PTRACE_SINGLESTEP 1 of 1 must stop the tracee with SIGTRAP, TRAP_TRACE; got Exited\(5\)`),
		r("watchpoint-silent", "a debug-register write not applied: the watchpoint never fires",
			"tests/step", "dbregs_dr0_trap_variable_writeonly_4bytes", `a 4-byte write of the variable watched by DR0 \(DR7 0x[0-9a-f]+\) must stop the tracee with SIGTRAP, TRAP_HWBKPT; got Stopped\(SIGSTOP`),
		r("wrong-dr6", "DR6 names the wrong debug register",
			"tests/step", "dbregs_dr1_trap_variable_readwrite_read_byte", `DR6 must name DR1 \(B0\.\.B3 = 0x2\); got DR6 0x[0-9a-f]*4$`),
		r("wrong-si-code", "a single step's si_code wrong",
			"tests/step", "step1", `PTRACE_SINGLESTEP 1 of 1 must stop the tracee with SIGTRAP, TRAP_TRACE; got Stopped\(SIGTRAP, TRAP_BRANCH\)`),
		r("wrong-si-code", "a code breakpoint's si_code wrong",
			"tests/step", "dbregs_dr2_trap_code", `an execution breakpoint in DR2 at 0x[0-9a-f]+ must stop the tracee with SIGTRAP, TRAP_HWBKPT; got Stopped\(SIGTRAP, TRAP_UNK\)`),
		r("sysemu-ignored", "system call emulation accepted but the call run anyway",
			"tests/step", "syscallemu1", `PTRACE_SYSEMU of exit_group \(231\), argument 100: the call must be skipped and PTRACE_SYSCALL then stop at its exit; got Exited\(100\)`),
	)
}
