// NetBSD amd64: SYSCALL with the number in AX and the arguments in DI, SI,
// DX, R10, R8; the carry flag marks an errno in AX. A child returns from
// fork, vfork, __vfork14 and __clone with 0 in AX (md_child_return); its other
// registers are the parent's, and __clone puts it on the stack it was given.

#include "go_asm.h"
#include "textflag.h"
#include "child_amd64.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT,$0-48
	MOVQ	steps+24(FP), R12	// the child's only state: a register
	MOVQ	flags+8(FP), DI
	MOVQ	stack+16(FP), SI
	MOVQ	trap+0(FP), AX
	SYSCALL
	JCS	fail
	TESTQ	AX, AX
	JEQ	child
	MOVQ	AX, pid+32(FP)
	MOVQ	$0, errno+40(FP)
	RET
fail:
	MOVQ	$0, pid+32(FP)
	MOVQ	AX, errno+40(FP)
	RET

// The child may be on the parent's stack (__vfork14) or on a stack shared
// with other children; it never touches either. It never returns: its last
// step is exit.
child:
	CHILD_STEP
	JMP	child
