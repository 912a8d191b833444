package nbabi

// Debug registers as NetBSD's PT_GETDBREGS/PT_SETDBREGS move them (x86
// only: no other machine's <machine/ptrace.h> defines the requests).
//
//	amd64: sys/arch/amd64/include/reg.h 1.11: struct dbreg { long dr[16]; }
//	       (DR0-DR3 addresses, DR4-DR5 reserved, DR6 status, DR7 control,
//	       DR8-DR15 reserved), 128 bytes
//	i386:  sys/arch/i386/include/reg.h: struct dbreg { int dr[8]; }, 32 bytes
//
// data is the LWP (0: the process's first LWP), as for PT_GETREGS.

// DbRegAMD64 is amd64 struct dbreg.
type DbRegAMD64 struct {
	Dr [16]int64
}

// DbReg386 is i386 struct dbreg.
type DbReg386 struct {
	Dr [8]int32
}

// DbRegLayout is struct dbreg per GOARCH: its size and the number and
// width of its dr[] words; machines without debug registers are absent.
var DbRegLayout = map[string]struct{ Size, Count, Word int }{
	"amd64": {128, 16, 8},
	"386":   {32, 8, 4},
}

// The x86 debug-register bits the suite sets and reads (Intel SDM vol. 3,
// 17.2; NetBSD's tests lay DR7 out as a bit-field union in
// tests/lib/libc/sys/t_ptrace_x86_wait.h): DR7 has an L (local) and G
// (global) enable bit per DRn at bits 2n and 2n+1, and per DRn a 2-bit
// condition at 16+4n and a 2-bit length at 18+4n; DR6 has B0..B3 (bit n:
// DRn fired) and BS (bit 14: single step).
const (
	DR7CondExec      = 0 // break on instruction execution (length must be 1)
	DR7CondWrite     = 1 // break on data writes only
	DR7CondReadWrite = 3 // break on data reads or writes
	DR7Len1          = 0
	DR7Len2          = 1
	DR7Len8          = 2 // amd64 only
	DR7Len4          = 3
	DR6BS            = 1 << 14
)

// DR7Global is DR7 with DRn enabled globally for cond and the length bits
// lenBits, as NetBSD's dbregs_trap_variable sets it.
func DR7Global(n int, cond, lenBits uint64) uint64 {
	return 1<<(2*n+1) | cond<<(16+4*n) | lenBits<<(18+4*n)
}
