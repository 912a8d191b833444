package insn

import (
	"golang.org/x/sys/unix"
)

// stopSelfCall is _lwp_kill(_lwp_self(), SIGSTOP) (syscalls.master 318,
// 311).
func stopSelfCall() (trap, a1, a2, a3 uintptr) {
	self, _, _ := unix.RawSyscall(unix.SYS__LWP_SELF, 0, 0, 0)
	return unix.SYS__LWP_KILL, self, uintptr(unix.SIGSTOP), 0
}

// ExitProcessTrap ends the whole process: exit(2) (syscalls.master 1).
const ExitProcessTrap = unix.SYS_EXIT
