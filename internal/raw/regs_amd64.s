//go:build linux || netbsd

// The register scenario's routines (regs.go) on amd64, the same under Linux
// and NetBSD: both take the system call number in AX and its arguments in
// DI, SI, DX, and their SYSCALL returns with every register as it was but
// AX (the result), RCX and R11 (NetBSD also DX, the second result).

#include "go_asm.h"
#include "textflag.h"

// func regsLoadStop(b *RegBlock)
// BP is saved and restored (the frame pointer); R14 (g) and X15 are
// restored by the ABI0 wrapper. The block's address is kept on the stack
// across the stop: every free register holds a loaded value.
TEXT ·regsLoadStop(SB),NOSPLIT,$0-8
	MOVQ	b+0(FP), DI
	PUSHQ	BP
	PUSHQ	DI
	MOVQ	SP, RegBlock_SP(DI)
	CMPQ	RegBlock_AVX(DI), $0
	JEQ	sse_in
	VMOVDQU	(RegBlock_VIn+0)(DI), Y0
	VMOVDQU	(RegBlock_VIn+32)(DI), Y1
	VMOVDQU	(RegBlock_VIn+64)(DI), Y2
	VMOVDQU	(RegBlock_VIn+96)(DI), Y3
	VMOVDQU	(RegBlock_VIn+128)(DI), Y4
	VMOVDQU	(RegBlock_VIn+160)(DI), Y5
	VMOVDQU	(RegBlock_VIn+192)(DI), Y6
	VMOVDQU	(RegBlock_VIn+224)(DI), Y7
	VMOVDQU	(RegBlock_VIn+256)(DI), Y8
	VMOVDQU	(RegBlock_VIn+288)(DI), Y9
	VMOVDQU	(RegBlock_VIn+320)(DI), Y10
	VMOVDQU	(RegBlock_VIn+352)(DI), Y11
	VMOVDQU	(RegBlock_VIn+384)(DI), Y12
	VMOVDQU	(RegBlock_VIn+416)(DI), Y13
	VMOVDQU	(RegBlock_VIn+448)(DI), Y14
	VMOVDQU	(RegBlock_VIn+480)(DI), Y15
	JMP	fp_in
sse_in:
	MOVOU	(RegBlock_VIn+0)(DI), X0
	MOVOU	(RegBlock_VIn+32)(DI), X1
	MOVOU	(RegBlock_VIn+64)(DI), X2
	MOVOU	(RegBlock_VIn+96)(DI), X3
	MOVOU	(RegBlock_VIn+128)(DI), X4
	MOVOU	(RegBlock_VIn+160)(DI), X5
	MOVOU	(RegBlock_VIn+192)(DI), X6
	MOVOU	(RegBlock_VIn+224)(DI), X7
	MOVOU	(RegBlock_VIn+256)(DI), X8
	MOVOU	(RegBlock_VIn+288)(DI), X9
	MOVOU	(RegBlock_VIn+320)(DI), X10
	MOVOU	(RegBlock_VIn+352)(DI), X11
	MOVOU	(RegBlock_VIn+384)(DI), X12
	MOVOU	(RegBlock_VIn+416)(DI), X13
	MOVOU	(RegBlock_VIn+448)(DI), X14
	MOVOU	(RegBlock_VIn+480)(DI), X15
fp_in:
	CMPQ	RegBlock_FPMode(DI), $1
	JEQ	mmx_in
	CMPQ	RegBlock_FPMode(DI), $2
	JNE	gp_in
	// st0 is pushed last.
	FMOVX	(RegBlock_FIn+112)(DI), F0
	FMOVX	(RegBlock_FIn+96)(DI), F0
	FMOVX	(RegBlock_FIn+80)(DI), F0
	FMOVX	(RegBlock_FIn+64)(DI), F0
	FMOVX	(RegBlock_FIn+48)(DI), F0
	FMOVX	(RegBlock_FIn+32)(DI), F0
	FMOVX	(RegBlock_FIn+16)(DI), F0
	FMOVX	(RegBlock_FIn+0)(DI), F0
	JMP	gp_in
mmx_in:
	MOVQ	(RegBlock_FIn+0)(DI), M0
	MOVQ	(RegBlock_FIn+16)(DI), M1
	MOVQ	(RegBlock_FIn+32)(DI), M2
	MOVQ	(RegBlock_FIn+48)(DI), M3
	MOVQ	(RegBlock_FIn+64)(DI), M4
	MOVQ	(RegBlock_FIn+80)(DI), M5
	MOVQ	(RegBlock_FIn+96)(DI), M6
	MOVQ	(RegBlock_FIn+112)(DI), M7
