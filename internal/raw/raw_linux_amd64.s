// Linux amd64: SYSCALL with the number in AX and the arguments in DI, SI, DX,
// R10, R8; -4095..-1 in AX is an errno. clone(flags, stack, parent_tid,
// child_tid, tls) returns 0 in the child, whose registers are the parent's
// except AX, RCX, R11 and (with a stack) SP.

#include "go_asm.h"
#include "textflag.h"
#include "child_amd64.h"

// func rawFork(trap, flags, stack uintptr, steps *sysStep) (pid, errno uintptr)
TEXT ·rawFork(SB),NOSPLIT,$0-48
	MOVQ	steps+24(FP), R12	// the child's only state: a register
	MOVQ	flags+8(FP), DI
	MOVQ	stack+16(FP), SI
	XORQ	DX, DX
	XORQ	R10, R10
	XORQ	R8, R8
	MOVQ	trap+0(FP), AX
	SYSCALL
	TESTQ	AX, AX
	JEQ	child
	CMPQ	AX, $-4096
	JHI	fail
	MOVQ	AX, pid+32(FP)
	MOVQ	$0, errno+40(FP)
	RET
fail:
	NEGQ	AX
	MOVQ	$0, pid+32(FP)
	MOVQ	AX, errno+40(FP)
	RET

// The child may be on the parent's stack (vfork) or on a stack shared with
// other children; it never touches either. It never returns: its last step
// is exit.
child:
	CHILD_STEP
	JMP	child
