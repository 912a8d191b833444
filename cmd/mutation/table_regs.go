package main

// The register-set mutants (internal/ptrace/mutant_regs_linux.go) and the
// tests/regs cases that catch them.
func init() {
	table = append(table,
		r("regs-wrong-value", "a general register read wrong (PT_GETREGS off by one in one member)",
			"tests/regs", "access_regs1", `PTRACE_GETREGSET\(NT_PRSTATUS\) of LWP \d+ of pid \d+: rbx is 0x[0-9a-f]+, want 0x[0-9a-f]+`),
		r("setregs-lost", "PT_SETREGS not applied",
			"tests/regs", "access_regs6", `PTRACE_GETREGSET\(NT_PRSTATUS\) after PTRACE_SETREGSET\(NT_PRSTATUS\): rbx is 0x[0-9a-f]+, want 0x[0-9a-f]+`),
		r("fpregs-set-lost", "PT_SETFPREGS not applied",
			"tests/regs", "access_fpregs2", `PTRACE_SETREGSET\(NT_PRFPREG\) of LWP \d+: once resumed the LWP had xmm0 = [0-9a-f]+, the tracer wrote [0-9a-f]+`),
		r("fpregs-wrong-value", "an xmm register read wrong (PT_GETFPREGS)",
			"tests/regs", "access_fpregs1", `PTRACE_GETREGSET\(NT_PRFPREG\) of LWP \d+: xmm1 is [0-9a-f]+, want [0-9a-f]+`),
		r("fpregs-wrong-value", "an x87/MMX register read wrong (PT_GETFPREGS)",
			"tests/regs", "x86_fpregs_mm_read", `PTRACE_GETREGSET\(NT_PRFPREG\) of LWP \d+: mm1 is [0-9a-f]+, want [0-9a-f]+`),
		r("xstate-bv-ignored", "PT_SETXSTATE ignores xs_xstate_bv: a cleared component is written, not reset",
			"tests/regs", "x86_xstate_ymm_reset", `PTRACE_SETREGSET\(NT_X86_XSTATE\) of LWP \d+ \(XSTATE_BV 0x[0-9a-f]+\): once resumed the LWP had ymmh0 = [0-9a-f]+, want 0+$`),
		r("setregs-wrong-lwp", "PT_SETREGS of one LWP applied to another",
			"tests/regs", "regs_per_lwp", `(PTRACE_GETREGSET\(NT_PRSTATUS\) of LWP \d+ after PTRACE_SETREGSET\(NT_PRSTATUS\) of it: r15 is 0x[0-9a-f]+, want 0x7e57|PTRACE_SETREGSET\(NT_PRSTATUS\)\(pid \d+\): no such process \(pid \d+ is running)`),
		r("fpregs-wrong-lwp", "PT_SETFPREGS of one LWP applied to another",
			"tests/regs", "regs_per_lwp", `PTRACE_GETREGSET\(NT_PRFPREG\) of LWP \d+: xmm15 is 0+, want [0-9a-f]+7e577e57 \(after PTRACE_SETREGSET\(NT_PRFPREG\) of it\)`),
		r("regs-pc-sp-intrv-wrong", "the PC read wrong (PTRACE_REG_PC)",
			"tests/regs", "access_regs2", `PTRACE_GETREGSET\(NT_PRSTATUS\) of LWP \d+: PTRACE_REG_PC 0x[0-9a-f]+ is in .*, want inside it`),
		r("regs-pc-sp-intrv-wrong", "the stack pointer read wrong (PTRACE_REG_SP)",
			"tests/regs", "access_regs4", `PTRACE_GETREGSET\(NT_PRSTATUS\) of LWP \d+: PTRACE_REG_SP is 0x[0-9a-f]+, the LWP's stack pointer at the stop was 0x[0-9a-f]+`),
		r("regs-pc-sp-intrv-wrong", "the return-value register read wrong (PTRACE_REG_INTRV)",
			"tests/regs", "access_regs5", `PTRACE_GETREGSET\(NT_PRSTATUS\) of LWP \d+: PTRACE_REG_INTRV is 0x10000 after the self-signal that succeeded, want 0`),
		r("core-regs-wrong", "a core dump's general-register note wrong",
			"tests/regs", "x86_gpregs64_core", `core note \(PTRACE_GETREGSET\(NT_PRSTATUS\) layout\) of LWP \d+: rbx is 0x[0-9a-f]+, want 0x[0-9a-f]+`),
	)
}
