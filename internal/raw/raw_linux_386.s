// Linux 386: INT $0x80 with the number in AX and the arguments in BX, CX, DX,
// SI, DI; -4095..-1 in AX is an errno. clone(flags, stack, parent_tid, tls,
// child_tid) returns 0 in the child, whose registers are the parent's except
// AX and (with a stack) SP. BP is not a clone argument, so it carries the
// child's step pointer.

#include "go_asm.h"
#include "textflag.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT,$0-24
	MOVL	steps+12(FP), BP
	MOVL	flags+4(FP), BX
	MOVL	stack+8(FP), CX
	XORL	DX, DX
	XORL	SI, SI
	XORL	DI, DI
	MOVL	trap+0(FP), AX
	INT	$0x80
	TESTL	AX, AX
	JEQ	child
	CMPL	AX, $-4096
	JHI	fail
	MOVL	AX, pid+16(FP)
	MOVL	$0, errno+20(FP)
	RET
fail:
	NEGL	AX
	MOVL	$0, pid+16(FP)
	MOVL	AX, errno+20(FP)
	RET

// The child may be on the parent's stack (vfork) or on a stack shared with
// other children; it never touches either. It never returns: its last step
// is exit.
child:
	MOVL	sysStep_a1(BP), BX
	MOVL	sysStep_a2(BP), CX
	MOVL	sysStep_a3(BP), DX
	MOVL	sysStep_a4(BP), SI
	MOVL	sysStep_a5(BP), DI
	MOVL	sysStep_trap(BP), AX
	CMPL	AX, $-2	// raiseTrap: getpid (a1) into a3, then kill (a2) it with a4
	JNE	7(PC)
	MOVL	BX, AX
	INT	$0x80
	MOVL	AX, sysStep_a3(BP)
	MOVL	AX, BX
	MOVL	sysStep_a4(BP), CX
	MOVL	sysStep_a2(BP), AX
	CMPL	AX, $-1	// jumpTrap: jump to a1 (a fault trigger)
	JNE	2(PC)
	JMP	BX
	INT	$0x80
	ADDL	$sysStep__size, BP
	JMP	child
