// NetBSD arm: SWI $0xa00000 (the NetBSD range, call 0) is the indirect system
// call: the number in R0, the first three arguments in R1..R3 and the rest
// read from the user stack; the carry flag marks an errno in R0. A child
// returns from fork, vfork, __vfork14 and __clone with 0 in R0
// (md_child_return); its other registers are the parent's, and __clone puts
// it on the stack it was given.

#include "go_asm.h"
#include "textflag.h"

#define SYS_syscall	0xa00000

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT|NOFRAME,$0-24
	MOVW	steps+12(FP), R5	// the child's only state: a register
	MOVW	trap+0(FP), R0
	MOVW	flags+4(FP), R1
	MOVW	stack+8(FP), R2
	SWI	$SYS_syscall
	MOVW	$0, R6
	MOVW.CS	R0, R6	// carry set: R0 is the errno
	MOVW.CS	$0, R0
	BCS	done
	CMP	$0, R0
	BEQ	child
done:
	MOVW	R0, pid+16(FP)
	MOVW	R6, errno+20(FP)
	RET

// Storing the fourth and fifth arguments would write the parent's stack
// (__vfork14) or a stack shared with other children. Instead the stack
// pointer is aimed at the step's a4, with a5 above it, which the kernel only
// reads; all signals are blocked, so nothing is ever pushed there. LR is
// never stored. The child never returns: its last step is exit.
child:
	ADD	$sysStep_a4, R5, R13
	MOVW	sysStep_trap(R5), R0
	MOVW	sysStep_a1(R5), R1
	MOVW	sysStep_a2(R5), R2
	MOVW	sysStep_a3(R5), R3
	CMN	$2, R0	// raiseTrap: getpid (a1) into a3, then kill (a2) it with a4
	BNE	7(PC)
	MOVW	R1, R0
	SWI	$SYS_syscall
	MOVW	R0, sysStep_a3(R5)
	MOVW	R0, R1
	MOVW	sysStep_a4(R5), R2
	MOVW	sysStep_a2(R5), R0
	CMN	$1, R0	// jumpTrap: jump to a1 (a fault trigger)
	BNE	2(PC)
	B	(R1)
	SWI	$SYS_syscall
	ADD	$sysStep__size, R5
	B	child
