package picotrace

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/ptrace"
)

// Linux traces threads: a report names a thread (tid), whose process is
// its thread group.

// inheritMask is -i: PTRACE_O_TRACEFORK, TRACEVFORK, TRACEVFORKDONE and
// TRACECLONE (threads and clones); a traced thread's exit is reported to
// the tracer by wait anyway, so no TRACEEXIT.
func inheritMask() ptrace.Mask {
	return ptrace.MaskFork | ptrace.MaskVfork | ptrace.MaskVforkDone | ptrace.MaskLwpCreate
}

// setMaskOnChildren: an automatically attached child has its creator's
// options already.
const setMaskOnChildren = false

// exitHasSysno: PTRACE_GET_SYSCALL_INFO's exit op has no syscall number.
const exitHasSysno = false

// The entry stop has 6 arguments, the exit stop 1 return value.
const syscallArgs, syscallRets = 6, 1

// owner is the process and the thread of a report.
func (t *tracer) owner(ev ptrace.Event) (pid, lwp int) {
	tid := ev.Pid
	if g, ok := t.tgid[tid]; ok {
		return g, tid
	}
	if _, ok := t.procs[tid]; ok || tid == t.root {
		return tid, tid
	}
	g := threadGroup(tid)
	t.tgid[tid] = g
	return g, tid
}

// threadGroup is the Tgid of /proc/TID/status (tid itself if it is gone).
func threadGroup(tid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", tid))
	if err != nil {
		return tid
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "Tgid:"); ok {
			if g, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				return g
			}
		}
	}
	return tid
}

// cloneIsThread: PTRACE_EVENT_CLONE created a thread of pid (CLONE_THREAD)
// rather than a process.
func cloneIsThread(pid, tid int) bool { return threadGroup(tid) == pid }

// threadExit: the report of a thread's end, not the process's.
func threadExit(pid, tid int) bool { return tid != pid }

// childStart: a thread's first report is the SIGSTOP of its automatic
// attach.
func childStart(ev ptrace.Event, _, newLwp bool) bool {
	return newLwp && ev.Kind == ptrace.Stopped && ev.Sig == int(unix.SIGSTOP)
}

// groupStop: a stop without siginfo (PTRACE_GETSIGINFO fails with EINVAL
// in a group stop) for a stop signal.
func groupStop(ev ptrace.Event) bool {
	if ev.Kind != ptrace.Stopped || ev.Raw == nil || ev.Raw.Siginfo != nil {
		return false
	}
	switch ev.Sig {
	case int(unix.SIGSTOP), int(unix.SIGTSTP), int(unix.SIGTTIN), int(unix.SIGTTOU):
		return true
	}
	return false
}

// lostSyscallStop: a syscall stop (SIGTRAP|0x80) the core could not
// decode because the thread left it before PTRACE_GET_SYSCALL_INFO (a
// SIGKILL from another thread's exit_group wakes it).
func lostSyscallStop(ev ptrace.Event) bool {
	return ev.Kind == ptrace.Stopped && ev.Sig == int(unix.SIGTRAP)|0x80
}

// detachHere: Linux keeps a SIGSTOP sent to a thread in a ptrace stop
// pending, so each thread is detached at its own SIGSTOP's stop, with
// no signal (detachSignal): the SIGSTOP is consumed there.
const detachHere = false

const detachSignal = syscall.Signal(0)

// stopAfter: each thread gets its SIGSTOP at once.
const stopAfter = 0

// stopLwp sends the thread a SIGSTOP of its own (tgkill).
func stopLwp(pid, tid int) { unix.Tgkill(pid, tid, unix.SIGSTOP) }

// threads lists the threads of pid (/proc/PID/task), pid first.
func threads(pid int) []int {
	out := []int{pid}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return out
	}
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil && tid != pid {
			out = append(out, tid)
		}
	}
	return out
}

// readArgs reads /proc/PID/cmdline and /proc/PID/environ.
func (t *tracer) readArgs(pid int) (argv, env []string, err error) {
	t.buf, err = ptrace.ReadProc(pid, "cmdline", t.buf)
	if err != nil {
		return nil, nil, err
	}
	argv = fields(t.buf)
	t.buf, err = ptrace.ReadProc(pid, "environ", t.buf)
	return argv, fields(t.buf), err
}

// exePath is /proc/PID/exe.
func exePath(pid int) (string, error) { return os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)) }

// auxvNames names the a_type values of the auxiliary vector. Source:
// include/uapi/linux/auxvec.h (Linux 6.1) and, for AT_SYSINFO,
// AT_SYSINFO_EHDR and AT_MINSIGSTKSZ, arch/x86/include/uapi/asm/auxvec.h
// and arch/arm64/include/uapi/asm/auxvec.h; x/sys/unix has none of them.
var auxvNames = map[uint64]string{
	0: "AT_NULL", 1: "AT_IGNORE", 2: "AT_EXECFD", 3: "AT_PHDR", 4: "AT_PHENT", 5: "AT_PHNUM",
	6: "AT_PAGESZ", 7: "AT_BASE", 8: "AT_FLAGS", 9: "AT_ENTRY", 10: "AT_NOTELF", 11: "AT_UID",
	12: "AT_EUID", 13: "AT_GID", 14: "AT_EGID", 15: "AT_PLATFORM", 16: "AT_HWCAP", 17: "AT_CLKTCK",
	23: "AT_SECURE", 24: "AT_BASE_PLATFORM", 25: "AT_RANDOM", 26: "AT_HWCAP2",
	27: "AT_RSEQ_FEATURE_SIZE", 28: "AT_RSEQ_ALIGN", 31: "AT_EXECFN",
	32: "AT_SYSINFO", 33: "AT_SYSINFO_EHDR", 51: "AT_MINSIGSTKSZ",
}

// kernelErrnos are the errors of include/linux/errno.h that "should never
// be seen by user programs" but are, at an interrupted system call's exit
// stop, before the kernel restarts the call; x/sys/unix has none of them.
var kernelErrnos = map[int]string{
	512: "ERESTARTSYS", 513: "ERESTARTNOINTR", 514: "ERESTARTNOHAND", 515: "ENOIOCTLCMD", 516: "ERESTART_RESTARTBLOCK",
}
