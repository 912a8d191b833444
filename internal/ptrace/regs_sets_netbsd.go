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
