//go:build linux || netbsd

// Crash triggers for arm64 (see crash.go): brk #13 (NetBSD's aarch64
// PTRACE_BREAKPOINT_ASM), udf #0, and an FP divide by zero with FPCR.DZE set
// (UDIV/SDIV by zero return 0 and never trap).

#include "textflag.h"

TEXT ·crashTrap(SB),NOSPLIT,$0-0
	WORD	$0xd42001a0	// brk #13
	RET

TEXT ·crashIll(SB),NOSPLIT,$0-0
	WORD	$0x00000000	// udf #0
	RET

TEXT ·crashFpe(SB),NOSPLIT,$0-0
	MRS	FPCR, R0
	ORR	$(1<<9), R0	// DZE: trap on divide by zero
	MSR	R0, FPCR
	FMOVD	$1.0, F0
	FMOVD	ZR, F1
	FDIVD	F1, F0, F2
	RET

// Never executed; brk throughout so that a stray jump here traps.
TEXT ·textScratch(SB),NOSPLIT,$0-0
	WORD $0xd42001a0; WORD $0xd42001a0; WORD $0xd42001a0; WORD $0xd42001a0
	WORD $0xd42001a0; WORD $0xd42001a0; WORD $0xd42001a0; WORD $0xd42001a0
	RET

TEXT ·load(SB),NOSPLIT,$0-9
	MOVD	addr+0(FP), R0
	MOVBU	(R0), R0
	MOVB	R0, ret+8(FP)
	RET

// NetBSD's are_fpu_exceptions_supported: set FPCR.IOE and read it back.
TEXT ·fpTrapProbe(SB),NOSPLIT,$0-1
	MRS	FPCR, R0
	MOVD	R0, R2
	ORR	$(1<<8), R0
	MSR	R0, FPCR
	MRS	FPCR, R1
	MSR	R2, FPCR
	AND	$(1<<8), R1
	CMP	$0, R1
	CSET	NE, R3
	MOVB	R3, ret+0(FP)
	RET

// ADDR(getter, fn) defines getter() uintptr, the ABI0 entry address of fn.
#define ADDR(getter, fn) \
TEXT getter(SB),NOSPLIT,$0-8; \
	MOVD	$fn(SB), R0; \
	MOVD	R0, ret+0(FP); \
	RET

ADDR(·trapAddr, ·crashTrap)
ADDR(·textScratchAddr, ·textScratch)
ADDR(·illAddr, ·crashIll)
ADDR(·fpeAddr, ·crashFpe)
