//go:build mutation && linux

package ptrace

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// A mutation build (go test -c -tags mutation) injects one kernel-like bug,
// named by $PTRACESUITE_MUTANT, at the tracer's boundary with the kernel:
// a decoded report altered, dropped, duplicated or delayed, a transfer's
// count falsified, a request's effect changed, or the cleanup switched
// off. cmd/mutation runs, for each, the case that must catch it. Nothing
// here exists in a normal build (mutant_off.go).

const mutating = true

// MutantEnv names the bug a mutation build injects.
const MutantEnv = "PTRACESUITE_MUTANT"

// Mutants are the bugs a mutation build knows, each in the kernel's words.
var Mutants = map[string]string{
	"clone-vm-as-vfork":        "a clone that shares the address space (CLONE_VM without CLONE_VFORK) is reported as PTRACE_EVENT_VFORK",
	"zero-length-moves":        "a zero-length transfer is reported as a word moved",
	"auxv-offset-ignored":      "a read of the auxv at an offset returns the bytes at offset 0",
	"event-mask-ignored":       "the event mask is accepted but ignored: fork, vfork, vfork-done, thread creation and exit are all reported",
	"exit-status-wrong":        "the exit status of a process that exited is off by one",
	"signal-code-wrong":        "the si_code of a signal stop for a sent or raised signal (si_code <= 0) is off by one",
	"mem-read-shifted":         "a memory read reads from one byte past the address asked",
	"mem-write-lost":           "a memory write reports every byte written and writes none",
	"short-as-full":            "a short transfer is reported as the full length",
	"resume-pc0":               "a resume with addr 0 is honoured: the tracee resumes at PC 0",
	"wrong-other-pid":          "the other pid of a creation event is off by one",
	"drop-lwp-exit":            "PTRACE_EVENT_EXIT of a thread that is not the leader is never reported",
	"drop-vfork-done":          "PTRACE_EVENT_VFORK_DONE is never reported",
	"drop-syscall-exit-write":  "the syscall-exit-stop of write(2) is never reported",
	"drop-syscall-exit-getpid": "the syscall-exit-stop of getpid(2) is never reported",
	"dup-fork":                 "PTRACE_EVENT_FORK is reported twice",
	"delay-fork":               "PTRACE_EVENT_FORK is reported only at the forker's next stop (it runs on past fork)",
	"early-vfork-done":         "PTRACE_EVENT_VFORK_DONE is reported before the vforkee exits or execs",
	"wrong-si-code":            "the si_code of a fault or trap stop is off by one",
	"stale-siginfo":            "the siginfo of a signal stop that follows a syscall-exit-stop is that stop's (si_code SIGTRAP|0x80)",
	"wrong-si-sysnum":          "the syscall number of a syscall-enter-stop is off by one",
	"wrong-si-args":            "the first argument of a syscall-enter-stop has a bit flipped",
	"wrong-si-error":           "the error of a failed syscall's exit stop is off by one",
	"mask-lost":                "after the first stop the blocked sets (process and per LWP) and the ignore set each lose their lowest signal",
	"detach-stopped":           "PTRACE_DETACH leaves the process stopped (as if detached with SIGSTOP)",
	"core-lost":                "the core-dump bit of a termination status is lost",
	"event-siginfo-wrong":      "an event stop's siginfo has si_code SIGTRAP without the event",
	"cleanup-disabled":         "the tracer's cleanup (killAll, reapAll) does nothing",
}

var mutant = os.Getenv(MutantEnv)

// The name is checked once every package-level variable is set, so that
// the mutants other files add to Mutants in their variable initializers
// (mutant_<area>_linux.go) are known.
func init() {
	if _, ok := Mutants[mutant]; mutant != "" && !ok {
		fmt.Fprintf(os.Stderr, "%s=%q: no such mutant (see internal/ptrace/mutant*_linux.go)\n", MutantEnv, mutant)
		os.Exit(2)
	}
}

type mutantState struct {
	entered  map[int]int   // thread → syscall it entered (real number)
	held     map[int]Event // delayed reports per pid
	swallow  map[int]bool  // pids whose real VFORK_DONE is dropped
	sigReads map[int]int   // signal-state reads per pid
	lastKind map[int]Kind  // each thread's last report
	lwpReads map[int]int   // per-LWP status reads per pid
}

func (m *mutantState) init() {
	if m.entered == nil {
		*m = mutantState{entered: map[int]int{}, held: map[int]Event{}, swallow: map[int]bool{}, sigReads: map[int]int{}, lwpReads: map[int]int{}, lastKind: map[int]Kind{}}
	}
}

