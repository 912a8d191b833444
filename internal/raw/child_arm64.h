// CHILD_STEP(TRAP) is one turn of rawFork's child loop on arm64: execute the
// sysStep at R9, with the number in register TRAP (Linux R8; NetBSD R17, its
// indirect-call register) and the arguments in R0..R4, and advance R9 to the
// next one. A step whose number is jumpTrap (-1) jumps to a1 instead (a
// fault trigger, which never returns); one whose number is raiseTrap (-2)
// calls a1 (getpid), stores the result in a3 and calls a2 (kill) with it
// and a4.
#define CHILD_STEP(TRAP) \
	MOVD	sysStep_a1(R9), R0; \
	MOVD	sysStep_a2(R9), R1; \
	MOVD	sysStep_a3(R9), R2; \
	MOVD	sysStep_a4(R9), R3; \
	MOVD	sysStep_a5(R9), R4; \
	MOVD	sysStep_trap(R9), TRAP; \
	CMN	$2, TRAP; \
	BNE	6(PC); \
	MOVD	R0, TRAP; \
	SVC	$0; \
	MOVD	R0, sysStep_a3(R9); \
	MOVD	sysStep_a4(R9), R1; \
	MOVD	sysStep_a2(R9), TRAP; \
	CMN	$1, TRAP; \
	BNE	2(PC); \
	JMP	(R0); \
	SVC	$0; \
	ADD	$sysStep__size, R9
