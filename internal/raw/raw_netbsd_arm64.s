// NetBSD arm64: SVC $0 makes an indirect system call, with the number in R17
// and the arguments in R0..R5; the carry flag marks an errno in R0. A child
// returns from fork, vfork, __vfork14 and __clone with 0 in R0
// (md_child_return); its other registers are the parent's, and __clone puts
// it on the stack it was given.

#include "go_asm.h"
#include "textflag.h"
#include "child_arm64.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT|NOFRAME,$0-48
	MOVD	steps+24(FP), R9	// the child's only state: a register
	MOVD	flags+8(FP), R0
	MOVD	stack+16(FP), R1
	MOVD	trap+0(FP), R17
	SVC	$0
	BCS	fail
	CBZ	R0, child
	MOVD	R0, pid+32(FP)
	MOVD	ZR, errno+40(FP)
	RET
fail:
	MOVD	ZR, pid+32(FP)
	MOVD	R0, errno+40(FP)
	RET

// The child may be on the parent's stack (__vfork14) or on a stack shared
// with other children; it never touches either, and LR is never stored. It
// never returns: its last step is exit.
child:
	CHILD_STEP(R17)
	B	child
