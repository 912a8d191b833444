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
		r("dbregs-stale", "debug registers not cleared for a new LWP: it starts with the last ones set",
			"tests/step", "dbregs_dr1_dont_inherit_lwp", `LWP \d+ created by LWP \d+ \(DR1 0x[0-9a-f]+, DR7 0x[0-9a-f]+\) must start with DR0-DR3 0 and DR7 0x[0-9a-f]+; got DR0 0x0 DR1 0x[0-9a-f]+`),
		r("dbregs-stale", "debug registers not cleared for a new process: it starts with another's",
			"tests/step", "dbregs_print", `of a new process: want DR0-DR3 0 and no DR7 enable, got DR0 0x[1-9a-f][0-9a-f]*`),
		r("dbregs-lost", "a debug-register write accepted but DR0-DR3 not kept",
			"tests/step", "dbregs_preserve_dr2_continued", `DR2 set to 0x[0-9a-f]+ must read back the same at the tracee's next stop: set .*DR2 0x[1-9a-f][0-9a-f]* .*, got DR0 0x0 DR1 0x0 DR2 0x0`),
		r("kill-not-reported", "a tracee SIGKILLed with a watchpoint armed reported as exiting 0",
			"tests/step", "dbregs_kill_armed", `PT_KILL of a tracee with a watchpoint armed: want Killed\(SIGKILL, core false\), got Exited\(0\)`),
		r("wrong-si-code", "the int3 trap's si_code wrong after a MOV SS #DB (CVE-2018-8897)",
			"tests/step", "x86_cve_2018_8897", `MOV SS from a watched variable then int3: want SIGTRAP stops \[\[SI_KERNEL\]\] \(by si_code\), got \[code 129\]`),
		r("sysemu-ignored", "system call emulation accepted but the call run anyway",
			"tests/step", "syscallemu1", `PTRACE_SYSEMU of exit_group \(231\), argument 100: the call must be skipped and PTRACE_SYSCALL then stop at its exit; got Exited\(100\)`),
	)
}
