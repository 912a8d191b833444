package ptrace

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// Linux: the tracer is a thread; leaving the locked thread to die with the
// goroutine is what makes PTRACE_O_EXITKILL kill leftovers.
const unlockWhenDone = false

// RequestNames are the kernel's names of the requests behind Cont,
// Detach, Kill, Attach, SetEventMask, EventMask, PC and TraceExec, for
// messages.
var RequestNames = struct{ Cont, Detach, Kill, Attach, SetMask, GetMask, GetRegs, TraceExec string }{
	"PTRACE_CONT", "PTRACE_DETACH", "kill(SIGKILL)", "PTRACE_ATTACH", "PTRACE_SETOPTIONS", "(no PTRACE_GETOPTIONS)",
	"PTRACE_GETREGSET(NT_PRSTATUS)", "PTRACE_SETOPTIONS(PTRACE_O_TRACEEXEC)",
}

// baseOptions are set on every tracee: syscall stops are SIGTRAP|0x80 so
// they cannot be mistaken for a SIGTRAP signal, and (a safety net) a
// tracee dies with its tracer thread instead of running on untraced.
func baseOptions(nets bool) int {
	if !nets {
		return unix.PTRACE_O_TRACESYSGOOD
	}
	return unix.PTRACE_O_TRACESYSGOOD | unix.PTRACE_O_EXITKILL
}

// HasSafetyNets: Linux's PR_SET_PDEATHSIG and PTRACE_O_EXITKILL kill
// tracees whose tracer died (WithSafetyNets). NetBSD has neither, and
// there a user's cleanup (KillAll, ReapAll) alone must leave nothing
// behind.
const HasSafetyNets = true

func checkKernel() error { return nil }

// threadID is the calling thread's id (gettid(2)).
func threadID() int { return unix.Gettid() }

// The NetBSD revision features gate nothing on Linux: each case's data
// names the Linux analog or the missing request.
func featureMissing(nbabi.Feature) string { return "" }

func sysProcAttr(traced, leader, nets bool) *syscall.SysProcAttr {
	// Setpgid: the child and every raw child it makes share one process
	// group KillAll can kill at once. Pdeathsig: if the tracer thread
	// dies, so does the child.
	attr := &syscall.SysProcAttr{Ptrace: traced, Setpgid: leader, Pdeathsig: syscall.SIGKILL}
	if !nets {
		attr.Pdeathsig = 0
	}
	return attr
}

func afterExec(pid int, nets bool) error { return unix.PtraceSetOptions(pid, baseOptions(nets)) }

func resume(pid, sig int) error { return unix.PtraceCont(pid, sig) }

