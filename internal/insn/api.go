package insn

import "unsafe"

// The tracee's side. Each call runs on the calling thread, which must be
// locked to it (a tracee scenario's is).

// RunStepSeq stops the calling thread with a thread-directed SIGSTOP and
// then runs StepSeq; it returns the sequence's result (SeqResult).
func RunStepSeq() uintptr {
	trap, a1, a2, a3 := stopSelfCall()
	return run(trap, a1, a2, a3)
}

// StopThenSyscall stops the calling thread with a thread-directed SIGSTOP
// and then, at once, makes system call trap with the one argument b1,
// returning its first result register.
func StopThenSyscall(trap, b1 uintptr) uintptr {
	s, s1, s2, s3 := stopSelfCall()
	return stopThen(s, s1, s2, s3, trap, b1)
}

// SeqEntry is the address of StepSeq's function.
func SeqEntry() uintptr { return seqEntry() }

// AccessEntry is the address of the function that does Accesses[i].
func AccessEntry(i int) uintptr {
	var e [8]uintptr
	accessEntries(&e)
	return e[i]
}

// DoAccess does Accesses[i] at p.
func DoAccess(i int, p unsafe.Pointer) { access(i, uintptr(p)) }

// CodeTarget runs the execution breakpoint's target instruction.
func CodeTarget() { codeTarget() }

// CodeTargetEntry is the address of that instruction.
func CodeTargetEntry() uintptr { return codeTargetEntry() }

// SaveSS stores the stack segment selector in *p, for MovSSInt3.
func SaveSS(p *uint16) { saveSS(p) }

// MovSSInt3 loads SS from *p and executes int3 under it (CVE-2018-8897's
// sequence); with a data breakpoint on *p the #DB is held across the
// MOV SS and raised inside the kernel's int3 entry.
func MovSSInt3(p *uint16) { movSSInt3(p) }
