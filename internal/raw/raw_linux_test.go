package raw

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	cloneVM      = unix.CLONE_VM
	cloneFS      = unix.CLONE_FS
	cloneFiles   = unix.CLONE_FILES
	cloneSighand = unix.CLONE_SIGHAND
	cloneVfork   = unix.CLONE_VFORK
)

// threadKillCode is the si_code of a tgkill: SI_TKILL.
const threadKillCode = -6

var osInvalidClones = []invalidClone{
	{"thread-without-sighand", unix.CLONE_THREAD | cloneVM, int(unix.SIGCHLD)},
}

// mainThreadID is the main thread's id: its tid is the pid.
func mainThreadID() int { return os.Getpid() }

func ptraceCont(pid, sig int) error { return unix.PtraceCont(pid, sig) }

// stopSiginfo reads si_signo and si_code (offsets 0 and 8 on every
// architecture) with PTRACE_GETSIGINFO.
func stopSiginfo(pid int) (signo, code int, err error) {
	var si [128]byte
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_GETSIGINFO, uintptr(pid), 0,
		uintptr(unsafe.Pointer(&si)), 0, 0)
	if e != 0 {
		return 0, 0, e
	}
	return int(*(*int32)(unsafe.Pointer(&si[0]))), int(*(*int32)(unsafe.Pointer(&si[8]))), nil
}
