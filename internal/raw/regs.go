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
}

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
func NewRegBlock(avx bool) *RegBlock {
	b := &RegBlock{}
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
