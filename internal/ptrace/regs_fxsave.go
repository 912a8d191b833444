package ptrace

import "fmt"

// fxsaveSlots are the members of the FXSAVE image (NetBSD struct fxsave,
// sys/arch/x86/include/cpu_extended_state.h; Linux struct
// user_fpregs_struct) starting at base: the x87 control and status words,
// MXCSR, the x87 registers st0..st7 (10 bytes each in 16-byte slots) and
// mm0..mm7 (the low 8 bytes of the same slots) and xmm0..xmm15.
func fxsaveSlots(base int) map[string]Slot {
	m := map[string]Slot{"cw": {base, 2}, "sw": {base + 2, 2}, "mxcsr": {base + 24, 4}}
	for i := 0; i < 8; i++ {
		m[fmt.Sprintf("st%d", i)] = Slot{base + 32 + 16*i, 10}
		m[fmt.Sprintf("mm%d", i)] = Slot{base + 32 + 16*i, 8} // MMX: the low 64 bits of the same register
	}
	for i := 0; i < 16; i++ {
		m[fmt.Sprintf("xmm%d", i)] = Slot{base + 160 + 16*i, 16}
	}
	return m
}
