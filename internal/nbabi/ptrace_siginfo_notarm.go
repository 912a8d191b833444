//go:build !arm

package nbabi

import "unsafe"

// This file and ptrace_siginfo_arm.go are the package's only build
// constraints, and they are on GOARCH, not GOOS. They exist because of a Go
// rule: a struct that ends in a zero-sized field gets padded (golang/go#9401),
// so "_ [n]byte" with n = 0 off arm would make the i386 struct 136 bytes
// instead of 132. The ARM EABI layout therefore needs its own declaration.

// cUint64Align is the C alignment of a uint64_t member: on i386 and LP64 it
// is Go's own (4 and 8).
const cUint64Align = int(unsafe.Alignof(uint64(0)))

// PtraceSiginfo is ptrace_siginfo_t (PT_GET_SIGINFO, PT_SET_SIGINFO) from
// sys/sys/ptrace.h 1.75: siginfo_t, then psi_lwpid (0 addresses the whole
// process). 136 bytes on LP64 (Go pads it to Siginfo's 8-byte alignment),
// 132 on i386. The kernel wants data == its size.
type PtraceSiginfo struct {
	Siginfo
	Lwpid int32
}
