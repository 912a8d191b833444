package ptrace

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

var eventNumbers = map[Kind]int{
	Fork: unix.PTRACE_EVENT_FORK, Vfork: unix.PTRACE_EVENT_VFORK, VforkDone: unix.PTRACE_EVENT_VFORK_DONE,
	Clone: unix.PTRACE_EVENT_CLONE, Exec: unix.PTRACE_EVENT_EXEC, ExitEvent: unix.PTRACE_EVENT_EXIT,
}

// eventSiCode: Linux reports a PTRACE_EVENT_* stop through ptrace_notify
// with exit code SIGTRAP | event<<8, which PTRACE_GETSIGINFO returns as
// si_signo SIGTRAP and si_code SIGTRAP | event<<8 (kernel/signal.c
// ptrace_do_notify).
func eventSiCode(ev Event) (int, string, bool) {
	n, ok := eventNumbers[ev.Kind]
	if !ok {
		return 0, "", false
	}
	return int(unix.SIGTRAP) | n<<8, fmt.Sprintf("SIGTRAP|%s<<8 (%#x)", kernelKindNames[ev.Kind], int(unix.SIGTRAP)|n<<8), true
}

// procStatus reads fields of /proc/PID/status.
func procStatus(pid int, keys ...string) (map[string]string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		for _, want := range keys {
			if k == want {
				out[k] = strings.TrimSpace(v)
			}
		}
	}
	return out, s.Err()
}

// procStat reads the state letter and the parent of a process or thread
// from /proc/PID/stat (for a thread, the parent of its thread group): one
// read into a buffer on the stack, as the checks do at creation reports.
func procStat(pid int) (state byte, ppid int, err error) {
	var path [32]byte
	p := append(strconv.AppendInt(append(path[:0], "/proc/"...), int64(pid), 10), "/stat"...)
	fd, err := unix.Open(string(p), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, 0, &os.PathError{Op: "open", Path: string(p), Err: err}
	}
	defer unix.Close(fd)
	var buf [1024]byte
	n, err := unix.Read(fd, buf[:])
	if err != nil {
		return 0, 0, &os.PathError{Op: "read", Path: string(p), Err: err}
	}
	// "pid (comm) S ppid ...": comm may hold anything, so from the last ')'.
	b := buf[:n]
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+4 > len(b) {
		return 0, 0, fmt.Errorf("%s: malformed", p)
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 2 {
		return 0, 0, fmt.Errorf("%s: malformed", p)
	}
	ppid, err = strconv.Atoi(string(f[1]))
	return f[0][0], ppid, err
}

// procParent is the parent of a process or thread (/proc/PID/stat).
func procParent(pid int) (int, error) {
	_, ppid, err := procStat(pid)
	return ppid, err
}

// procState describes a process for a hang message: its state letter in
// the kernel's words and what it sleeps in.
func procState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "gone"
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return "unknown"
	}
	names := map[byte]string{'R': "running", 'S': "sleeping", 'D': "in disk sleep", 'T': "stopped (job control)",
		't': "in a ptrace stop", 'Z': "a zombie", 'X': "dead"}
	st := names[s[i+2]]
	if st == "" {
		st = string(s[i+2])
	}
	if w, err := os.ReadFile(fmt.Sprintf("/proc/%d/wchan", pid)); err == nil && len(w) > 0 && string(w) != "0" {
		st += " in " + string(w)
	}
	return st
}

// vforkeeLeft: the vforkee is gone or a zombie, or no longer shares the
// forker's mm (kcmp(2) KCMP_VM, include/uapi/linux/kcmp.h: 0 means same).
func vforkeeLeft(parent, child int) (bool, string) {
	st, _, err := procStat(child)
	if err != nil || st == 'Z' || st == 'X' {
		return true, ""
	}
	const kcmpVM = 1
	r, _, e := unix.Syscall6(unix.SYS_KCMP, uintptr(parent), uintptr(child), kcmpVM, 0, 0, 0)
	if e != 0 {
		return true, fmt.Sprintf("%s; kcmp(KCMP_VM): %v", procState(child), e) // cannot tell: not a violation
	}
	if r == 0 {
		return false, procState(child) + ", still on the forker's memory (kcmp KCMP_VM: same mm)"
	}
	return true, ""
}

// inPtraceStop: a thread that just reported a stop is in a ptrace stop
// (/proc/PID/stat state t) until the tracer resumes it; the state in the
// kernel's words only when it is not.
func inPtraceStop(pid int) (bool, string) {
	if st, _, err := procStat(pid); err == nil && st == 't' {
		return true, ""
	}
	st := procState(pid)
	return strings.HasPrefix(st, "in a ptrace stop"), st
}

// inCreatingSyscall: the thread stopped inside clone, clone3, fork or
// vfork (the syscall number in its registers, where this arch has it).
func inCreatingSyscall(tid int) (bool, string) {
	nr, ok := syscallInProgress(tid)
	if !ok {
		return true, ""
	}
	if creatingSyscalls[nr] {
		return true, ""
	}
	if nr < 0 {
		return false, "not in any system call"
	}
	return false, "in " + SyscallName(nr)
}

// exitHeld: no exit Linux is known to leave waiting for stopped threads.
func exitHeld(int) string { return "" }

// waitOwns: owned tells a pid this thread may collect with one waitid.
const waitOwns = true

// owned: pid is a child or a tracee of this process (any of its threads,
// as wait(2) without __WNOTHREAD sees them): waitid(P_PID, pid,
// WEXITED|WSTOPPED|WNOHANG|WNOWAIT|__WALL) collects nothing and fails with
// ECHILD for any other pid.
func owned(pid int) error {
	var si unix.Siginfo
	return unix.Waitid(unix.P_PID, pid, &si, unix.WEXITED|unix.WSTOPPED|unix.WNOHANG|unix.WNOWAIT|unix.WALL, nil)
}

// tracedOrStopped: /proc/PID/status TracerPid, and the state letter of
// /proc/PID/stat (t: a ptrace stop, T: a job-control stop).
func tracedOrStopped(pid int) (traced, stopped bool, err error) {
	st, err := procStatus(pid, "TracerPid")
	if err != nil {
		return false, false, err
	}
	state, _, err := procStat(pid)
	if err != nil {
		return false, false, err
	}
	return st["TracerPid"] != "0", state == 't' || state == 'T', nil
}

// tracedByUs: pid's tracer (/proc/PID/status TracerPid, a thread) is a
// thread of this process.
func tracedByUs(pid int) bool {
	st, err := procStatus(pid, "TracerPid")
	if err != nil || st["TracerPid"] == "0" || st["TracerPid"] == "" {
		return false
	}
	_, err = os.Stat("/proc/self/task/" + st["TracerPid"])
	return err == nil
}

// waitsForChild: /proc/PID/wchan is do_wait (the main thread in wait(2)).
func waitsForChild(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/wchan", pid))
	return err == nil && string(b) == "do_wait"
}
