// CHILD_STEP is one turn of rawFork's child loop on amd64, the same under
// Linux and NetBSD (both take the number in AX and the arguments in DI, SI,
// DX, R10, R8): execute the sysStep at R12 and advance R12 to the next one.
// A step whose number is jumpTrap (-1) jumps to a1 instead (a fault
// trigger, which never returns); one whose number is raiseTrap (-2) calls
// a1 (getpid), stores the result in a3 and calls a2 (kill) with it and a4.
#define CHILD_STEP \
	MOVQ	sysStep_a1(R12), DI; \
	MOVQ	sysStep_a2(R12), SI; \
	MOVQ	sysStep_a3(R12), DX; \
	MOVQ	sysStep_a4(R12), R10; \
	MOVQ	sysStep_a5(R12), R8; \
	MOVQ	sysStep_trap(R12), AX; \
	CMPQ	AX, $-2; \
	JNE	7(PC); \
	MOVQ	DI, AX; \
	SYSCALL; \
	MOVQ	AX, sysStep_a3(R12); \
	MOVQ	AX, DI; \
	MOVQ	sysStep_a4(R12), SI; \
	MOVQ	sysStep_a2(R12), AX; \
	CMPQ	AX, $-1; \
	JNE	2(PC); \
	JMP	DI; \
	SYSCALL; \
	ADDQ	$sysStep__size, R12
