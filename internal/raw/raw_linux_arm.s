// Linux arm (EABI): SWI $0 with the number in R7 and the arguments in R0..R5;
// -4095..-1 in R0 is an errno. clone(flags, stack, parent_tid, tls,
// child_tid) returns 0 in the child, whose registers are the parent's except
// R0 and (with a stack) R13.

#include "go_asm.h"
#include "textflag.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT|NOFRAME,$0-24
	MOVW	steps+12(FP), R8	// the child's only state: a register
	MOVW	flags+4(FP), R0
	MOVW	stack+8(FP), R1
	MOVW	$0, R2
	MOVW	$0, R3
	MOVW	$0, R4
	MOVW	trap+0(FP), R7
	SWI	$0
	CMP	$0, R0
	BEQ	child
	MOVW	$0, R6
	MOVW	$-4096, R7
	CMP	R7, R0
	RSB.HI	$0, R0, R6	// -4095..-1: the negated errno
	MOVW.HI	$0, R0
	MOVW	R0, pid+16(FP)
	MOVW	R6, errno+20(FP)
	RET

// The child may be on the parent's stack (vfork) or on a stack shared with
// other children; it never touches either, and LR is never stored. It never
// returns: its last step is exit.
child:
	MOVW	sysStep_a1(R8), R0
	MOVW	sysStep_a2(R8), R1
	MOVW	sysStep_a3(R8), R2
	MOVW	sysStep_a4(R8), R3
	MOVW	sysStep_a5(R8), R4
	MOVW	sysStep_trap(R8), R7
	CMN	$2, R7	// raiseTrap: getpid (a1) into a3, then kill (a2) it with a4
	BNE	6(PC)
	MOVW	R0, R7
	SWI	$0
	MOVW	R0, sysStep_a3(R8)
	MOVW	sysStep_a4(R8), R1
	MOVW	sysStep_a2(R8), R7
	CMN	$1, R7	// jumpTrap: jump to a1 (a fault trigger)
	BNE	2(PC)
	B	(R0)
	SWI	$0
	ADD	$sysStep__size, R8
	B	child
