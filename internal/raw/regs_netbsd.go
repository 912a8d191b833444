package raw

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// regsExitTrap is the landing's exit: exit(2) (sys/kern/syscalls.master 1).
var regsExitTrap uint64 = sysExit

// selfStopCall is _lwp_kill(_lwp_self(), SIGSTOP).
func selfStopCall() (trap, a1, a2, a3 uint64) {
	return sysLwpKill, uint64(threadID()), uint64(unix.SIGSTOP), 0
}

// StopTargetReg names, per GOARCH, the register that holds the LWP id a
// raw thread's self-signal names (_lwp_kill(lid, sig): the first argument).
var StopTargetReg = map[string]string{"amd64": "rdi"}[runtime.GOARCH]
