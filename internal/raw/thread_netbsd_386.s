// NetBSD 386: a raw LWP starts here with the step pointer in BP (set in its
// ucontext by newThread). As in rawFork's child, the stack pointer is aimed
// at each step, laid out as the frame the kernel reads; its last step is
// _lwp_exit.

#include "go_asm.h"
#include "textflag.h"

TEXT ·lwpStart(SB),NOSPLIT|NOFRAME,$0
loop:
	MOVL	BP, SP
	MOVL	sysStep_trap(SP), AX
	INT	$0x80
	ADDL	$sysStep__size, BP
	JMP	loop

DATA ·lwpStartPC+0(SB)/4, $·lwpStart(SB)
GLOBL ·lwpStartPC(SB), RODATA, $4
