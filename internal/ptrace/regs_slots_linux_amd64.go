package ptrace

import "fmt"

// x86-64 struct user_regs_struct (arch/x86/include/asm/user_64.h), 216
// bytes, the order of pt_regs' saved registers.
var userRegsAMD64 = []string{
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
	"rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags",
	"rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
}

var linuxSlots = func() map[RegSet]map[string]Slot {
	gp := map[string]Slot{}
	for i, n := range userRegsAMD64 {
		gp[n] = Slot{8 * i, 8}
	}
	gp["pc"], gp["sp"], gp["intrv"] = gp["rip"], gp["rsp"], gp["rax"]
	// user_fpregs_struct is the FXSAVE image; the XSAVE area starts with
	// it, then the 64-byte header (XSTATE_BV at 512), then the AVX
	// component at its architectural offset 576 (Intel SDM vol. 1 13.4).
	fp := fxsaveSlots(0)
	xs := fxsaveSlots(0)
	xs["xstate_bv"] = Slot{512, 8}
	for i := 0; i < 16; i++ {
		xs[fmt.Sprintf("ymmh%d", i)] = Slot{576 + 16*i, 16}
	}
	return map[RegSet]map[string]Slot{RegsGP: gp, RegsFP: fp, RegsXState: xs}
}()

func regSlots(s RegSet) map[string]Slot { return linuxSlots[s] }

// struct elf_prstatus on x86-64: pr_info (12), pr_cursig, pr_sigpend,
// pr_sighold, then pr_pid at 32; four struct timevals from 48; pr_reg at
// 112, 27 longs.
const (
	prPidOff  = 32
	prRegOff  = 112
	prRegSize = 27 * 8
)
