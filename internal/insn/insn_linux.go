package insn

import "golang.org/x/sys/unix"

// stopSelfCall is tgkill(getpid(), gettid(), SIGSTOP).
func stopSelfCall() (trap, a1, a2, a3 uintptr) {
	return unix.SYS_TGKILL, uintptr(unix.Getpid()), uintptr(unix.Gettid()), uintptr(unix.SIGSTOP)
}

// ExitProcessTrap ends the whole process: exit_group(2) (Linux's exit(2)
// ends only the calling thread).
const ExitProcessTrap = unix.SYS_EXIT_GROUP
