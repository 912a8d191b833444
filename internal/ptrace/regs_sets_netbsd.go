package ptrace

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// NetBSD's register requests are machine-dependent (<machine/ptrace.h>);
// every one takes the LWP in data (0: the first LWP). PT_GETREGS and
// PT_GETFPREGS take the struct in addr; PT_GETXSTATE a struct iovec
// naming a struct xstate.

var regSetNames = map[RegSet][2]string{
	RegsGP:     {"PT_GETREGS", "PT_SETREGS"},
	RegsFP:     {"PT_GETFPREGS", "PT_SETFPREGS"},
	RegsXState: {"PT_GETXSTATE", "PT_SETXSTATE"},
}

func regSetReqs(s RegSet) (get, set, size int) {
	md := nbabi.MDRequests[runtime.GOARCH]
	switch s {
	case RegsGP:
		return md.GetRegs, md.SetRegs, nbabi.RegLayout[runtime.GOARCH].Size
	case RegsFP:
		return md.GetFPRegs, md.SetFPRegs, nbabi.FPRegLayout[runtime.GOARCH]
	case RegsXState:
		return md.GetXState, md.SetXState, int(unsafe.Sizeof(nbabi.XState{}))
	}
	return 0, 0, 0
}

func regSetMissing(s RegSet) string {
	get, _, size := regSetReqs(s)
	if get == 0 || size == 0 {
		return fmt.Sprintf("%s is not a request on NetBSD/%s (<machine/ptrace.h>)", s.Name(false), runtime.GOARCH)
	}
	if s == RegsXState {
		return featureMissing(nbabi.FeatureXState)
	}
	return ""
}

func getRegSet(pid, lwp int, s RegSet) (Regs, error) {
	get, _, size := regSetReqs(s)
	buf := make([]uint64, (size+7)/8) // 8-aligned for the kernel's copyout
	b := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), size)
	if err := regSetIO(get, pid, lwp, s, b); err != nil {
		return Regs{}, err
	}
	return Regs{Set: s, Lwp: lwp, Bytes: b}, nil
}

func setRegSet(pid int, r Regs) error {
	_, set, size := regSetReqs(r.Set)
	if len(r.Bytes) != size {
		return fmt.Errorf("%s takes %d bytes, not %d", r.Set.Name(true), size, len(r.Bytes))
	}
	buf := make([]uint64, (size+7)/8)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), size)
	copy(b, r.Bytes)
	return regSetIO(set, pid, r.Lwp, r.Set, b)
}

func regSetIO(req, pid, lwp int, s RegSet, b []byte) error {
	if s == RegsXState {
		iov := nbabi.Iovec{Base: &b[0], Len: uintptr(len(b))}
		return ptracePtr(req, pid, unsafe.Pointer(&iov), lwp)
	}
	return ptracePtr(req, pid, unsafe.Pointer(&b[0]), lwp)
}

// netbsdSlots are the members of struct reg, struct fpreg and struct
// xstate of each machine (nbabi's layouts), with PTRACE_REG_PC,
// PTRACE_REG_SP and PTRACE_REG_INTRV as "pc", "sp", "intrv".
var netbsdSlots = map[string]map[RegSet]map[string]Slot{
	"amd64": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i, n := range amd64RegNames {
				m[n] = Slot{8 * i, 8}
			}
			m["pc"], m["sp"], m["intrv"] = m["rip"], m["rsp"], m["rax"]
			return m
		}(),
		RegsFP:     fxsaveSlots(0),
		RegsXState: xstateSlots(),
	},
	"386": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i, n := range []string{"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"} {
				m[n] = Slot{4 * i, 4}
			}
			m["pc"], m["sp"], m["intrv"] = m["eip"], m["esp"], m["eax"]
			return m
		}(),
		// struct save87: cw, sw, tw 4-aligned, two fp_addr, then st0..7 of
		// 10 bytes from 28.
		RegsFP: func() map[string]Slot {
			m := map[string]Slot{"cw": {0, 2}, "sw": {4, 2}}
			for i := 0; i < 8; i++ {
				m[fmt.Sprintf("st%d", i)] = Slot{28 + 10*i, 10}
			}
			return m
		}(),
		RegsXState: xstateSlots(),
	},
	"arm64": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i := 0; i < 31; i++ {
				m[fmt.Sprintf("x%d", i)] = Slot{8 * i, 8}
			}
			m["sp"], m["pc"], m["spsr"], m["tpidr"] = Slot{248, 8}, Slot{256, 8}, Slot{264, 8}, Slot{272, 8}
			m["intrv"] = m["x0"]
			return m
		}(),
		RegsFP: func() map[string]Slot {
			m := map[string]Slot{"fpcr": {512, 4}, "fpsr": {516, 4}}
			for i := 0; i < 32; i++ {
				m[fmt.Sprintf("v%d", i)] = Slot{16 * i, 16}
			}
			return m
		}(),
	},
	"arm": {
		RegsGP: func() map[string]Slot {
			m := map[string]Slot{}
			for i := 0; i < 13; i++ {
				m[fmt.Sprintf("r%d", i)] = Slot{4 * i, 4}
			}
			m["sp"], m["lr"], m["pc"], m["cpsr"] = Slot{52, 4}, Slot{56, 4}, Slot{60, 4}, Slot{64, 4}
			m["intrv"] = m["r0"]
			return m
		}(),
		RegsFP: func() map[string]Slot {
			m := map[string]Slot{"fpexc": {0, 4}, "fpscr": {4, 4}}
			for i := 0; i < 32; i++ {
				m[fmt.Sprintf("d%d", i)] = Slot{16 + 8*i, 8}
			}
			return m
		}(),
	},
}

// amd64RegNames are the _REG_* indices of struct reg in order
// (sys/arch/amd64/include/frame_regs.h).
var amd64RegNames = func() []string {
	n := []string{"rdi", "rsi", "rdx", "rcx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
		"rbp", "rbx", "rax", "gs", "fs", "es", "ds", "trapno", "err", "rip", "cs", "rflags", "rsp", "ss"}
	if len(n) != nbabi.AMD64_NGREG {
		panic("ptrace: amd64 struct reg has " + fmt.Sprint(nbabi.AMD64_NGREG) + " registers")
	}
	return n
}()

// xstateSlots: struct xstate, xs_rfbm, xs_xstate_bv, the FXSAVE image and
// the AVX upper halves (nbabi.XState).
func xstateSlots() map[string]Slot {
	var xs nbabi.XState
	m := fxsaveSlots(int(unsafe.Offsetof(xs.Fxsave)))
	m["rfbm"], m["xstate_bv"] = Slot{0, 8}, Slot{int(unsafe.Offsetof(xs.XstateBV)), 8}
	for i := 0; i < 16; i++ {
		m[fmt.Sprintf("ymmh%d", i)] = Slot{int(unsafe.Offsetof(xs.YmmHi128)) + 16*i, 16}
	}
	return m
}

func regSlots(s RegSet) map[string]Slot { return netbsdSlots[runtime.GOARCH][s] }

const (
	dumpCoreName    = "PT_DUMPCORE"
	dumpCoreMissing = ""
)

// dumpCore: PT_DUMPCORE takes the path in addr and its length in data
// (sys/kern/sys_ptrace_common.c ptrace_dumpcore: a NUL-less string).
func dumpCore(pid int, path string) error {
	if strings.IndexByte(path, 0) >= 0 || path == "" {
		return unix.EINVAL
	}
	b := []byte(path)
	return ptracePtr(nbabi.PT_DUMPCORE, pid, unsafe.Pointer(&b[0]), len(b))
}
