package ptrace

// NetBSD: x/sys/unix has no ptrace API for NetBSD beyond SYS_PTRACE, so the
// requests, structures and wait flavours come from package nbabi
// (sys/sys/ptrace.h 1.75, sys/sys/siginfo.h 1.34, sys/sys/wait.h 1.29).
//
// It is compiled for netbsd/{amd64,arm64,386,arm} and runs on NetBSD/amd64
// under qemu (cmd/netbsd-qemu, docs/NETBSD-QEMU.md).

import (
	"fmt"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// NetBSD: the tracer is the process; exiting a locked thread is unsafe on
// the BSDs (golang/go#52394), so the tracer goroutine unlocks when done.
const unlockWhenDone = true

// RequestNames are the kernel's names of the requests behind Cont,
// Detach, Kill, Attach, SetEventMask, EventMask, PC and TraceExec, for
// messages.
var RequestNames = struct{ Cont, Detach, Kill, Attach, SetMask, GetMask, GetRegs, TraceExec string }{
	"PT_CONTINUE", "PT_DETACH", "PT_KILL", "PT_ATTACH", "PT_SET_EVENT_MASK", "PT_GET_EVENT_MASK",
	"PT_GETREGS", "(TRAP_EXEC is always reported)",
}

// threadID is the calling LWP's id (_lwp_self(2), which x/sys lacks:
// nbabi.SYS__LWP_SELF).
func threadID() int {
	r, _, _ := unix.RawSyscall(nbabi.SYS__LWP_SELF, 0, 0, 0)
	return int(r)
}

// checkKernel reads the kernel's revision once; every request is then
// checked against it (requestGate) and cases gate on features (Needs).
func checkKernel() error {
	_, err := osRevision()
	return err
}

var osRev struct {
	once sync.Once
	rev  uint32
	err  error
}

// osRevision is sysctl kern.osrevision, the kernel's __NetBSD_Version__.
func osRevision() (uint32, error) {
	osRev.once.Do(func() {
		osRev.rev, osRev.err = unix.SysctlUint32("kern.osrevision")
		if osRev.err != nil {
			osRev.err = fmt.Errorf("sysctl kern.osrevision: %w", osRev.err)
		}
	})
	return osRev.rev, osRev.err
}

func featureMissing(f nbabi.Feature) string {
	rev, err := osRevision()
	if err != nil {
		return err.Error()
	}
	return f.Missing(rev)
}

// requestGate keeps a request whose number means something else (or
// nothing) on this kernel's revision from being sent at all.
func requestGate(req int) error {
	rev, err := osRevision()
	if err != nil {
		return err
	}
	if why := nbabi.RequestMissing(req, rev); why != "" {
		return &MissingError{Request: nbabi.RequestName(req), Why: why}
	}
	return nil
}

func sysProcAttr(traced, leader, _ bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Ptrace: traced, Setpgid: leader}
}

func afterExec(int, bool) error { return nil }