func detach(pid, sig int) error {
	// x/sys's PtraceDetach cannot pass a signal.
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_DETACH, uintptr(pid), 0, uintptr(sig), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func kill(pid int) error { return unix.Kill(pid, unix.SIGKILL) }

func attach(pid int) error {
	if err := unix.PtraceAttach(pid); err != nil {
		return err
	}
	return nil
}

// linuxOptions maps the portable mask to PTRACE_O_* options. MaskSpawn has
// no analog: Linux has no spawn syscall (see tests/fork for what it reports).
var linuxOptions = []struct {
	m   Mask
	opt int
}{
	{MaskFork, unix.PTRACE_O_TRACEFORK},
	{MaskVfork, unix.PTRACE_O_TRACEVFORK},
	{MaskVforkDone, unix.PTRACE_O_TRACEVFORKDONE},
	{MaskLwpCreate, unix.PTRACE_O_TRACECLONE},
	{MaskLwpExit, unix.PTRACE_O_TRACEEXIT},
}

func setMask(pid int, m Mask, nets bool) error {
	opts := baseOptions(nets)
	for _, x := range linuxOptions {
		if m&x.m != 0 {
			opts |= x.opt
		}
	}
	return unix.PtraceSetOptions(pid, opts)
}

func getMask(pid int, last Mask) (Mask, bool, error) { return last, false, nil }

// ptraceRaw is one ptrace request that does not block (every request but
// PTRACE_ATTACH's wait, which is a separate wait): a raw system call, with
// no scheduler hand-off, from the locked tracer thread.
func ptraceRaw(req, pid int, addr, data uintptr) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// siginfoBuf is a kernel siginfo_t (128 bytes on every Linux arch).
type siginfoBuf [16]uint64

func (b *siginfoBuf) bytes() []byte { return unsafe.Slice((*byte)(unsafe.Pointer(b)), 128) }
func (b *siginfoBuf) i32(off int) int {
	return int(*(*int32)(unsafe.Pointer(&b.bytes()[off])))
}

// siginfo offsets (include/uapi/asm-generic/siginfo.h): signo 0, errno 4,
// code 8; the union starts at 16 on 64-bit and 12 on 32-bit arches.
const siUnion = 12 + 4*int(unsafe.Sizeof(uintptr(0))/8)

func getSiginfo(pid int) (*siginfoBuf, error) {
	si := new(siginfoBuf)
	return si, getSiginfoInto(pid, si)
}

func getSiginfoInto(pid int, si *siginfoBuf) error {
	return ptraceRaw(unix.PTRACE_GETSIGINFO, pid, 0, uintptr(unsafe.Pointer(si)))
}

// syscallInfo is struct ptrace_syscall_info (include/uapi/linux/ptrace.h),
// which x/sys lacks: op, reserved, flags, arch, instruction_pointer,
// stack_pointer, then the entry {nr, args[6]} / exit {rval, is_error} union.
type syscallInfo struct {
	Op   uint8
	_    uint8
	_    uint16
	Arch uint32
	IP   uint64
	SP   uint64
	Data [8]uint64
}

func getSyscallInfo(pid int, info *syscallInfo) error {
	return ptraceRaw(unix.PTRACE_GET_SYSCALL_INFO, pid, unsafe.Sizeof(*info), uintptr(unsafe.Pointer(info)))
}

var eventKinds = map[int]Kind{
	unix.PTRACE_EVENT_FORK: Fork, unix.PTRACE_EVENT_VFORK: Vfork,
	unix.PTRACE_EVENT_VFORK_DONE: VforkDone, unix.PTRACE_EVENT_CLONE: Clone,
	unix.PTRACE_EVENT_EXEC: Exec, unix.PTRACE_EVENT_EXIT: ExitEvent,
}

// A report's Raw and what it points to are one allocation per report:
// the kernel writes the siginfo into its final place.
type signalRaw struct {
	raw Raw
	si  siginfoBuf
}

type syscallRaw struct {
	raw Raw
	sys Syscall
}

// reportBuf is WithReusedReports's one place for every report's Raw: nil,
// each report gets its own.
type reportBuf struct {
	raw Raw
	sys syscallRaw
	sig signalRaw
}

func (b *reportBuf) newRaw(status uint32) *Raw {
	if b == nil {
		return &Raw{Status: status}
	}
	b.raw = Raw{Status: status}
	return &b.raw
}

func (b *reportBuf) newSyscallRaw(status uint32) *syscallRaw {
	if b == nil {
		return &syscallRaw{raw: Raw{Status: status}}
	}
	b.sys = syscallRaw{raw: Raw{Status: status}}
	return &b.sys
}

func (b *reportBuf) newSignalRaw(status uint32) *signalRaw {
	if b == nil {
		return &signalRaw{raw: Raw{Status: status}}
	}
	b.sig = signalRaw{raw: Raw{Status: status}}
	return &b.sig
}

// decode turns a wait status into an Event, asking the kernel for the
// stop's details (runs on the tracer thread while the tracee is stopped):
// a syscall stop (SIGTRAP|0x80, PTRACE_O_TRACESYSGOOD) by
// PTRACE_GET_SYSCALL_INFO alone, its siginfo being the kernel's fixed
// SIGTRAP with si_code SIGTRAP|0x80; every other stop by its siginfo.
func decode(pid int, status uint32, _ []byte, into *reportBuf) Event {
	ev := Event{Pid: pid, Lwp: pid}
	switch {
	case status&0x7f == 0:
		ev.Kind, ev.Status = Exited, int(status>>8)&0xff
		ev.Raw = into.newRaw(status)
	case status&0xff != 0x7f:
		ev.Kind, ev.Sig, ev.Core = Killed, int(status&0x7f), status&0x80 != 0
		ev.Raw = into.newRaw(status)
	case int(status>>8)&0xff == int(unix.SIGTRAP)|0x80:
		b := into.newSyscallRaw(status)
		ev.Raw = &b.raw
		decodeSyscall(pid, &ev, &b.sys)
	default:
		sig, event := int(status>>8)&0xff, int(status>>16)&0xff
		b := into.newSignalRaw(status)
		ev.Raw = &b.raw
		if err := getSiginfoInto(pid, &b.si); err == nil {
			ev.Raw.Siginfo = b.si.bytes()
			ev.Code = b.si.i32(8)
		}
		switch {
		case event != 0:
			ev.Kind, ev.Code = eventKinds[event], 0
			if ev.Kind == 0 {
				ev.Kind, ev.Sig = Stopped, sig // PTRACE_EVENT_STOP and friends
			}
			msg, _ := unix.PtraceGetEventMsg(pid)
			if ev.Kind == ExitEvent {
				ev.Status = int(msg)
			} else if ev.Kind != Exec {
				ev.Other = int(msg)
			}
		default:
			ev.Kind, ev.Sig = Stopped, sig
		}
	}
	return ev
}

func decodeSyscall(pid int, ev *Event, sys *Syscall) {
	var info syscallInfo
	if err := getSyscallInfo(pid, &info); err != nil {
		ev.Kind, ev.Sig = Stopped, int(unix.SIGTRAP)|0x80
		return
	}
	switch info.Op {
	case unix.PTRACE_SYSCALL_INFO_ENTRY:
		ev.Kind, ev.Sysno = SyscallEntry, int(info.Data[0])
		copy(sys.Args[:6], info.Data[1:7])
	case unix.PTRACE_SYSCALL_INFO_EXIT:
		ev.Kind = SyscallExit
		sys.Ret[0] = int64(info.Data[0])
		sys.IsError = info.Data[1]&0xff != 0
		if sys.IsError {
			sys.Errno = int(-sys.Ret[0])
		}
	default:
		ev.Kind, ev.Sig = Stopped, int(unix.SIGTRAP)|0x80
	}
	ev.Raw.Sys = sys
}

// wait4 is the one status-returning entry point on Linux; wait, waitpid and
// wait3 are its libc argument patterns. Traced children are waited for
// without __WALL since Linux 4.7, as on NetBSD.
func wait4Flavour(name string, pid bool, rusage bool) Flavour {
	return Flavour{Name: name, HasPid: pid, HasStatus: true, wait: func(p int) (int, uint32, []byte, error) {
		var ws unix.WaitStatus
		var ru unix.Rusage
		var rup *unix.Rusage
		if rusage {
			rup = &ru
		}
		for {
			wpid, err := unix.Wait4(p, &ws, 0, rup)
			if err == unix.EINTR {
				continue
			}
			return wpid, uint32(ws), nil, err
		}
	}}
}

// waitid returns a siginfo, not a status; the status is rebuilt from
// si_code (CLD_*) and si_status, which for a ptrace stop is the whole
// exit_code (signal | event<<8), so events survive.
var waitidFlavour = Flavour{Name: "waitid", HasPid: true, wait: func(p int) (int, uint32, []byte, error) {
	idtype, id := unix.P_PID, p
	if p == -1 {
		idtype, id = unix.P_ALL, 0
	}
	for {
		var si siginfoBuf
		err := unix.Waitid(idtype, id, (*unix.Siginfo)(unsafe.Pointer(&si)), unix.WEXITED|unix.WSTOPPED, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, 0, nil, err
		}
		wpid, code, st := si.i32(siUnion), si.i32(8), uint32(si.i32(siUnion+8))
		var status uint32
		switch code {
		case 1: // CLD_EXITED
			status = (st & 0xff) << 8
		case 2: // CLD_KILLED
			status = st & 0x7f
		case 3: // CLD_DUMPED
			status = st&0x7f | 0x80
		default: // CLD_TRAPPED, CLD_STOPPED
			status = st<<8 | 0x7f
		}
		return wpid, status, si.bytes(), nil
	}
}}

var flavours = []Flavour{
	wait4Flavour("wait", false, false),
	wait4Flavour("waitpid", true, false),
	waitidFlavour,
	wait4Flavour("wait3", false, true),
	wait4Flavour("wait4", true, true),
}

func reapOne() (int, error) {
	var ws unix.WaitStatus
	return unix.Wait4(-1, &ws, unix.WNOHANG|unix.WALL, nil)
}

// alive: the process exists and is not a zombie.
func alive(pid int) bool {
	if unix.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

func sigState(pid int) (SigState, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return SigState{}, err
	}
	defer f.Close()
	var st SigState
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		var dst *SigSet
		switch k {
		case "SigBlk":
			dst = &st.Blocked
		case "SigIgn":
			dst = &st.Ignored
		default:
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		if err != nil {
			return st, fmt.Errorf("/proc/%d/status %s: %v", pid, k, err)
		}
		*dst = SigSet(n)
	}
	return st, s.Err()
}

func signame(s syscall.Signal) string { return unix.SignalName(s) }

// bareSyscallStop: status is a syscall stop (SIGTRAP|0x80, with
// PTRACE_O_TRACESYSGOOD), told from every other stop by the status alone.
func bareSyscallStop(status uint32) bool {
	return status&0xff == 0x7f && int(status>>8)&0xff == int(unix.SIGTRAP)|0x80
}
