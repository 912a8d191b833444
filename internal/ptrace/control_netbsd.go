package ptrace

import (
	"fmt"
	"runtime"
	"unsafe"

	"ptracesuite/internal/nbabi"
)

// resumeLwpAt: do_ptrace reads data < 0 as "resume LWP -data alone" and,
// for PT_STEP, data > 0 as "step this LWP"; the PC is set on that LWP.
func resumeLwpAt(pid, lwp int, r ResumeReq, addr uintptr) error {
	switch r {
	case ReqContinue, ReqSyscall:
		return resumeAt(pid, r, addr, -lwp)
	case ReqStep:
		return resumeAt(pid, r, addr, lwp)
	}
	return resumeAt(pid, r, addr, 0)
}

func resumeAt(pid int, r ResumeReq, addr uintptr, sig int) error {
	req := map[ResumeReq]int{
		ReqContinue: nbabi.PT_CONTINUE, ReqSyscall: nbabi.PT_SYSCALL,
		ReqDetach: nbabi.PT_DETACH, ReqStep: nbabi.MDRequests[runtime.GOARCH].Step,
	}[r]
	if req == 0 {
		return fmt.Errorf("%s", resumeMissing(r))
	}
	return ptrace(req, pid, addr, sig)
}

// getPC reads struct reg of LWP lwp with PT_GETREGS (data is the LWP) and
// takes PTRACE_REG_PC from its machine layout.
func getPC(pid, lwp int) (uintptr, error) {
	md, lay := nbabi.MDRequests[runtime.GOARCH], nbabi.RegLayout[runtime.GOARCH]
	if md.GetRegs == 0 || lay.Size == 0 {
		return 0, fmt.Errorf("no PT_GETREGS layout for NetBSD/%s", runtime.GOARCH)
	}
	buf := make([]uint64, (lay.Size+7)/8)
	if err := ptracePtr(md.GetRegs, pid, unsafe.Pointer(&buf[0]), lwp); err != nil {
		return 0, err
	}
	p := unsafe.Add(unsafe.Pointer(&buf[0]), lay.PCOffset)
	if unsafe.Sizeof(uintptr(0)) == 8 {
		return uintptr(*(*uint64)(p)), nil
	}
	return uintptr(*(*uint32)(p)), nil
}

const (
	getSiginfoName = "PT_GET_SIGINFO"
	setSiginfoName = "PT_SET_SIGINFO"
	siCodeOffset   = 4 // si_signo, si_code, si_errno (sys/sys/siginfo.h 1.34)
)

// siAddr: si_addr of _fault, where nbabi lays it out per machine.
func siAddr(b []byte) uintptr {
	var si nbabi.Siginfo
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&si)), unsafe.Sizeof(si)), b)
	return si.Addr()
}

func getSiginfoOf(pid int) (Siginfo, error) {
	psi, err := getSiginfo(pid)
	if err != nil {
		return Siginfo{}, err
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&psi.Siginfo)), unsafe.Sizeof(psi.Siginfo))
	return Siginfo{Bytes: append([]byte(nil), b...), Lwp: int(psi.Lwpid)}, nil
}

// setSiginfoOf: data must be sizeof(ptrace_siginfo_t); psi_lwpid picks the
// LWP (0: the process).
func setSiginfoOf(pid int, s Siginfo, sendPanicking bool) error {
	if why := featureMissing(nbabi.FixSetSiginfoLwp); why != "" && s.Lwp != 0 && !sendPanicking {
		return &MissingError{Request: setSiginfoName + " naming LWP " + fmt.Sprint(s.Lwp), Why: "kernels without the fix panic: " + why}
	}
	var psi nbabi.PtraceSiginfo
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&psi.Siginfo)), unsafe.Sizeof(psi.Siginfo)), s.Bytes)
	psi.Lwpid = int32(s.Lwp)
	return ptracePtr(nbabi.PT_SET_SIGINFO, pid, unsafe.Pointer(&psi), int(unsafe.Sizeof(psi)))
}

func traceExec(int, Mask, bool) error { return nil }
