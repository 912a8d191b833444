package insn

import (
	"bytes"
	"runtime"
	"testing"
	"unsafe"
)

// text reads n bytes of this process's code at addr (read through
// /proc/self/mem on Linux would be the same bytes: text is not moved).
func text(addr uintptr, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = *(*byte)(unsafe.Add(nil, addr+uintptr(i)))
	}
	return b
}

// TestLayout: the instruction boundaries the tracer checks the PC against
// are those of the assembled functions (the assembler inserted nothing).
func TestLayout(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip(Missing())
	}
	seq := text(SeqEntry(), 54)
	if !bytes.Equal(seq[20:22], []byte{0x0f, 0x05}) || seq[StepSeq.Start] != 0x90 {
		t.Fatalf("run's text % x: want syscall at +20 and the nop at +%d", seq, StepSeq.Start)
	}
	if seq[34] != 0x0f || seq[35] != 0x0b {
		t.Errorf("no ud2 at +34 where the jmp skips: % x", seq)
	}
	for i, a := range Accesses {
		code := text(AccessEntry(i), int(a.TrapAt)+1)
		if code[a.TrapAt] != 0xc3 {
			t.Errorf("access %d (write %v, %d bytes): want ret at +%d, text % x", i, a.Write, a.Size, a.TrapAt, code)
		}
	}
	if c := text(CodeTargetEntry(), 2); c[0] != 0x90 || c[1] != 0xc3 {
		t.Errorf("codeTarget text % x", c)
	}
}

// TestRunsHere: the sequences run outside a tracer too (no stop: the
// SIGSTOP goes elsewhere, so only the accesses and the target run).
func TestRunsHere(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip(Missing())
	}
	// A write stores 1; a read leaves the seeded pattern as it was (that
	// it loads is what the watchpoint cases see: their stop's address).
	const seed = 0x5eed5eed5eed5eed
	var v [2]uint64
	for i, a := range Accesses {
		v[0], v[1] = seed, seed
		DoAccess(i, unsafe.Pointer(&v[0]))
		want := uint64(seed)
		if a.Write {
			want = 1
		}
		if v[0]&lenMask(a.Size) != want&lenMask(a.Size) || v[1] != seed {
			t.Errorf("access %d (write %v, %d bytes): memory %#x %#x, want %#x in the first %d bytes and the rest untouched", i, a.Write, a.Size, v[0], v[1], want, a.Size)
		}
	}
	CodeTarget()
	var ss uint16
	SaveSS(&ss)
	if ss == 0 {
		t.Errorf("SS read as 0")
	}
}

// lenMask covers the low n bytes of a word.
func lenMask(n int) uint64 {
	if n >= 8 {
		return ^uint64(0)
	}
	return 1<<(8*uint(n)) - 1
}