// ptrace is ptrace(2) with an integer addr (a PC, 1 for "where it stopped",
// or an LWP); ptracePtr passes a Go pointer (x/sys's FreeBSD split).
func ptrace(req, pid int, addr uintptr, data int) error {
	if err := requestGate(req); err != nil {
		return err
	}
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, uintptr(data), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func ptracePtr(req, pid int, addr unsafe.Pointer, data int) error {
	if err := requestGate(req); err != nil {
		return err
	}
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), uintptr(addr), uintptr(data), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// addr 1 resumes where the tracee stopped; 0 is rejected with EINVAL.
func resume(pid, sig int) error { return ptrace(nbabi.PT_CONTINUE, pid, 1, sig) }

func detach(pid, sig int) error { return ptrace(nbabi.PT_DETACH, pid, 1, sig) }

func kill(pid int) error { return ptrace(nbabi.PT_KILL, pid, 0, 0) }

func attach(pid int) error { return ptrace(nbabi.PT_ATTACH, pid, 0, 0) }

// The portable Mask bits are NetBSD's PTRACE_* event bits; data must be
// sizeof(ptrace_event_t) or the kernel says EINVAL.
func setMask(pid int, m Mask, _ bool) error {
	ev := nbabi.PtraceEvent{SetEvent: int32(m)}
	return ptracePtr(nbabi.PT_SET_EVENT_MASK, pid, unsafe.Pointer(&ev), int(unsafe.Sizeof(ev)))
}

func getMask(pid int, _ Mask) (Mask, bool, error) {
	var ev nbabi.PtraceEvent
	err := ptracePtr(nbabi.PT_GET_EVENT_MASK, pid, unsafe.Pointer(&ev), int(unsafe.Sizeof(ev)))
	return Mask(ev.SetEvent), true, err
}

func getSiginfo(pid int) (*nbabi.PtraceSiginfo, error) {
	var psi nbabi.PtraceSiginfo
	err := ptracePtr(nbabi.PT_GET_SIGINFO, pid, unsafe.Pointer(&psi), int(unsafe.Sizeof(psi)))
	return &psi, err
}

func getState(pid int) (nbabi.PtraceState, error) {
	var st nbabi.PtraceState
	err := ptracePtr(nbabi.PT_GET_PROCESS_STATE, pid, unsafe.Pointer(&st), int(unsafe.Sizeof(st)))
	return st, err
}

var stateKinds = map[int32]Kind{
	nbabi.PTRACE_FORK: Fork, nbabi.PTRACE_VFORK: Vfork, nbabi.PTRACE_VFORK_DONE: VforkDone,
	nbabi.PTRACE_POSIX_SPAWN: Spawn, nbabi.PTRACE_LWP_CREATE: LwpCreate, nbabi.PTRACE_LWP_EXIT: LwpExit,
}

// decode turns a wait status into an Event, asking the kernel for the
// stop's siginfo (PT_GET_SIGINFO) and, for a SIGTRAP that is not a syscall
// or exec trap, the reporting event (PT_GET_PROCESS_STATE), as NetBSD's own
// suite and debuggers do.
// reportBuf: NetBSD decodes each report into allocations of its own
// (WithReusedReports changes nothing there).
type reportBuf struct{}

func (*reportBuf) newRaw(status uint32) *Raw { return &Raw{Status: status} }

func decode(pid int, status uint32, _ []byte, _ *reportBuf) Event {
	ws := nbabi.WaitStatus(status)
	ev := Event{Pid: pid, Raw: &Raw{Status: status}}
	switch {
	case ws.Exited():
		ev.Kind, ev.Status = Exited, ws.ExitStatus()
	case ws.Signaled():
		ev.Kind, ev.Sig, ev.Core = Killed, ws.Signal(), ws.CoreDump()
	case ws.Stopped():
		ev.Kind, ev.Sig = Stopped, ws.StopSignal()
		psi, err := getSiginfo(pid)
		if err != nil {
			return ev
		}
		si := &psi.Siginfo
		ev.Lwp, ev.Code = int(psi.Lwpid), si.Code()
		ev.Raw.Siginfo = append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(si)), unsafe.Sizeof(*si))...)
		if ev.Sig != int(unix.SIGTRAP) {
			return ev
		}
		// Every event below is a SIGTRAP stop; like Linux's event stops
		// it is reported by kind, with Sig 0 and Code 0. Its signal and
		// si_code stay in Raw (Status, Siginfo).
		switch ev.Code {
		case nbabi.TRAP_EXEC:
			ev.Kind, ev.Sig, ev.Code = Exec, 0, 0
		case nbabi.TRAP_SCE, nbabi.TRAP_SCX:
			ev.Kind, ev.Sig, ev.Code, ev.Sysno = SyscallEntry, 0, 0, -1
			if si.Code() == nbabi.TRAP_SCX {
				ev.Kind = SyscallExit
			}
			if !syscallSiginfo() {
				// The siginfo has no _syscall member (FeatureSyscallSiginfo):
				// what is there is not a number, arguments or results.
				break
			}
			ev.Sysno = si.Sysnum()
			rv := si.Retval()
			ev.Raw.Sys = &Syscall{Args: si.Args(), Ret: [2]int64{int64(rv[0]), int64(rv[1])},
				Errno: si.Error(), IsError: si.Error() != 0}
		default:
			// The reporting event is the process state: NetBSD 10 keeps
			// it in the stop's siginfo and clears it for any stop that
			// is not TRAP_CHLD/TRAP_LWP; older kernels keep it in
			// per-process fields (p_fpid, p_lwp_created, …) that every
			// resume clears (ptrace_sendsig), and their si_code can be
			// stale, so the state is asked at every such SIGTRAP.
			if st, err := getState(pid); err == nil {
				if k, ok := stateKinds[st.ReportEvent]; ok {
					ev.Kind, ev.Sig, ev.Code, ev.Other = k, 0, 0, int(st.OtherPid)
				}
			}
		}
	}
	return ev
}

// syscallSiginfo: this kernel's TRAP_SCE/TRAP_SCX siginfo carries the
// call (si_sysnum, si_args, si_retval, si_error).
var syscallSiginfo = sync.OnceValue(func() bool { return featureMissing(nbabi.FeatureSyscallSiginfo) == "" })

func wait4(pid int, ru *unix.Rusage) (int, uint32, []byte, error) {
	for {
		var ws unix.WaitStatus
		wpid, err := unix.Wait4(pid, &ws, 0, ru)
		if err == unix.EINTR {
			continue
		}
		return wpid, uint32(ws), nil, err
	}
}

