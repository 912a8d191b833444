package insn

import "golang.org/x/sys/unix"

// stopSelfCall is tgkill(getpid(), gettid(), SIGSTOP).
func stopSelfCall() (trap, a1, a2, a3 uintptr) {
	return unix.SYS_TGKILL, uintptr(unix.Getpid()), uintptr(unix.Gettid()), uintptr(unix.SIGSTOP)
}
