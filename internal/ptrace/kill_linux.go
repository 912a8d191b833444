package ptrace

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

const killRequestName = "PTRACE_KILL"

// killRequest is PTRACE_KILL (x/sys has the number but no wrapper).
func killRequest(pid int) error { return ptraceRaw(unix.PTRACE_KILL, pid, 0, 0) }

// siSender reads si_pid and si_uid, the first members of the union
// (include/uapi/asm-generic/siginfo.h: _kill and _rt start with them).
func siSender(b []byte) (pid, uid int) {
	return int(int32(binary.NativeEndian.Uint32(b[siUnion:]))), int(binary.NativeEndian.Uint32(b[siUnion+4:]))
}
