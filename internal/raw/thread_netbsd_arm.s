// NetBSD arm: a raw LWP starts here with the step pointer in R5 (set in its
// ucontext by newThread). As in rawFork's child, the stack pointer is aimed
// at the step's a4 and a5, which the kernel reads; its last step is
// _lwp_exit.

#include "go_asm.h"
#include "textflag.h"

#define SYS_syscall	0xa00000

TEXT ·lwpStart(SB),NOSPLIT|NOFRAME,$0
loop:
	ADD	$sysStep_a4, R5, R13
	MOVW	sysStep_trap(R5), R0
	MOVW	sysStep_a1(R5), R1
	MOVW	sysStep_a2(R5), R2
	MOVW	sysStep_a3(R5), R3
	SWI	$SYS_syscall
	ADD	$sysStep__size, R5
	B	loop

DATA ·lwpStartPC+0(SB)/4, $·lwpStart(SB)
GLOBL ·lwpStartPC(SB), RODATA, $4
