// Package insn holds the machine code a tracee runs under single step and
// debug registers: instruction sequences of known lengths, so a tracer
// knows the address of every instruction boundary (per-arch .s files; the
// suite's lab machines are amd64, other machines have none yet and say so
// in Missing).
package insn

import "fmt"

// Seq describes the stepping sequence: it starts with the system call that
// stops the calling thread (StopSelf's), and the tracer sees that stop with
// the PC at Entry+Start. After k single steps (k = 1..len(After)) the PC is
// Entry+After[k-1]. Run returns SeqResult when the whole sequence ran once.
type Seq struct {
	Start uintptr
	After []uintptr
}

// Access is one data access of a watchpoint case: the function at
// Accesses[i] does it at the address it is given, and a data watchpoint
// stops the thread after the access, with the PC at entry+TrapAt.
type Access struct {
	Write  bool
	Size   int
	TrapAt uintptr
}

// Missing says why this machine has no sequences, or "".
func Missing() string { return missing }

func noSeq(arch string) string {
	return fmt.Sprintf("no single-step instruction sequence is written for %s (internal/insn has amd64's)", arch)
}
