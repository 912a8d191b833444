package ptrace

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// UnprivilegedUID is the uid a root test becomes to attach as an ordinary
// user: nobody (32767 in NetBSD's /etc/master.passwd). Only the number
// matters to the kernel.
const UnprivilegedUID = 32767

func traceMe() error { return ptrace(nbabi.PT_TRACE_ME, 0, 0, 0) }

func isZombie(pid int) bool {
	kp, err := kinfoProc(pid)
	return err == nil && kp.Stat == nbabi.LSZOMB
}

func isJobStopped(pid int) bool {
	kp, err := kinfoProc(pid)
	return err == nil && kp.Stat == nbabi.LSSTOP && kp.Flag&nbabi.P_TRACED == 0
}

// procEntries: sysctl kern.proc2 KERN_PROC_PID with room for two entries;
// the kernel must fill one (NetBSD's await_zombie requires len ==
// sizeof(kinfo_proc2) exactly).
func procEntries(pid int) (int, error) {
	mib := []int32{nbabi.CTL_KERN, nbabi.KERN_PROC2, nbabi.KERN_PROC_PID, int32(pid), int32(nbabi.SizeofKinfoProc2), 2}
	buf := make([]byte, 2*nbabi.SizeofKinfoProc2)
	n := uintptr(len(buf))
	_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0, 0)
	if e != 0 {
		return 0, e
	}
	if n%uintptr(nbabi.SizeofKinfoProc2) != 0 {
		return 0, fmt.Errorf("sysctl kern.proc2 pid %d: %d bytes, not a multiple of sizeof(struct kinfo_proc2) %d", pid, n, nbabi.SizeofKinfoProc2)
	}
	return int(n / uintptr(nbabi.SizeofKinfoProc2)), nil
}

// procfsStatus is NetBSD procfs's status file of the caller:
// "comm pid ppid pgid sid ..." (sys/miscfs/procfs/procfs_status.c).
const procfsStatus = "/proc/curproc/status"

func parentSeen(how string) (int, error) {
	switch how {
	case "proc_table":
		return procParent(os.Getpid())
	case "procfs":
		b, err := os.ReadFile(procfsStatus)
		if errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("%s: %w", procfsStatus, ErrNoProcfs)
		}
		if err != nil {
			return 0, err
		}
		f := strings.Fields(string(b))
		if len(f) < 3 {
			return 0, fmt.Errorf("%s: malformed: %q", procfsStatus, b)
		}
		return strconv.Atoi(f[2])
	}
	return 0, fmt.Errorf("no parent interface %q", how)
}

// TracerOf: kinfo_proc2 has no tracer pid (ok=false).
func TracerOf(pid int) (tracer int, ok bool, err error) { return 0, false, nil }

// YamaScope: Yama is a Linux LSM (ok=false).
func YamaScope() (scope int, ok bool, err error) { return 0, false, nil }

// YamaScopeFile is Linux's; NetBSD has none.
const YamaScopeFile = ""

// Securelevel reads kern.securelevel (secmodel_securelevel(9)): at 0 and
// above nobody, root included, may attach to init.
func Securelevel() (level int, ok bool, err error) {
	v, err := unix.SysctlUint32("kern.securelevel")
	if err != nil {
		return 0, true, err
	}
	return int(int32(v)), true, nil
}

// TraceMeRequest is PT_TRACE_ME in the kernel's words.
const TraceMeRequest = "PT_TRACE_ME"
