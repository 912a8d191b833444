package ptrace

import (
	"unsafe"

	"ptracesuite/internal/nbabi"
)

const killRequestName = "PT_KILL"

// killRequest is PT_KILL, the same request as kill.
func killRequest(pid int) error { return kill(pid) }

// siSender reads si_pid and si_uid where nbabi lays the _rt member of the
// _reason union out per machine (sys/sys/siginfo.h 1.34).
func siSender(b []byte) (pid, uid int) {
	var si nbabi.Siginfo
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&si)), unsafe.Sizeof(si)), b)
	return si.Pid(), int(si.Uid())
}
