package picotrace

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/ptrace"
)

// NetBSD traces processes: a report names the process and, in its
// siginfo, the LWP (psi_lwpid).

// inheritMask is -i: every event bit the kernel has (PTRACE_FORK, VFORK,
// VFORK_DONE, POSIX_SPAWN, LWP_CREATE, LWP_EXIT).
func inheritMask() ptrace.Mask {
	m := ptrace.MaskFork | ptrace.MaskVfork | ptrace.MaskVforkDone | ptrace.MaskSpawn | ptrace.MaskLwpCreate | ptrace.MaskLwpExit
	no, _ := ptrace.Unsupported(m)
	return m &^ no
}

// setMaskOnChildren: each new child gets the event mask anew at its first
// report.
const setMaskOnChildren = true

// exitHasSysno: TRAP_SCX's siginfo names the call (si_sysnum).
const exitHasSysno = true

// si_args has 8 arguments, si_retval 2 return values.
const syscallArgs, syscallRets = 8, 2

// owner is the process and the LWP of a report.
func (t *tracer) owner(ev ptrace.Event) (pid, lwp int) { return ev.Pid, ev.Lwp }

// cloneIsThread: NetBSD reports no PTRACE_EVENT_CLONE.
func cloneIsThread(int, int) bool { return false }

// threadExit: an exit report is the process's (an LWP's is LWP_EXIT).
func threadExit(int, int) bool { return false }

// childStart: a new process's first report is its side of the creation
// event (PTRACE_FORK, PTRACE_VFORK, PTRACE_POSIX_SPAWN naming its parent).
func childStart(ev ptrace.Event, newProc, _ bool) bool { return newProc && ev.Creates() }

// groupStop: NetBSD reports a stop signal once, with its siginfo.
func groupStop(ptrace.Event) bool { return false }

// lostSyscallStop: a NetBSD syscall stop is decoded from its siginfo.
func lostSyscallStop(ptrace.Event) bool { return false }

// detachHere: NetBSD discards a stop signal sent to a stopped process
// (kpsignal2: "Already stopped"), a ptrace stop included, so the SIGSTOP
// the interrupt sent may never come; and one that is still on its way may
// stop the process after the detach (measured on 8.99.25: 2 of 3 runs
// left it stopped). The whole process stops at each report, so it is
// detached at the first that delivers no signal, with SIGCONT
// (detachSignal): posting SIGCONT clears every pending stop signal, ours
// included, and the process runs on untraced.
const detachHere = true

const detachSignal = unix.SIGCONT

// stopAfter: the SIGSTOP goes only to a process that made no report
// within this long of the interrupt: one sent to a process that stops at
// its next system call races with that stop.
const stopAfter = 200 * time.Millisecond

// stopLwp stops the process with a SIGSTOP (the LWPs stop with it).
func stopLwp(pid, _ int) { unix.Kill(pid, unix.SIGSTOP) }

// threads: PT_ATTACH attaches the process, every LWP.
func threads(pid int) []int { return []int{pid} }

// procArgs is sysctl {CTL_KERN, KERN_PROC_ARGS, pid, what}.
func procArgs(pid int, what int32) ([]byte, error) {
	mib := []int32{nbabi.CTL_KERN, nbabi.KERN_PROC_ARGS, int32(pid), what}
	for size := uintptr(4096); ; size *= 2 {
		buf := make([]byte, size)
		n := size
		_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0, 0)
		if e == unix.ENOMEM && size < 1<<24 {
			continue
		}
		if e != 0 {
			return nil, e
		}
		return buf[:n], nil
	}
}

// image is the process image's argv, environment and auxiliary vector.
func (t *tracer) image(pid int, _ bool) (argv, env []string, auxv []byte) { return t.procImage(pid) }

// readArgs reads kern.proc_args.PID.argv and .env.
func (*tracer) readArgs(pid int) (argv, env []string, err error) {
	a, err := procArgs(pid, nbabi.KERN_PROC_ARGV)
	if err != nil {
		return nil, nil, err
	}
	e, err := procArgs(pid, nbabi.KERN_PROC_ENV)
	return fields(a), fields(e), err
}

// exePath is kern.proc_args.PID.pathname.
func exePath(pid int) (string, error) {
	b, err := procArgs(pid, nbabi.KERN_PROC_PATHNAME)
	if err != nil {
		return "", err
	}
	if f := fields(b); len(f) > 0 {
		return f[0], nil
	}
	return "", nil
}

// auxvNames: sys/sys/exec_elf.h (nbabi.AuxvNames).
var auxvNames = nbabi.AuxvNames

// kernelErrnos: si_error of TRAP_SCX is a user-visible errno
// (sys/sys/errno.h); x/sys names them all.
var kernelErrnos = map[int]string{}
