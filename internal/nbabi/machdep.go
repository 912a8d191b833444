package nbabi

import "unsafe"

// MD holds one machine's machine-dependent ptrace requests; 0 means the
// machine's <machine/ptrace.h> does not define the request.
type MD struct {
	Step, GetRegs, SetRegs, GetFPRegs, SetFPRegs int
	GetDBRegs, SetDBRegs                         int
	SetStep, ClearStep                           int
	GetXState, SetXState                         int
}

// MDRequests are the machine-dependent requests keyed by GOARCH.
// Sources (NetBSD/src):
//
//	amd64: sys/arch/amd64/include/ptrace.h 1.22 (2020/05/30)
//	386:   sys/arch/i386/include/ptrace.h 1.26 (2020/05/30); PT_GETXMMREGS 37 and
//	       PT_SETXMMREGS 38 are also defined there (not listed in MD)
//	arm64: sys/arch/aarch64/include/ptrace.h 1.12 (2020/09/07)
//	arm:   sys/arch/arm/include/ptrace.h 1.17 (2020/12/14): PT_STEP (32),
//	       PT_SETSTEP (39) and PT_CLEARSTEP (40) are under "#if 0"
//	       ("Exposed to userland for NetBSD 1.6 to 9"), 35/36 are the old
//	       FPE registers, so GETFPREGS/SETFPREGS are 37/38.
var MDRequests = map[string]MD{
	"amd64": {Step: 32, GetRegs: 33, SetRegs: 34, GetFPRegs: 35, SetFPRegs: 36,
		GetDBRegs: 37, SetDBRegs: 38, SetStep: 39, ClearStep: 40, GetXState: 41, SetXState: 42},
	"386": {Step: 32, GetRegs: 33, SetRegs: 34, GetFPRegs: 35, SetFPRegs: 36,
		GetDBRegs: 39, SetDBRegs: 40, SetStep: 41, ClearStep: 42, GetXState: 43, SetXState: 44},
	"arm64": {GetRegs: 32, SetRegs: 33, GetFPRegs: 34, SetFPRegs: 35,
		Step: 36, SetStep: 37, ClearStep: 38},
	"arm": {GetRegs: 33, SetRegs: 34, GetFPRegs: 37, SetFPRegs: 38},
}

// amd64 general register indices (_REG_*), also the indices into
// RegAMD64.Regs. Source: sys/arch/amd64/include/frame_regs.h 1.3 and
// mcontext.h (_NGREG = 26); PTRACE_REG_PC is RIP, PTRACE_REG_SP is RSP,
// PTRACE_REG_INTRV is RAX, PTRACE_REG_FP is RBP (amd64 ptrace.h 1.22).
const (
	AMD64_REG_RDI = iota
	AMD64_REG_RSI
	AMD64_REG_RDX
	AMD64_REG_RCX
	AMD64_REG_R8
	AMD64_REG_R9
	AMD64_REG_R10
	AMD64_REG_R11
	AMD64_REG_R12
	AMD64_REG_R13
	AMD64_REG_R14
	AMD64_REG_R15
	AMD64_REG_RBP
	AMD64_REG_RBX
	AMD64_REG_RAX
	AMD64_REG_GS
	AMD64_REG_FS
	AMD64_REG_ES
	AMD64_REG_DS
	AMD64_REG_TRAPNO
	AMD64_REG_ERR
	AMD64_REG_RIP
	AMD64_REG_CS
	AMD64_REG_RFLAGS
	AMD64_REG_RSP
	AMD64_REG_SS
	AMD64_NGREG
)

// RegAMD64 is amd64 struct reg { long regs[_NGREG]; } (reg.h 1.8), 208 bytes.
type RegAMD64 struct {
	Regs [AMD64_NGREG]int64
}

// Reg386 is i386 struct reg (sys/arch/i386/include/reg.h 1.22), 64 bytes.
// PTRACE_REG_PC is r_eip, PTRACE_REG_SP r_esp (i386 ptrace.h 1.26).
type Reg386 struct {
	EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI int32
	EIP, EFLAGS, CS, SS, DS, ES, FS, GS    int32
}

// RegARM64 is aarch64 struct reg (sys/arch/aarch64/include/reg.h 1.2),
// 280 bytes; r_pc is ELR.
type RegARM64 struct {
	X                   [31]uint64
	SP, PC, SPSR, TPIDR uint64
}

// RegARM is arm struct reg (sys/arch/arm/include/reg.h), 68 bytes.
type RegARM struct {
	R                [13]uint32
	SP, LR, PC, CPSR uint32
}

// RegLayout says, per GOARCH, how big PT_GETREGS's struct reg is and where
// PTRACE_REG_PC and PTRACE_REG_SP live in it.
var RegLayout = map[string]struct{ Size, PCOffset, SPOffset int }{
	"amd64": {int(unsafe.Sizeof(RegAMD64{})), 8 * AMD64_REG_RIP, 8 * AMD64_REG_RSP},
	"386":   {int(unsafe.Sizeof(Reg386{})), int(unsafe.Offsetof(Reg386{}.EIP)), int(unsafe.Offsetof(Reg386{}.ESP))},
	"arm64": {int(unsafe.Sizeof(RegARM64{})), int(unsafe.Offsetof(RegARM64{}.PC)), int(unsafe.Offsetof(RegARM64{}.SP))},
	"arm":   {int(unsafe.Sizeof(RegARM{})), int(unsafe.Offsetof(RegARM{}.PC)), int(unsafe.Offsetof(RegARM{}.SP))},
}
