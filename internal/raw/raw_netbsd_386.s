// NetBSD 386: INT $0x80 with the number in AX; the kernel reads the
// arguments from the user stack above a return-address slot it skips, and
// the carry flag marks an errno in AX. A child returns from fork, vfork,
// __vfork14 and __clone with 0 in AX (md_child_return); its other registers
// are the parent's, and __clone puts it on the stack it was given.

#include "go_asm.h"
#include "textflag.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT,$12-24
	MOVL	flags+4(FP), AX
	MOVL	AX, 4(SP)	// 0(SP) is the skipped slot
	MOVL	stack+8(FP), AX
	MOVL	AX, 8(SP)
	MOVL	steps+12(FP), BP	// the child's only state: a register
	MOVL	trap+0(FP), AX
	INT	$0x80
	JCS	fail
	TESTL	AX, AX
	JEQ	child
	MOVL	AX, pid+16(FP)
	MOVL	$0, errno+20(FP)
	RET
fail:
	MOVL	$0, pid+16(FP)
	MOVL	AX, errno+20(FP)
	RET

// Pushing arguments would write the parent's stack (__vfork14) or a stack
// shared with other children. Instead the stack pointer is aimed at the step
// itself, which is laid out as the frame the kernel reads: the trap number in
// the skipped slot, a1..a5 above it. The kernel only reads it, and all signals
// are blocked, so nothing is ever pushed there. The child never returns: its
// last step is exit.
child:
	MOVL	BP, SP
	MOVL	sysStep_trap(SP), AX
	CMPL	AX, $-2	// raiseTrap: getpid (a1) into a3, then kill (a2) it with a4,
	JNE	6(PC)	// with the frame moved up a slot: a2 is skipped, a3, a4 read
	MOVL	sysStep_a1(SP), AX
	INT	$0x80
	MOVL	AX, sysStep_a3(SP)
	LEAL	sysStep_a2(BP), SP
	MOVL	sysStep_a2(BP), AX
	CMPL	AX, $-1	// jumpTrap: jump to a1 (a fault trigger)
	JNE	3(PC)
	MOVL	sysStep_a1(SP), CX
	JMP	CX
	INT	$0x80
	ADDL	$sysStep__size, BP
	JMP	child
