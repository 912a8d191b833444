package raw

import "golang.org/x/sys/unix"

// regsExitTrap is the landing's exit: exit(2) (sys/kern/syscalls.master 1).
var regsExitTrap uint64 = sysExit

// selfStopCall is _lwp_kill(_lwp_self(), SIGSTOP).
func selfStopCall() (trap, a1, a2, a3 uint64) {
	return sysLwpKill, uint64(threadID()), uint64(unix.SIGSTOP), 0
}
