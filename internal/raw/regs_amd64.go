//go:build linux || netbsd

package raw

import "strconv"

// GPLoaded are the general registers regsLoadStop loads (amd64): every
// one the stopping system call leaves alone (not RAX, RCX, R11, nor the
// argument registers RDI, RSI, RDX it needs).
var GPLoaded = [NumGPLoaded]string{"rbx", "rbp", "r8", "r9", "r10", "r12", "r13", "r14", "r15"}

// NumGPLoaded is len(GPLoaded).
const NumGPLoaded = 9

// LandingCodeReg is the register whose value the landing exits with.
const LandingCodeReg = "rbx"

// VecName is the name of vector register i in the FP register set
// (PT_GETFPREGS / NT_PRFPREG) and XState's upper halves.
func VecName(i int) (low, high string) { return "xmm" + strconv.Itoa(i), "ymmh" + strconv.Itoa(i) }

const regsUnsupported = ""

func regsLoadStop(b *RegBlock)
func regsLandingAddr() uintptr
func regsLoadStopAddr() uintptr
