//go:build linux || netbsd

// Crash triggers for amd64 (see crash.go): int3 (NetBSD's
// PTRACE_BREAKPOINT_ASM), ud2 (PTRACE_ILLEGAL_ASM), DIV by zero (#DE).

#include "textflag.h"

TEXT ·crashTrap(SB),NOSPLIT,$0-0
	BYTE	$0xCC
	RET

TEXT ·crashIll(SB),NOSPLIT,$0-0
	BYTE	$0x0F; BYTE $0x0B
	RET

TEXT ·crashFpe(SB),NOSPLIT,$0-0
	MOVQ	$1, AX
	XORQ	DX, DX
	XORQ	CX, CX
	DIVQ	CX
	RET

// Never executed; int3 throughout so that a stray jump here traps.
TEXT ·textScratch(SB),NOSPLIT,$0-0
	BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC
	BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC
	BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC
	BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC; BYTE $0xCC
	RET

TEXT ·load(SB),NOSPLIT,$0-9
	MOVQ	addr+0(FP), AX
	MOVBLZX	(AX), AX
	MOVB	AX, ret+8(FP)
	RET

TEXT ·fpTrapProbe(SB),NOSPLIT,$0-1
	MOVB	$1, ret+0(FP)
	RET

// ADDR(getter, fn) defines getter() uintptr, the ABI0 entry address of fn.
#define ADDR(getter, fn) \
TEXT getter(SB),NOSPLIT,$0-8; \
	LEAQ	fn(SB), AX; \
	MOVQ	AX, ret+0(FP); \
	RET

ADDR(·trapAddr, ·crashTrap)
ADDR(·textScratchAddr, ·textScratch)
ADDR(·illAddr, ·crashIll)
ADDR(·fpeAddr, ·crashFpe)
