// Linux arm64: SVC $0 with the number in R8 and the arguments in R0..R5;
// -4095..-1 in R0 is an errno. clone(flags, stack, parent_tid, tls,
// child_tid) returns 0 in the child, whose registers are the parent's except
// R0 and (with a stack) RSP.

#include "go_asm.h"
#include "textflag.h"
#include "child_arm64.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT|NOFRAME,$0-48
	MOVD	steps+24(FP), R9	// the child's only state: a register
	MOVD	flags+8(FP), R0
	MOVD	stack+16(FP), R1
	MOVD	ZR, R2
	MOVD	ZR, R3
	MOVD	ZR, R4
	MOVD	trap+0(FP), R8
	SVC	$0
	CBZ	R0, child
	CMN	$4095, R0
	BCS	fail
	MOVD	R0, pid+32(FP)
	MOVD	ZR, errno+40(FP)
	RET
fail:
	NEG	R0, R0
	MOVD	ZR, pid+32(FP)
	MOVD	R0, errno+40(FP)
	RET

// The child may be on the parent's stack (vfork) or on a stack shared with
// other children; it never touches either, and LR is never stored. It never
// returns: its last step is exit.
child:
	CHILD_STEP(R8)
	B	child
