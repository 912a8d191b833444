//go:build linux || netbsd

package raw

import (
	"fmt"
	"runtime"
)

// A register scenario loads known values into the registers of the calling
// thread and stops it with a thread-directed SIGSTOP issued by the same
// assembly routine (regsLoadStop), so that no Go code, and no Go runtime,
// runs between the loads and the stop: at the stop the thread's registers
// are exactly the loaded values, whatever the compiler does. Once resumed
// the routine stores the registers as the thread then has them, so that
// the tracer learns what a PT_SETREGS made the thread see.

// RegBlock is what regsLoadStop reads and writes. Its layout is part of
// the assembly (go_asm.h names its offsets).
type RegBlock struct {
	In  [NumGPLoaded]uint64 // loaded into GPLoaded, in order
	Out [NumGPLoaded]uint64 // the same registers once resumed
	SP  uint64              // the stack pointer at the stopping system call
	AX  uint64              // the stopping system call's return value, as the thread saw it
	// Trap, A1..A3: the stopping system call (Linux tgkill(pid, tid,
	// SIGSTOP); NetBSD _lwp_kill(lid, SIGSTOP)).
	Trap, A1, A2, A3 uint64
	AVX              uint64       // non-zero: load and store the whole 256-bit registers
	VIn              [16][32]byte // vector registers 0..15 (SSE: the low 16 bytes)
	VOut             [16][32]byte // the same once resumed
	// FPMode says what goes into the x87 register file, which MMX
	// shares: FPNone, FPMMX (mm0..mm7 from the low 8 bytes of FIn) or
	// FPX87 (st0..st7 from FIn's 10-byte extended values, st0 = FIn[0]).
	FPMode uint64
	FIn    [8][16]byte
	FOut   [8][16]byte
}

// The x87 register file modes of a RegBlock.
const (
	FPNone = 0
	FPMMX  = 1
	FPX87  = 2
)

// RegsUnsupported says why this machine has no register-loading routine
// ("" when it has one).
func RegsUnsupported() string { return regsUnsupported }

// GPValue is the value the scenario loads into the i-th register of
// GPLoaded: distinct per register and per LWP (lwpSeed), with bits set in
// every byte so that a truncated or shifted read shows.
func GPValue(lwpSeed, i int) uint64 {
	return 0x5ee0_0000_0000_0000 | uint64(lwpSeed&0xff)<<40 | uint64(i+1)<<32 | 0x1357_9bdf ^ uint64(i)<<8
}

// VecValue is byte j of the value loaded into vector register i.
func VecValue(i, j int) byte { return byte(0xa0 + 3*i + 7*j) }

// NewRegBlock fills a block with the GPValue and VecValue patterns and this
// thread's self-stop. The caller must stay locked to its thread until
// LoadStop returns.
func NewRegBlock(avx bool) *RegBlock { return NewRegBlockFP(avx, FPNone) }

// X87Value is the value loaded into x87 register st(i) (FPX87), an
// 80-bit extended float in its memory layout: a normalized 64-bit
// mantissa (explicit integer bit) and a sign-exponent word, which a load
// and a store keep to the bit.
func X87Value(seed, i int) [10]byte {
	var v [10]byte
	m := uint64(0x8000_0000_0000_0000) | uint64(seed&0xff)<<48 | uint64(i+1)<<40 | 0x2468_ace0_1357
	for j := 0; j < 8; j++ {
		v[j] = byte(m >> (8 * j))
	}
	e := uint16(0x3fff + i - 3)
	if i%2 == 1 {
		e |= 0x8000 // negative
	}
	v[8], v[9] = byte(e), byte(e>>8)
	return v
}

// MMXValue is the value loaded into mm(i) (FPMMX).
func MMXValue(seed, i int) uint64 {
	return 0x0aa0_0000_0000_0000 | uint64(seed&0xff)<<40 | uint64(i+1)<<32 | 0x0bad_cafe ^ uint64(i)<<4
}

// NewRegBlockFP is NewRegBlock that also loads the x87 register file
// (fpMode FPMMX or FPX87).
func NewRegBlockFP(avx bool, fpMode int) *RegBlock {
	b := &RegBlock{FPMode: uint64(fpMode)}
	for i := range b.FIn {
		switch fpMode {
		case FPMMX:
			v := MMXValue(0, i)
			for j := 0; j < 8; j++ {
				b.FIn[i][j] = byte(v >> (8 * j))
			}
		case FPX87:
			v := X87Value(0, i)
			copy(b.FIn[i][:], v[:])
		}
	}
	for i := range b.In {
		b.In[i] = GPValue(0, i)
	}
	for i := range b.VIn {
		for j := range b.VIn[i] {
			b.VIn[i][j] = VecValue(i, j)
		}
	}
	if avx {
		b.AVX = 1
	}
	b.Trap, b.A1, b.A2, b.A3 = selfStopCall()
	return b
}

// LoadStop loads the block's values, stops the calling thread and, once
// resumed, stores what the registers then hold. The thread must have been
// locked by the caller before NewRegBlock (the stop names it).
func (b *RegBlock) LoadStop() error {
	if regsUnsupported != "" {
		return fmt.Errorf("%s", regsUnsupported)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	regsLoadStop(b)
	return nil
}

// RegsLandingAddress is an instruction sequence that exits the process
// with the value of the register named LandingCodeReg as its status (a
// raw exit system call): a tracer that sets PC there sees the process
// exit with the code it put in that register.
func RegsLandingAddress() uintptr { return regsLandingAddr() }

// RegsStopAddress is the entry of the routine the thread stops in.
func RegsStopAddress() uintptr { return regsLoadStopAddr() }
