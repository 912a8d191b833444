#include "textflag.h"

// Every instruction a tracer steps through or traps at is given as bytes,
// so that its length is the one insn_amd64.go names.

// func run(trap, a1, a2, a3 uintptr) uintptr
TEXT ·run(SB),NOSPLIT,$0-40
	BYTE $0x48; BYTE $0x8b; BYTE $0x44; BYTE $0x24; BYTE $0x08	// mov 8(%rsp),%rax: trap
	BYTE $0x48; BYTE $0x8b; BYTE $0x7c; BYTE $0x24; BYTE $0x10	// mov 16(%rsp),%rdi: a1
	BYTE $0x48; BYTE $0x8b; BYTE $0x74; BYTE $0x24; BYTE $0x18	// mov 24(%rsp),%rsi: a2
	BYTE $0x48; BYTE $0x8b; BYTE $0x54; BYTE $0x24; BYTE $0x20	// mov 32(%rsp),%rdx: a3
	BYTE $0x0f; BYTE $0x05						// syscall: the thread stops here
	BYTE $0x90							// +22 nop
	BYTE $0xb8; BYTE $0x01; BYTE $0x00; BYTE $0x00; BYTE $0x00	// +23 mov $1,%eax
	BYTE $0x48; BYTE $0x83; BYTE $0xc0; BYTE $0x02			// +28 add $2,%rax
	BYTE $0xeb; BYTE $0x02						// +32 jmp +2
	BYTE $0x0f; BYTE $0x0b						// +34 ud2, jumped over
	BYTE $0x48; BYTE $0xc7; BYTE $0xc1; BYTE $0x03; BYTE $0x00; BYTE $0x00; BYTE $0x00	// +36 mov $3,%rcx
	BYTE $0x48; BYTE $0x01; BYTE $0xc8				// +43 add %rcx,%rax
	BYTE $0x66; BYTE $0x90						// +46 xchg %ax,%ax
	BYTE $0x0f; BYTE $0x1f; BYTE $0x40; BYTE $0x00			// +48 nopl 0(%rax)
	MOVQ	AX, ret+32(FP)						// +52
	RET

TEXT ·seqEntry(SB),NOSPLIT,$0-8
	LEAQ	·run(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func access(i int, addr uintptr)
TEXT ·access(SB),NOSPLIT,$0-16
	MOVQ	i+0(FP), CX
	MOVQ	addr+8(FP), AX
	CMPQ	CX, $0
	JEQ	w1
	CMPQ	CX, $1
	JEQ	w2
	CMPQ	CX, $2
	JEQ	w4
	CMPQ	CX, $3
	JEQ	w8
	CMPQ	CX, $4
	JEQ	r1
	CMPQ	CX, $5
	JEQ	r2
	CMPQ	CX, $6
	JEQ	r4
	JMP	r8
w1:
	JMP	·w1(SB)
w2:
	JMP	·w2(SB)
w4:
	JMP	·w4(SB)
w8:
	JMP	·w8(SB)
r1:
	JMP	·r1(SB)
r2:
	JMP	·r2(SB)
r4:
	JMP	·r4(SB)
r8:
	JMP	·r8(SB)

// Each access function, entered by access's jump (so addr is still at
// 16(%rsp)): mov 16(%rsp),%rax (5 bytes), the access, ret.
#define LOADADDR BYTE $0x48; BYTE $0x8b; BYTE $0x44; BYTE $0x24; BYTE $0x10

TEXT ·w1(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0xc6; BYTE $0x00; BYTE $0x01				// movb $1,(%rax)
	RET
TEXT ·w2(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0x66; BYTE $0xc7; BYTE $0x00; BYTE $0x01; BYTE $0x00	// movw $1,(%rax)
	RET
TEXT ·w4(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0xc7; BYTE $0x00; BYTE $0x01; BYTE $0x00; BYTE $0x00; BYTE $0x00	// movl $1,(%rax)
	RET
TEXT ·w8(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0x48; BYTE $0xc7; BYTE $0x00; BYTE $0x01; BYTE $0x00; BYTE $0x00; BYTE $0x00	// movq $1,(%rax)
	RET
TEXT ·r1(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0x0f; BYTE $0xb6; BYTE $0x00				// movzbl (%rax),%eax
	RET
TEXT ·r2(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0x0f; BYTE $0xb7; BYTE $0x00				// movzwl (%rax),%eax
	RET
TEXT ·r4(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0x8b; BYTE $0x00						// movl (%rax),%eax
	RET
TEXT ·r8(SB),NOSPLIT|NOFRAME,$0
	LOADADDR
	BYTE $0x48; BYTE $0x8b; BYTE $0x00				// movq (%rax),%rax
	RET

// func accessEntries(out *[8]uintptr)
TEXT ·accessEntries(SB),NOSPLIT,$0-8
	MOVQ	out+0(FP), DI
	LEAQ	·w1(SB), AX
	MOVQ	AX, 0(DI)
	LEAQ	·w2(SB), AX
	MOVQ	AX, 8(DI)
	LEAQ	·w4(SB), AX
	MOVQ	AX, 16(DI)
	LEAQ	·w8(SB), AX
	MOVQ	AX, 24(DI)
	LEAQ	·r1(SB), AX
	MOVQ	AX, 32(DI)
	LEAQ	·r2(SB), AX
	MOVQ	AX, 40(DI)
	LEAQ	·r4(SB), AX
	MOVQ	AX, 48(DI)
	LEAQ	·r8(SB), AX
	MOVQ	AX, 56(DI)
	RET

TEXT ·codeTarget(SB),NOSPLIT,$0-0
	BYTE $0x90	// nop: the breakpoint's address
	RET

TEXT ·codeTargetEntry(SB),NOSPLIT,$0-8
	LEAQ	·codeTarget(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func saveSS(p *uint16)
TEXT ·saveSS(SB),NOSPLIT,$0-8
	MOVQ	p+0(FP), AX
	BYTE $0x8c; BYTE $0x10		// mov %ss,(%rax)
	RET

// func movSSInt3(p *uint16)
TEXT ·movSSInt3(SB),NOSPLIT,$0-8
	MOVQ	p+0(FP), AX
	BYTE $0x8e; BYTE $0x10		// mov (%rax),%ss: the watched read
	BYTE $0xcc			// int3, with the #DB held
	RET

// func stopThen(stop, s1, s2, s3, trap, b1 uintptr) uintptr: the stop
// system call, then system call trap(b1) at once.
TEXT ·stopThen(SB),NOSPLIT,$0-56
	MOVQ	stop+0(FP), AX
	MOVQ	s1+8(FP), DI
	MOVQ	s2+16(FP), SI
	MOVQ	s3+24(FP), DX
	SYSCALL
	MOVQ	trap+32(FP), AX
	MOVQ	b1+40(FP), DI
	SYSCALL
	MOVQ	AX, ret+48(FP)
	RET