// resumeAsBefore lets a dropped stop go on as the tracer last resumed it.
func (tr *Tracer) resumeAsBefore(pid int) {
	req := tr.resumed[pid]
	if req == 0 {
		req = ReqContinue
	}
	if err := resumeAt(pid, req, 1, 0); err != nil {
		fmt.Fprintf(os.Stderr, "mutant %s: resuming %d: %v\n", mutant, pid, err)
	}
}

func setSiCode(ev *Event, code int) {
	if ev.Raw != nil && len(ev.Raw.Siginfo) >= siCodeOffset+4 {
		binary.NativeEndian.PutUint32(ev.Raw.Siginfo[siCodeOffset:], uint32(int32(code)))
	}
}

func isFault(sig int) bool {
	switch syscall.Signal(sig) {
	case unix.SIGSEGV, unix.SIGBUS, unix.SIGILL, unix.SIGFPE, unix.SIGTRAP:
		return true
	}
	return false
}

func tgid(tid int) int {
	st, err := procStatus(tid, "Tgid")
	if err != nil {
		return tid
	}
	n, _ := strconv.Atoi(st["Tgid"])
	return n
}

func (tr *Tracer) mutate(ev Event) []Event {
	m := &tr.mut
	m.init()
	if held, ok := m.held[ev.Pid]; ok && mutant == "delay-fork" {
		delete(m.held, ev.Pid)
		return []Event{held, ev}
	}
	last := m.lastKind[ev.Pid]
	m.lastKind[ev.Pid] = ev.Kind
	if mutant == "stale-siginfo" && ev.Kind == Stopped && ev.Sig != int(unix.SIGTRAP) && last == SyscallExit {
		ev.Code = int(unix.SIGTRAP) | 0x80
		setSiCode(&ev, ev.Code)
	}
	real := ev.Sysno
	switch ev.Kind {
	case SyscallEntry:
		m.entered[ev.Pid] = real
	case SyscallExit:
		entered := m.entered[ev.Pid]
		delete(m.entered, ev.Pid)
		if (mutant == "drop-syscall-exit-write" && entered == unix.SYS_WRITE) ||
			(mutant == "drop-syscall-exit-getpid" && entered == unix.SYS_GETPID) {
			tr.resumeAsBefore(ev.Pid)
			return nil
		}
	}
	switch mutant {
	case "clone-vm-as-vfork":
		if ev.Kind == Fork {
			if left, _ := vforkeeLeft(ev.Pid, ev.Other); !left {
				ev.Kind = Vfork
				setSiCode(&ev, int(unix.SIGTRAP)|unix.PTRACE_EVENT_VFORK<<8)
			}
		}
	case "wrong-other-pid":
		if ev.Creates() {
			ev.Other++
		}
	case "drop-lwp-exit":
		if ev.Kind == ExitEvent && tgid(ev.Pid) != ev.Pid {
			tr.resumeAsBefore(ev.Pid)
			return nil
		}
	case "drop-vfork-done":
		if ev.Kind == VforkDone {
			tr.resumeAsBefore(ev.Pid)
			return nil
		}
	case "dup-fork":
		if ev.Kind == Fork {
			dup := ev
			dup.Raw = &Raw{Flavour: ev.Raw.Flavour, Status: ev.Raw.Status, Siginfo: append([]byte(nil), ev.Raw.Siginfo...)}
			return []Event{ev, dup}
		}
	case "delay-fork":
		if ev.Kind == Fork {
			m.held[ev.Pid] = ev
			tr.resumeAsBefore(ev.Pid)
			return nil
		}
	case "early-vfork-done":
		if ev.Kind == VforkDone && m.swallow[ev.Pid] {
			delete(m.swallow, ev.Pid)
			tr.resumeAsBefore(ev.Pid)
			return nil
		}
		if ev.Kind == Vfork && tr.mask[ev.Pid]&MaskVforkDone != 0 {
			done := Event{Kind: VforkDone, Other: ev.Other, Pid: ev.Pid, Lwp: ev.Lwp,
				Raw: &Raw{Flavour: ev.Raw.Flavour, Status: uint32(unix.SIGTRAP)<<8 | 0x7f | unix.PTRACE_EVENT_VFORK_DONE<<16,
					Siginfo: append([]byte(nil), ev.Raw.Siginfo...)}}
			setSiCode(&done, int(unix.SIGTRAP)|unix.PTRACE_EVENT_VFORK_DONE<<8)
			m.swallow[ev.Pid] = true
			return []Event{ev, done}
		}
	case "wrong-si-code":
		if ev.Kind == Stopped && isFault(ev.Sig) && ev.Code > 0 {
			ev.Code++
			setSiCode(&ev, ev.Code)
		}
	case "signal-code-wrong":
		if ev.Kind == Stopped && !isFault(ev.Sig) && ev.Code <= 0 {
			ev.Code--
			setSiCode(&ev, ev.Code)
		}
	case "exit-status-wrong":
		if ev.Kind == Exited {
			ev.Status++
		}
	case "wrong-si-sysnum":
		if ev.Kind == SyscallEntry {
			ev.Sysno++
		}
	case "wrong-si-args":
		if ev.Kind == SyscallEntry && ev.Raw.Sys != nil {
			ev.Raw.Sys.Args[0] ^= 0x10
		}
	case "wrong-si-error":
		if ev.Kind == SyscallExit && ev.Raw.Sys != nil && ev.Raw.Sys.IsError {
			ev.Raw.Sys.Errno++
			ev.Raw.Sys.Ret[0] = -int64(ev.Raw.Sys.Errno)
		}
	case "core-lost":
		if ev.Kind == Killed {
			ev.Core = false
			ev.Raw.Status &^= 0x80
		}
	case "event-siginfo-wrong":
		if _, _, ok := eventSiCode(ev); ok {
			setSiCode(&ev, int(unix.SIGTRAP))
		}
	}
	return []Event{ev}
}

