//go:build linux || netbsd

// Crash triggers for 32-bit arm (see crash.go): bkpt #0, udf #0 (NetBSD's
// PTRACE_ILLEGAL_ASM), and a VFP divide by zero with FPSCR.DZE set (integer
// division does not trap). VFP system-register moves are spelled as words:
// vmrs r0, fpscr = 0xeef10a10; vmsr fpscr, r0 = 0xeee10a10;
// vmrs r1, fpscr = 0xeef11a10; vmsr fpscr, r2 = 0xeee12a10.

#include "textflag.h"

TEXT ·crashTrap(SB),NOSPLIT,$0-0
	WORD	$0xe1200070	// bkpt #0
	RET

TEXT ·crashIll(SB),NOSPLIT,$0-0
	WORD	$0xe7f000f0	// udf #0
	RET

TEXT ·crashFpe(SB),NOSPLIT,$0-0
	WORD	$0xeef10a10
	ORR	$(1<<9), R0
	WORD	$0xeee10a10
	MOVW	$1, R1
	MOVW	R1, F0
	MOVWD	F0, F0
	MOVW	$0, R1
	MOVW	R1, F1
	MOVWD	F1, F1
	DIVD	F1, F0, F2
	RET

// Never executed; bkpt throughout so that a stray jump here traps.
TEXT ·textScratch(SB),NOSPLIT,$0-0
	WORD $0xe1200070; WORD $0xe1200070; WORD $0xe1200070; WORD $0xe1200070
	WORD $0xe1200070; WORD $0xe1200070; WORD $0xe1200070; WORD $0xe1200070
	RET

TEXT ·load(SB),NOSPLIT,$0-5
	MOVW	addr+0(FP), R0
	MOVBU	(R0), R0
	MOVB	R0, ret+4(FP)
	RET

// NetBSD's are_fpu_exceptions_supported: set FPSCR.IOE and read it back.
TEXT ·fpTrapProbe(SB),NOSPLIT,$0-1
	WORD	$0xeef10a10
	MOVW	R0, R2
	ORR	$(1<<8), R0
	WORD	$0xeee10a10
	WORD	$0xeef11a10
	WORD	$0xeee12a10
	AND	$(1<<8), R1
	MOVW	$0, R3
	CMP	$0, R1
	MOVW.NE	$1, R3
	MOVB	R3, ret+0(FP)
	RET

// ADDR(getter, fn) defines getter() uintptr, the ABI0 entry address of fn.
#define ADDR(getter, fn) \
TEXT getter(SB),NOSPLIT,$0-4; \
	MOVW	$fn(SB), R0; \
	MOVW	R0, ret+0(FP); \
	RET

ADDR(·trapAddr, ·crashTrap)
ADDR(·textScratchAddr, ·textScratch)
ADDR(·illAddr, ·crashIll)
ADDR(·fpeAddr, ·crashFpe)
