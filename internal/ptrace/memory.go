package ptrace

import (
	"fmt"
	"runtime"
)

// Mem names one way a tracer reads and writes a tracee's memory. Each kernel
// has some of them; MemMissing says why a kernel lacks one.
type Mem int

const (
	MemPIOD    Mem = iota + 1 // NetBSD PT_IO with PIOD_READ_D / PIOD_WRITE_D
	MemPIOI                   // NetBSD PT_IO with PIOD_READ_I / PIOD_WRITE_I
	MemWordD                  // NetBSD PT_READ_D / PT_WRITE_D; Linux PTRACE_PEEKDATA / PTRACE_POKEDATA
	MemWordI                  // NetBSD PT_READ_I / PT_WRITE_I; Linux PTRACE_PEEKTEXT / PTRACE_POKETEXT
	MemVM                     // Linux process_vm_readv / process_vm_writev
	MemProcMem                // Linux pread / pwrite on /proc/PID/mem
)

// Name is the kernel's name for the read or the write request of m.
func (m Mem) Name(write bool) string {
	n, ok := memNames[m]
	if !ok {
		return fmt.Sprintf("Mem(%d)", int(m))
	}
	if write {
		return n[1]
	}
	return n[0]
}

// MemMissing returns why this kernel has no m ("" when it has it).
func MemMissing(m Mem) string { return memMissing[m] }

// Word reports whether m moves exactly one word per request (the
// PT_READ_*/PT_WRITE_* and PEEK/POKE family), and WordSize how big that
// word is on this kernel: NetBSD's is an int, Linux's a long.
func (m Mem) Word() bool { return m == MemWordD || m == MemWordI }

// WordSize is the size of the word of a Word request.
func WordSize() int { return wordSize }

// ReadMem reads len(buf) bytes at addr of the stopped tracee pid with m and
// returns how many bytes the kernel says it moved and its error. A Word
// request needs len(buf) == WordSize().
func (tr *Tracer) ReadMem(pid int, m Mem, addr uintptr, buf []byte) (n int, err error) {
	addr, _ = mutMemReq(false, addr)
	tr.Do(func() { n, err = memIO(pid, m, false, addr, buf) })
	return mutMem(buf, n, err)
}

// WriteMem writes buf at addr of the stopped tracee pid with m.
func (tr *Tracer) WriteMem(pid int, m Mem, addr uintptr, buf []byte) (n int, err error) {
	if _, lost := mutMemReq(true, addr); lost {
		return len(buf), nil
	}
	tr.Do(func() { n, err = memIO(pid, m, true, addr, buf) })
	return mutMem(buf, n, err)
}

// ReadAuxv reads the tracee's ELF auxiliary vector (NetBSD PT_IO with
// PIOD_READ_AUXV; Linux has no request for it and reads /proc/PID/auxv).
func (tr *Tracer) ReadAuxv(pid int) (b []byte, err error) {
	tr.Do(func() { b, err = readAuxv(pid) })
	return b, err
}

// ReadAuxvAt reads len(buf) bytes of the tracee's auxiliary vector from
// byte offset off (NetBSD PT_IO PIOD_READ_AUXV with piod_offs off; Linux
// pread of /proc/PID/auxv) and returns how many the kernel gave: fewer at
// the end, 0 at or past it.
func (tr *Tracer) ReadAuxvAt(pid, off int, buf []byte) (n int, err error) {
	tr.Do(func() {
		n, err = readAuxvAt(pid, off, buf)
		n, err = mutAuxvAt(pid, off, buf, n, err)
	})
	return n, err
}

// AuxvRequest names how TryReadAuxv asks the kernel.
var AuxvRequest = auxvRequestOn[runtime.GOOS]