func mutantKeepsAll() bool { return mutant == "cleanup-disabled" }

func mutDetachSig(sig int) int {
	if mutant == "detach-stopped" {
		return int(unix.SIGSTOP)
	}
	return sig
}

// mutResume: resume-pc0 makes the kernel honour addr 0 as the new PC.
func (tr *Tracer) mutResume(pid, lwp int, addr uintptr) {
	if mutant != "resume-pc0" || addr != 0 {
		return
	}
	if lwp == 0 {
		lwp = pid
	}
	var regs unix.PtraceRegs
	if err := unix.PtraceGetRegs(lwp, &regs); err == nil {
		regs.SetPC(0)
		unix.PtraceSetRegs(lwp, &regs)
	}
}

// mutAuxvAt: under auxv-offset-ignored a read of the auxv at an offset is
// served from offset 0 (a kernel that ignores piod_offs for
// PIOD_READ_AUXV).
func mutAuxvAt(pid, off int, buf []byte, n int, err error) (int, error) {
	if mutant == "auxv-offset-ignored" && off > 0 && err == nil && n > 0 {
		return readAuxvAt(pid, 0, buf[:n])
	}
	return n, err
}

// mutMaskSet: the mask the kernel applies, under event-mask-ignored every
// event Linux can report.
func mutMaskSet(m Mask) Mask {
	if mutant == "event-mask-ignored" {
		return m | MaskFork | MaskVfork | MaskVforkDone | MaskLwpCreate | MaskLwpExit
	}
	return m
}

// mutMemReq: the address a memory request goes to, and whether the
// request is dropped (reported as moving every byte).
func mutMemReq(write bool, addr uintptr) (uintptr, bool) {
	switch {
	case mutant == "mem-read-shifted" && !write:
		return addr + 1, false
	case mutant == "mem-write-lost" && write:
		return addr, true
	}
	return addr, false
}

func mutMem(buf []byte, n int, err error) (int, error) {
	switch {
	case mutant == "zero-length-moves" && len(buf) == 0 && err == nil:
		return wordSize, nil
	case mutant == "short-as-full" && err == nil && n < len(buf):
		return len(buf), nil
	}
	return n, err
}

func (tr *Tracer) mutSigState(pid int, st SigState) SigState {
	if mutant != "mask-lost" {
		return st
	}
	tr.mut.init()
	tr.mut.sigReads[pid]++
	if tr.mut.sigReads[pid] > 1 {
		st.Blocked &= st.Blocked - 1
		st.Ignored &= st.Ignored - 1
	}
	return st
}

// mutLwpMasks: mask-lost takes the lowest blocked signal from every LWP's
// mask from the second per-LWP read of a pid on.
func (tr *Tracer) mutLwpMasks(pid int, l []Lwp) {
	if mutant != "mask-lost" {
		return
	}
	tr.mut.init()
	tr.mut.lwpReads[pid]++
	if tr.mut.lwpReads[pid] > 1 {
		for i := range l {
			l[i].Sigmask &= l[i].Sigmask - 1
		}
	}
}

func mutSiginfo(si Siginfo) Siginfo {
	if mutant == "wrong-si-code" && len(si.Bytes) >= siCodeOffset+4 && isFault(si.Signo()) && si.Code() > 0 {
		si.SetSignal(si.Signo(), si.Code()+1)
	}
	return si
}
