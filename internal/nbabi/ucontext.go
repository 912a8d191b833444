package nbabi

// ucontext_t as _lwp_create(2) reads it and getcontext(2) writes it, per
// GOARCH. Sources (NetBSD/src): sys/sys/ucontext.h (uc_flags, uc_link,
// uc_sigmask, uc_stack, uc_mcontext; _UC_SIGMASK 0x01, _UC_CPU 0x04),
// sys/sys/lwp.h (_LWP_DETACHED 0x40, _LWP_SUSPENDED 0x80),
// sys/arch/amd64/include/mcontext.h (__gregs[26], _mc_tlsbase, fxsave),
// sys/arch/i386/include/mcontext.h (__gregs[19], fpregs, _mc_tlsbase),
// sys/arch/arm/include/mcontext.h (__gregs[17], EABI 8-aligned __fpu),
// sys/arch/aarch64/include/mcontext.h (__gregs[35], 16-aligned __fregs).
// The same layouts are in the Go runtime's defs1_netbsd_<arch>.go, which
// starts its own LWPs from them (os_netbsd.go newosproc).
const (
	UC_SIGMASK = 0x01
	UC_CPU     = 0x04

	LWP_DETACHED  = 0x40
	LWP_SUSPENDED = 0x80
)

// General register indices (_REG_*) into mcontext __gregs beyond the amd64
// ones in machdep.go.
const (
	I386_REG_EBP  = 6
	I386_REG_EIP  = 14
	I386_REG_UESP = 17

	ARM_REG_R5  = 5
	ARM_REG_R13 = 13 // SP
	ARM_REG_R15 = 15 // PC

	ARM64_REG_X9  = 9
	ARM64_REG_X31 = 31 // SP
	ARM64_REG_ELR = 32 // PC
)

// UcontextLayout is where _lwp_create finds what it needs in a ucontext_t.
type UcontextLayout struct {
	SigmaskOff  int // uc_sigmask (sigset_t, 16 bytes)
	McontextOff int // uc_mcontext
	GregSize    int // one __greg_t
	PC, SP      int // __gregs indices of the program counter and stack pointer
	Size        int // sizeof(ucontext_t)
}

// SizeofUcontextMax bounds sizeof(ucontext_t) on every machine; a buffer
// this big is safe for getcontext.
const SizeofUcontextMax = 8192

// Ucontexts are the layouts keyed by GOARCH. uc_flags is at 0 everywhere;
// uc_link follows it at pointer alignment, then uc_sigmask, uc_stack
// (stack_t: ss_sp, ss_size, ss_flags) and uc_mcontext at its alignment.
var Ucontexts = map[string]UcontextLayout{
	"amd64": {SigmaskOff: 16, McontextOff: 56, GregSize: 8, PC: AMD64_REG_RIP, SP: AMD64_REG_RSP, Size: 784},
	"386":   {SigmaskOff: 8, McontextOff: 36, GregSize: 4, PC: I386_REG_EIP, SP: I386_REG_UESP, Size: 776},
	"arm":   {SigmaskOff: 8, McontextOff: 40, GregSize: 4, PC: ARM_REG_R15, SP: ARM_REG_R13, Size: 400},
	"arm64": {SigmaskOff: 16, McontextOff: 64, GregSize: 8, PC: ARM64_REG_ELR, SP: ARM64_REG_X31, Size: 4576},
}
