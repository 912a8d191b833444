package insn

// The amd64 sequences are bytes (insn_amd64.s), so their lengths do not
// depend on the assembler's choices; the layout is checked against the
// function's own text by insn_test.go.

const missing = ""

// SeqResult is RAX at the end of the sequence: 1, +2, +3.
const SeqResult = 6

// StepSeq: the system call is 22 bytes in (4 argument loads of 5 bytes and
// SYSCALL); then nop (1), mov $1,%eax (5), add $2,%rax (4), jmp +2 (2) over
// a ud2 (2) that a step which does not follow the jump would run,
// mov $3,%rcx (7), add %rcx,%rax (3), xchg %ax,%ax (2), nopl 0(%rax) (4).
var StepSeq = Seq{Start: 22, After: []uintptr{23, 28, 32, 36, 43, 46, 48, 52}}

// Accesses: after the load of the address (5 bytes), movb/movw/movl/movq
// $1 to (%rax) (3, 5, 6, 7 bytes) and movzbl/movzwl/movl/movq from (%rax)
// (3, 3, 2, 3 bytes).
var Accesses = []Access{
	{true, 1, 8}, {true, 2, 10}, {true, 4, 11}, {true, 8, 12},
	{false, 1, 8}, {false, 2, 8}, {false, 4, 7}, {false, 8, 8},
}

// run is the sequence: trap(a1, a2, a3) and then the instructions above.
func run(trap, a1, a2, a3 uintptr) uintptr

func seqEntry() uintptr

// access(i, addr) does Accesses[i] at addr.
func access(i int, addr uintptr)

func accessEntries(out *[8]uintptr)

// codeTarget is a nop and a ret: the execution breakpoint's target.
func codeTarget()

func codeTargetEntry() uintptr

// movSSInt3 loads SS from *p (a saved copy of SS) and executes int3 at
// once: the instruction after a MOV SS is executed with debug exceptions
// held, so a data breakpoint on *p fires at the first instruction of the
// int3 handler in the kernel (CVE-2018-8897).
func movSSInt3(p *uint16)

// saveSS stores SS in *p.
func saveSS(p *uint16)

// stopThen makes the stop system call and then trap(b1) at once, so the
// tracer's next syscall stop after the stop is trap's.
func stopThen(stop, s1, s2, s3, trap, b1 uintptr) uintptr

// The access functions (entered only by access's jump).
func w1()
func w2()
func w4()
func w8()
func r1()
func r2()
func r4()
func r8()
