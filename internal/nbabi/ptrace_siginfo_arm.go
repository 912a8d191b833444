package nbabi

// ARM EABI (NetBSD earm*, the only ABI Go's GOARCH=arm targets) aligns
// uint64_t to 8, so siginfo_t, whose union holds uint64_t si_args[8], is
// 8-aligned: its union starts at 16 (not 12 as on i386) and
// ptrace_siginfo_t is rounded up from 132 to 136 bytes. NetBSD's own
// sys/compat/sys/siginfo.h 1.9 says the same: its netbsd32 siginfo (the
// 32-bit view an aarch64 kernel gives earm programs) aligns si_args to 8,
// and to 4 only for i386 and old-ABI arm.
const cUint64Align = 8

// PtraceSiginfo is ptrace_siginfo_t for ARM EABI: Siginfo, psi_lwpid, and
// the 4 bytes of tail padding that Go's 4-byte alignment would not add.
type PtraceSiginfo struct {
	Siginfo
	Lwpid int32
	_     [4]byte
}