// wait6 is syscall 481, which x/sys lacks: wait6(idtype, id, status,
// options, wrusage, info). id_t is 32-bit on NetBSD (sys/sys/types.h), so
// the six arguments are six words on every arch.
func wait6(idtype, id int, status *int32, options int, info *nbabi.Siginfo) (int, error) {
	r, _, e := unix.Syscall6(nbabi.SYS_WAIT6, uintptr(idtype), uintptr(id), uintptr(unsafe.Pointer(status)),
		uintptr(options), 0, uintptr(unsafe.Pointer(info)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

func wait6Flavour(name string, wantStatus bool) Flavour {
	return Flavour{Name: name, HasPid: true, HasStatus: wantStatus, wait: func(p int) (int, uint32, []byte, error) {
		idtype, id := nbabi.P_PID, p
		if p == -1 {
			idtype, id = nbabi.P_ALL, 0
		}
		for {
			var si nbabi.Siginfo
			var st int32
			stp := &st
			if !wantStatus {
				stp = nil
			}
			wpid, err := wait6(idtype, id, stp, nbabi.WEXITED|nbabi.WTRAPPED, &si)
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				return 0, 0, nil, err
			}
			raw := append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(&si)), unsafe.Sizeof(si))...)
			if wantStatus {
				return wpid, uint32(st), raw, nil
			}
			return int(si.Pid()), statusFromSiginfo(&si), raw, nil
		}
	}}
}

// statusFromSiginfo rebuilds a wait status from waitid's siginfo
// (CLD_* code and si_status).
func statusFromSiginfo(si *nbabi.Siginfo) uint32 {
	st := uint32(si.Status())
	switch si.Code() {
	case nbabi.CLD_EXITED:
		return (st & 0xff) << 8
	case nbabi.CLD_KILLED:
		return st & 0x7f
	case nbabi.CLD_DUMPED:
		return st&0x7f | 0x80
	}
	return st<<8 | 0x7f
}

var flavours = []Flavour{
	{Name: "wait", HasStatus: true, wait: func(int) (int, uint32, []byte, error) { return wait4(-1, nil) }},
	{Name: "waitpid", HasPid: true, HasStatus: true, wait: func(p int) (int, uint32, []byte, error) { return wait4(p, nil) }},
	wait6Flavour("waitid", false),
	{Name: "wait3", HasStatus: true, wait: func(int) (int, uint32, []byte, error) { return wait4(-1, new(unix.Rusage)) }},
	{Name: "wait4", HasPid: true, HasStatus: true, wait: func(p int) (int, uint32, []byte, error) { return wait4(p, new(unix.Rusage)) }},
	wait6Flavour("wait6", true),
}

func reapOne() (int, error) {
	var ws unix.WaitStatus
	return unix.Wait4(-1, &ws, unix.WNOHANG|nbabi.WALLSIG, nil)
}

// kinfo reads a process's kinfo_proc2 (sysctl kern.proc2.pid), as NetBSD's
// suite does to check signal masks and zombies.
func kinfo(pid int) ([]byte, error) {
	mib := []int32{nbabi.CTL_KERN, nbabi.KERN_PROC2, nbabi.KERN_PROC_PID, int32(pid), int32(nbabi.SizeofKinfoProc2), 1}
	buf := make([]byte, nbabi.SizeofKinfoProc2)
	n := uintptr(len(buf))
	_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0, 0)
	if e != 0 {
		return nil, e
	}
	if n < uintptr(nbabi.SizeofKinfoProc2) {
		return nil, unix.ESRCH
	}
	return buf, nil
}

func alive(pid int) bool {
	if unix.Kill(pid, 0) != nil {
		return false
	}
	kp, err := kinfo(pid)
	if err != nil {
		return false
	}
	return kp[nbabi.KinfoProc2Offsets.Stat] != nbabi.LSZOMB
}

func sigset64(b []byte) SigSet {
	return SigSet(uint64(*(*uint32)(unsafe.Pointer(&b[0]))) | uint64(*(*uint32)(unsafe.Pointer(&b[4])))<<32)
}

func sigState(pid int) (SigState, error) {
	kp, err := kinfo(pid)
	if err != nil {
		return SigState{}, err
	}
	return SigState{
		Blocked: sigset64(kp[nbabi.KinfoProc2Offsets.Sigmask:]),
		Ignored: sigset64(kp[nbabi.KinfoProc2Offsets.Sigignore:]),
	}, nil
}

func signame(s syscall.Signal) string { return unix.SignalName(s) }

// HasSafetyNets: NetBSD has no PR_SET_PDEATHSIG or PTRACE_O_EXITKILL; a
// user's cleanup (KillAll, ReapAll) alone kills and reaps.
const HasSafetyNets = false

// bareSyscallStop: on NetBSD only the stop's siginfo (TRAP_SCE/TRAP_SCX)
// tells a syscall stop from another SIGTRAP, so none is told by its status
// alone and WithSyscallInfo(false) changes nothing.
func bareSyscallStop(status uint32) bool { return false }

// kinfoLwps reads the LWPs of pid (sysctl KERN_LWP), in the kernel's order.
func kinfoLwps(pid int) ([]nbabi.KinfoLwp, error) {
	const most = 64
	buf := make([]nbabi.KinfoLwp, most)
	mib := []int32{nbabi.CTL_KERN, nbabi.KERN_LWP, int32(pid), int32(nbabi.SizeofKinfoLwp), most}
	n := uintptr(len(buf)) * uintptr(nbabi.SizeofKinfoLwp)
	_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0, 0)
	if e != 0 && e != unix.ENOMEM {
		return nil, e
	}
	return buf[:n/uintptr(nbabi.SizeofKinfoLwp)], nil
}