gp_in:
	MOVQ	(RegBlock_In+0)(DI), BX
	MOVQ	(RegBlock_In+8)(DI), BP
	MOVQ	(RegBlock_In+16)(DI), R8
	MOVQ	(RegBlock_In+24)(DI), R9
	MOVQ	(RegBlock_In+32)(DI), R10
	MOVQ	(RegBlock_In+40)(DI), R12
	MOVQ	(RegBlock_In+48)(DI), R13
	MOVQ	(RegBlock_In+56)(DI), R14
	MOVQ	(RegBlock_In+64)(DI), R15
	MOVQ	RegBlock_A2(DI), SI
	MOVQ	RegBlock_A3(DI), DX
	MOVQ	RegBlock_Trap(DI), AX
	MOVQ	RegBlock_A1(DI), DI
	SYSCALL
	// Resumed: AX takes the block, the stack slot the system call's result.
	XCHGQ	AX, 0(SP)
	MOVQ	BX, (RegBlock_Out+0)(AX)
	MOVQ	BP, (RegBlock_Out+8)(AX)
	MOVQ	R8, (RegBlock_Out+16)(AX)
	MOVQ	R9, (RegBlock_Out+24)(AX)
	MOVQ	R10, (RegBlock_Out+32)(AX)
	MOVQ	R12, (RegBlock_Out+40)(AX)
	MOVQ	R13, (RegBlock_Out+48)(AX)
	MOVQ	R14, (RegBlock_Out+56)(AX)
	MOVQ	R15, (RegBlock_Out+64)(AX)
	MOVQ	0(SP), BX
	MOVQ	BX, RegBlock_AX(AX)
	CMPQ	RegBlock_AVX(AX), $0
	JEQ	sse_out
	VMOVDQU	Y0, (RegBlock_VOut+0)(AX)
	VMOVDQU	Y1, (RegBlock_VOut+32)(AX)
	VMOVDQU	Y2, (RegBlock_VOut+64)(AX)
	VMOVDQU	Y3, (RegBlock_VOut+96)(AX)
	VMOVDQU	Y4, (RegBlock_VOut+128)(AX)
	VMOVDQU	Y5, (RegBlock_VOut+160)(AX)
	VMOVDQU	Y6, (RegBlock_VOut+192)(AX)
	VMOVDQU	Y7, (RegBlock_VOut+224)(AX)
	VMOVDQU	Y8, (RegBlock_VOut+256)(AX)
	VMOVDQU	Y9, (RegBlock_VOut+288)(AX)
	VMOVDQU	Y10, (RegBlock_VOut+320)(AX)
	VMOVDQU	Y11, (RegBlock_VOut+352)(AX)
	VMOVDQU	Y12, (RegBlock_VOut+384)(AX)
	VMOVDQU	Y13, (RegBlock_VOut+416)(AX)
	VMOVDQU	Y14, (RegBlock_VOut+448)(AX)
	VMOVDQU	Y15, (RegBlock_VOut+480)(AX)
	VZEROUPPER
	JMP	done
sse_out:
	MOVOU	X0, (RegBlock_VOut+0)(AX)
	MOVOU	X1, (RegBlock_VOut+32)(AX)
	MOVOU	X2, (RegBlock_VOut+64)(AX)
	MOVOU	X3, (RegBlock_VOut+96)(AX)
	MOVOU	X4, (RegBlock_VOut+128)(AX)
	MOVOU	X5, (RegBlock_VOut+160)(AX)
	MOVOU	X6, (RegBlock_VOut+192)(AX)
	MOVOU	X7, (RegBlock_VOut+224)(AX)
	MOVOU	X8, (RegBlock_VOut+256)(AX)
	MOVOU	X9, (RegBlock_VOut+288)(AX)
	MOVOU	X10, (RegBlock_VOut+320)(AX)
	MOVOU	X11, (RegBlock_VOut+352)(AX)
	MOVOU	X12, (RegBlock_VOut+384)(AX)
	MOVOU	X13, (RegBlock_VOut+416)(AX)
	MOVOU	X14, (RegBlock_VOut+448)(AX)
	MOVOU	X15, (RegBlock_VOut+480)(AX)
done:
	CMPQ	RegBlock_FPMode(AX), $1
	JEQ	mmx_out
	CMPQ	RegBlock_FPMode(AX), $2
	JNE	fp_done
	// Pop st0..st7 in order: the x87 stack is empty again for Go.
	FMOVXP	F0, (RegBlock_FOut+0)(AX)
	FMOVXP	F0, (RegBlock_FOut+16)(AX)
	FMOVXP	F0, (RegBlock_FOut+32)(AX)
	FMOVXP	F0, (RegBlock_FOut+48)(AX)
	FMOVXP	F0, (RegBlock_FOut+64)(AX)
	FMOVXP	F0, (RegBlock_FOut+80)(AX)
	FMOVXP	F0, (RegBlock_FOut+96)(AX)
	FMOVXP	F0, (RegBlock_FOut+112)(AX)
	JMP	fp_done
mmx_out:
	MOVQ	M0, (RegBlock_FOut+0)(AX)
	MOVQ	M1, (RegBlock_FOut+16)(AX)
	MOVQ	M2, (RegBlock_FOut+32)(AX)
	MOVQ	M3, (RegBlock_FOut+48)(AX)
	MOVQ	M4, (RegBlock_FOut+64)(AX)
	MOVQ	M5, (RegBlock_FOut+80)(AX)
	MOVQ	M6, (RegBlock_FOut+96)(AX)
	MOVQ	M7, (RegBlock_FOut+112)(AX)
	EMMS
fp_done:
	POPQ	AX
	POPQ	BP
	RET

// regsLanding is never called: a tracer sets PC here. It exits the
// process with BX as the status, by the raw exit call (regsExitTrap).
TEXT ·regsLanding(SB),NOSPLIT|NOFRAME,$0
again:
	MOVQ	BX, DI
	MOVQ	·regsExitTrap(SB), AX
	SYSCALL
	JMP	again

// func regsLandingAddr() uintptr
TEXT ·regsLandingAddr(SB),NOSPLIT,$0-8
	MOVQ	$·regsLanding(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func regsLoadStopAddr() uintptr
TEXT ·regsLoadStopAddr(SB),NOSPLIT,$0-8
	MOVQ	$·regsLoadStop(SB), AX
	MOVQ	AX, ret+0(FP)
	RET
