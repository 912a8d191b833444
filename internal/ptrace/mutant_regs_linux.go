//go:build mutation && linux

package ptrace

// Register-set mutants: a kernel that reads, writes or dumps an LWP's
// registers wrongly, injected where the tracer takes the sets from the
// kernel (GetRegSet, SetRegSet, ReadCore).

// Added in a variable initializer: mutant_linux.go checks the name in an
// init function, after every variable is set.
var _ = func() bool {
	Mutants["regs-wrong-value"] = "PTRACE_GETREGSET(NT_PRSTATUS) returns rbx off by one"
	Mutants["setregs-lost"] = "PTRACE_SETREGSET(NT_PRSTATUS) succeeds but is not applied"
	Mutants["fpregs-set-lost"] = "PTRACE_SETREGSET(NT_PRFPREG) and NT_X86_XSTATE succeed but are not applied"
	Mutants["fpregs-wrong-value"] = "PTRACE_GETREGSET(NT_PRFPREG) and NT_X86_XSTATE return xmm1 and st1 (mm1) with their low byte off by one"
	Mutants["xstate-bv-ignored"] = "PTRACE_SETREGSET(NT_X86_XSTATE) ignores XSTATE_BV: a component whose bit is clear is written from the area instead of reset to its initial state"
	Mutants["setregs-wrong-lwp"] = "PTRACE_SETREGSET(NT_PRSTATUS) of a thread writes the registers of the thread-group leader"
	Mutants["fpregs-wrong-lwp"] = "PTRACE_SETREGSET(NT_PRFPREG) and NT_X86_XSTATE of a thread write the FP registers of the thread-group leader"
	Mutants["core-regs-wrong"] = "the NT_PRSTATUS note of a core dump has rbx off by one"
	Mutants["regs-pc-sp-intrv-wrong"] = "PTRACE_GETREGSET(NT_PRSTATUS) returns rip, rsp and rax (PTRACE_REG_PC, PTRACE_REG_SP, PTRACE_REG_INTRV) off by 0x10000"
	return true
}()

func mutGetRegs(r *Regs) {
	switch {
	case mutant == "regs-wrong-value" && r.Set == RegsGP:
		r.SetWord("rbx", r.Word("rbx")+1)
	case mutant == "regs-pc-sp-intrv-wrong" && r.Set == RegsGP:
		for _, reg := range []string{"pc", "sp", "intrv"} {
			r.SetWord(reg, r.Word(reg)+0x10000)
		}
	case mutant == "fpregs-wrong-value" && (r.Set == RegsFP || r.Set == RegsXState):
		for _, reg := range []string{"xmm1", "st1"} { // st1 is also mm1
			if b := r.Slot(reg); b != nil {
				b[0]++
			}
		}
	}
}

func mutSetRegs(r Regs) (Regs, bool) {
	switch {
	case mutant == "setregs-lost" && r.Set == RegsGP:
		return r, true
	case mutant == "fpregs-set-lost" && (r.Set == RegsFP || r.Set == RegsXState):
		return r, true
	case mutant == "setregs-wrong-lwp" && r.Set == RegsGP,
		mutant == "fpregs-wrong-lwp" && (r.Set == RegsFP || r.Set == RegsXState):
		r.Lwp = 0 // setRegSet: 0 is the process's main thread
	case mutant == "xstate-bv-ignored" && r.Set == RegsXState && r.Has("xstate_bv"):
		r = r.Clone()
		r.SetWord("xstate_bv", r.Word("xstate_bv")|0x4) // XFEATURE_MASK_YMM
	}
	return r, false
}

func mutCore(c *Core) {
	if mutant != "core-regs-wrong" {
		return
	}
	for _, sets := range c.Regs {
		if r, ok := sets[RegsGP]; ok {
			r.SetWord("rbx", r.Word("rbx")+1)
		}
	}
}
