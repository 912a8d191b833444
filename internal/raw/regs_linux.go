package raw

import "golang.org/x/sys/unix"

// regsExitTrap is the landing's exit: exit_group(2), the whole process.
var regsExitTrap uint64 = unix.SYS_EXIT_GROUP

// selfStopCall is tgkill(getpid(), gettid(), SIGSTOP).
func selfStopCall() (trap, a1, a2, a3 uint64) {
	return unix.SYS_TGKILL, uint64(unix.Getpid()), uint64(unix.Gettid()), uint64(unix.SIGSTOP)
}
