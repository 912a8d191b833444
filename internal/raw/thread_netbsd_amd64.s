// NetBSD amd64: a raw LWP starts here with the step pointer in R12 (set in
// its ucontext by newThread) and runs rawFork's child loop; its last step
// is _lwp_exit.

#include "go_asm.h"
#include "textflag.h"
#include "child_amd64.h"

TEXT ·lwpStart(SB),NOSPLIT|NOFRAME,$0
loop:
	CHILD_STEP
	JMP	loop

DATA ·lwpStartPC+0(SB)/8, $·lwpStart(SB)
GLOBL ·lwpStartPC(SB), RODATA, $8
