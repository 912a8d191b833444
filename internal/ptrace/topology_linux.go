package ptrace

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// UnprivilegedUID is the uid a root test becomes to attach as an ordinary
// user: nobody (65534 on Debian and most Linux distributions). Only the
// number matters to the kernel.
const UnprivilegedUID = 65534

func traceMe() error {
	_, _, e := unix.RawSyscall6(unix.SYS_PTRACE, unix.PTRACE_TRACEME, 0, 0, 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func isZombie(pid int) bool {
	st, _, err := procStat(pid)
	return err == nil && st == 'Z'
}

func isJobStopped(pid int) bool {
	st, _, err := procStat(pid)
	return err == nil && st == 'T'
}

// procEntries: readdir(/proc) lists each thread group once, by its pid.
func procEntries(pid int) (int, error) {
	f, err := os.Open("/proc")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return 0, err
	}
	want, n := strconv.Itoa(pid), 0
	for _, name := range names {
		if name == want {
			n++
		}
	}
	return n, nil
}

func parentSeen(how string) (int, error) {
	switch how {
	case "proc_table":
		return procParent(os.Getpid())
	case "procfs":
		st, err := procStatus(os.Getpid(), "PPid")
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(st["PPid"])
	}
	return 0, fmt.Errorf("no parent interface %q", how)
}

// TracerOf is pid's tracer as the kernel shows it (/proc/PID/status
// TracerPid; 0: not traced). ok=false: this kernel shows no tracer pid.
func TracerOf(pid int) (tracer int, ok bool, err error) {
	st, err := procStatus(pid, "TracerPid")
	if err != nil {
		return 0, true, err
	}
	n, err := strconv.Atoi(st["TracerPid"])
	return n, true, err
}

// yamaScope is where the Yama LSM keeps its ptrace policy
// (Documentation/admin-guide/LSM/Yama.rst).
const yamaScope = "/proc/sys/kernel/yama/ptrace_scope"

// YamaScope reads the Yama LSM's ptrace_scope: 0 classic ptrace
// permissions, 1 restricted (only descendants, or a tracer the tracee
// named with PR_SET_PTRACER), 2 admin-only (CAP_SYS_PTRACE), 3 no attach
// at all (and it cannot be lowered again until reboot). ok=false: no Yama
// in this kernel, so __ptrace_may_access alone decides.
func YamaScope() (scope int, ok bool, err error) {
	b, err := os.ReadFile(yamaScope)
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	scope, err = strconv.Atoi(strings.TrimSpace(string(b)))
	return scope, true, err
}

// YamaScopeFile is where YamaScope reads, for messages.
const YamaScopeFile = yamaScope

// Securelevel is NetBSD's kern.securelevel; Linux has none (ok=false).
func Securelevel() (level int, ok bool, err error) { return 0, false, nil }

// TraceMeRequest is PTRACE_TRACEME in the kernel's words.
const TraceMeRequest = "PTRACE_TRACEME"
