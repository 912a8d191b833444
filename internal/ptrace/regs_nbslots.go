package ptrace

import (
	"fmt"
	"unsafe"

	"ptracesuite/internal/nbabi"
)

// NetBSD's register-set slot tables, in a file of every build so that
// their test (regs_nbslots_test.go) holds them against nbabi's layouts on
// any host.

// netbsdSlots are the members of struct reg, struct fpreg and struct
// xstate of each machine (nbabi's layouts), with PTRACE_REG_PC,
// PTRACE_REG_SP and PTRACE_REG_INTRV as "pc", "sp", "intrv".
var netbsdSlots = map[string]map[RegSet]map[string]Slot{
	"amd64": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i, n := range amd64RegNames {
				m[n] = Slot{8 * i, 8}
			}
			m["pc"], m["sp"], m["intrv"] = m["rip"], m["rsp"], m["rax"]
			return m
		}(),
		RegsFP:     fxsaveSlots(0),
		RegsXState: xstateSlots(),
	},
	"386": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i, n := range []string{"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"} {
				m[n] = Slot{4 * i, 4}
			}
			m["pc"], m["sp"], m["intrv"] = m["eip"], m["esp"], m["eax"]
			return m
		}(),
		// struct save87: cw, sw, tw 4-aligned, two fp_addr, then st0..7 of
		// 10 bytes from 28.
		RegsFP: func() map[string]Slot {
			m := map[string]Slot{"cw": {0, 2}, "sw": {4, 2}}
			for i := 0; i < 8; i++ {
				m[fmt.Sprintf("st%d", i)] = Slot{28 + 10*i, 10}
			}
			return m
		}(),
		RegsXState: xstateSlots(),
	},
	"arm64": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i := 0; i < 31; i++ {
				m[fmt.Sprintf("x%d", i)] = Slot{8 * i, 8}
			}
			m["sp"], m["pc"], m["spsr"], m["tpidr"] = Slot{248, 8}, Slot{256, 8}, Slot{264, 8}, Slot{272, 8}
			m["intrv"] = m["x0"]
			return m
		}(),
		RegsFP: func() map[string]Slot {
			m := map[string]Slot{"fpcr": {512, 4}, "fpsr": {516, 4}}
			for i := 0; i < 32; i++ {
				m[fmt.Sprintf("v%d", i)] = Slot{16 * i, 16}
			}
			return m
		}(),
	},
	"arm": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i := 0; i < 13; i++ {
				m[fmt.Sprintf("r%d", i)] = Slot{4 * i, 4}
			}
			m["sp"], m["lr"], m["pc"], m["cpsr"] = Slot{52, 4}, Slot{56, 4}, Slot{60, 4}, Slot{64, 4}
			m["intrv"] = m["r0"]
			return m
		}(),
		RegsFP: func() map[string]Slot {
			m := map[string]Slot{"fpexc": {0, 4}, "fpscr": {4, 4}}
			for i := 0; i < 32; i++ {
				m[fmt.Sprintf("d%d", i)] = Slot{16 + 8*i, 8}
			}
			return m
		}(),
	},
}

// amd64RegNames are the _REG_* indices of struct reg in order
// (sys/arch/amd64/include/frame_regs.h).
var amd64RegNames = func() []string {
	n := []string{"rdi", "rsi", "rdx", "rcx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
		"rbp", "rbx", "rax", "gs", "fs", "es", "ds", "trapno", "err", "rip", "cs", "rflags", "rsp", "ss"}
	if len(n) != nbabi.AMD64_NGREG {
		panic("ptrace: amd64 struct reg has " + fmt.Sprint(nbabi.AMD64_NGREG) + " registers")
	}
	return n
}()

// xstateSlots: struct xstate, xs_rfbm, xs_xstate_bv, the FXSAVE image and
// the AVX upper halves (nbabi.XState).
func xstateSlots() map[string]Slot {
	var xs nbabi.XState
	m := fxsaveSlots(int(unsafe.Offsetof(xs.Fxsave)))
	m["rfbm"], m["xstate_bv"] = Slot{0, 8}, Slot{int(unsafe.Offsetof(xs.XstateBV)), 8}
	for i := 0; i < 16; i++ {
		m[fmt.Sprintf("ymmh%d", i)] = Slot{int(unsafe.Offsetof(xs.YmmHi128)) + 16*i, 16}
	}
	return m
}
