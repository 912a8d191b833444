package ptrace

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Linux reads and writes every set with PTRACE_GETREGSET/PTRACE_SETREGSET
// and a note type (include/uapi/linux/elf.h); the kernel shortens iov_len
// to what it wrote. The same note types carry the sets in a core file.
const (
	ntPrstatus  = 1     // NT_PRSTATUS: struct user_regs_struct (pr_reg of elf_prstatus)
	ntPrfpreg   = 2     // NT_PRFPREG: x86-64 struct user_fpregs_struct (FXSAVE)
	ntX86Xstate = 0x202 // NT_X86_XSTATE: the XSAVE area, non-compacted
)

var regSetNotes = map[RegSet]int{RegsGP: ntPrstatus, RegsFP: ntPrfpreg, RegsXState: ntX86Xstate}

var regSetNames = map[RegSet][2]string{
	RegsGP:     {"PTRACE_GETREGSET(NT_PRSTATUS)", "PTRACE_SETREGSET(NT_PRSTATUS)"},
	RegsFP:     {"PTRACE_GETREGSET(NT_PRFPREG)", "PTRACE_SETREGSET(NT_PRFPREG)"},
	RegsXState: {"PTRACE_GETREGSET(NT_X86_XSTATE)", "PTRACE_SETREGSET(NT_X86_XSTATE)"},
}

func regSetMissing(s RegSet) string {
	if s == RegsXState && runtime.GOARCH != "amd64" && runtime.GOARCH != "386" {
		return "NT_X86_XSTATE is x86 only"
	}
	if len(regSlots(s)) == 0 {
		return fmt.Sprintf("no layout of %s for linux/%s written down in this suite", s.Name(false), runtime.GOARCH)
	}
	return ""
}

// regSetBuf is big enough for any set (the XSAVE area with AVX-512 is
// 2696 bytes).
const regSetBuf = 8192

// gpRegSetBuf is big enough for NT_PRSTATUS on every machine (struct
// user_regs_struct: 216 bytes on amd64, 272 on arm64).
const gpRegSetBuf = 1024

func getRegSet(pid, lwp int, s RegSet) (Regs, error) {
	if lwp == 0 {
		lwp = pid
	}
	size := regSetBuf
	if s == RegsGP {
		size = gpRegSetBuf
	}
	buf := make([]byte, size)
	iov := unix.Iovec{Base: &buf[0]}
	iov.SetLen(len(buf))
	if err := ptraceRaw(unix.PTRACE_GETREGSET, lwp, uintptr(regSetNotes[s]), uintptr(unsafe.Pointer(&iov))); err != nil {
		return Regs{}, err
	}
	return Regs{Set: s, Lwp: lwp, Bytes: buf[:iov.Len]}, nil
}

func setRegSet(pid int, r Regs) error {
	lwp := r.Lwp
	if lwp == 0 {
		lwp = pid
	}
	if len(r.Bytes) == 0 {
		return fmt.Errorf("%s: no registers to write", r.Set.Name(true))
	}
	iov := unix.Iovec{Base: &r.Bytes[0]}
	iov.SetLen(len(r.Bytes))
	return ptraceRaw(unix.PTRACE_SETREGSET, lwp, uintptr(regSetNotes[r.Set]), uintptr(unsafe.Pointer(&iov)))
}

const (
	dumpCoreName    = "(no PT_DUMPCORE)"
	dumpCoreMissing = "Linux has no ptrace request that makes the tracee dump core (the nearest analog is none in ptrace: gcore(1) writes one from outside with PTRACE_GETREGSET and /proc/PID/mem)"
)

func dumpCore(int, string) error { return ErrNoRequest }
