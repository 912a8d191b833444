package nbabi

import (
	"encoding/binary"
	"strings"
	"unsafe"
)

// The ptrace argument structures of NetBSD/src sys/sys/ptrace.h 1.75 and
// siginfo_t of sys/sys/siginfo.h 1.34, laid out as the C compiler of the
// GOARCH this package is compiled for lays them out. pid_t and lwpid_t are
// int32; pointers and size_t are uintptr-sized.

// PtraceEvent is ptrace_event_t (PT_SET_EVENT_MASK, PT_GET_EVENT_MASK):
// 4 bytes; data must be its size.
type PtraceEvent struct {
	SetEvent int32 // pe_set_event: PTRACE_* bits
}

// PtraceState is ptrace_state_t (PT_GET_PROCESS_STATE): 8 bytes.
type PtraceState struct {
	ReportEvent int32 // pe_report_event: one PTRACE_* bit
	OtherPid    int32 // union { pe_other_pid; pe_lwp }
}

// Lwp is pe_lwp, the other member of the union: the LWP of a
// PTRACE_LWP_CREATE or PTRACE_LWP_EXIT report.
func (s PtraceState) Lwp() int32 { return s.OtherPid }

// PtraceIoDesc is struct ptrace_io_desc (PT_IO): 32 bytes on LP64, 16 on
// ILP32. On return Len holds the count actually moved (short is not an
// error); the kernel rejects Len 0 with EINVAL (sys_ptrace_common.c).
type PtraceIoDesc struct {
	Op   int32   // piod_op: PIOD_*
	Offs uintptr // piod_offs: address in the tracee
	Addr *byte   // piod_addr: the tracer's buffer
	Len  uintptr // piod_len: in, bytes requested; out, bytes done
}

// PtraceLwpinfo is the legacy struct ptrace_lwpinfo (PT_LWPINFO): 8 bytes.
type PtraceLwpinfo struct {
	Lwpid int32 // pl_lwpid: in, the LWP after which to look; out, 0 at the end
	Event int32 // pl_event: PL_EVENT_*
}

// PtraceLwpstatus is struct ptrace_lwpstatus (PT_LWPSTATUS, PT_LWPNEXT):
// 64 bytes on LP64, 60 on ILP32.
type PtraceLwpstatus struct {
	Lwpid   int32             // pl_lwpid
	Sigpend Sigset            // pl_sigpend
	Sigmask Sigset            // pl_sigmask
	Name    [PL_LNAMELEN]byte // pl_name, NUL-terminated, may be empty
	Private uintptr           // pl_private: the LWP's TLS base
}

// NameString is pl_name up to its NUL.
func (s *PtraceLwpstatus) NameString() string {
	n, _, _ := strings.Cut(string(s.Name[:]), "\x00")
	return n
}

// SizeofSiginfo is sizeof(siginfo_t) on every machine (si_pad[128]).
const SizeofSiginfo = 128

const (
	ptrSize = int(unsafe.Sizeof(uintptr(0)))

	// siReason is the offset of the _reason union in struct _ksiginfo:
	// si_signo, si_code, si_errno (12 bytes) rounded up to the union's
	// alignment, which is that of its largest-aligned member, the
	// uint64_t si_args[8] of _syscall. LP64 spells the 4-byte hole out as
	// _pad; i386 aligns uint64_t members to 4 (union at 12); ARM EABI
	// aligns them to 8, so there the union is at 16 behind an unnamed hole.
	siReason = (12 + cUint64Align - 1) &^ (cUint64Align - 1)
)

// Siginfo is siginfo_t, 128 bytes on every machine, read through accessors
// because the union's offset differs by machine (16 on LP64 and ARM EABI,
// 12 on i386). Field names in the comments are the C macros.
type Siginfo struct {
	_   [0]uint64 // 8-aligned where Go can (LP64); see PtraceSiginfo for arm
	raw [SizeofSiginfo]byte
}

func (s *Siginfo) u32(off int) uint32 { return binary.NativeEndian.Uint32(s.raw[off:]) }
func (s *Siginfo) i32(off int) int    { return int(int32(s.u32(off))) }

// Signo is si_signo.
func (s *Siginfo) Signo() int { return s.i32(0) }

// Code is si_code: SI_*, TRAP_*, CLD_* ...
func (s *Siginfo) Code() int { return s.i32(4) }

// Errno is si_errno.
func (s *Siginfo) Errno() int { return s.i32(8) }

// SetSigno sets si_signo, to fake a signal with PT_SET_SIGINFO.
func (s *Siginfo) SetSigno(v int) { binary.NativeEndian.PutUint32(s.raw[0:], uint32(int32(v))) }

// SetCode sets si_code, to fake a signal with PT_SET_SIGINFO.
func (s *Siginfo) SetCode(v int) { binary.NativeEndian.PutUint32(s.raw[4:], uint32(int32(v))) }

// Pid is si_pid (_rt and _child): the sender, or the child for SIGCHLD and waitid.
func (s *Siginfo) Pid() int { return s.i32(siReason) }

// Uid is si_uid (_rt and _child).
func (s *Siginfo) Uid() uint32 { return s.u32(siReason + 4) }

// Status is si_status (_child): exit code or signal, per si_code CLD_*.
func (s *Siginfo) Status() int { return s.i32(siReason + 8) }

// Addr is si_addr (_fault): the faulting address.
func (s *Siginfo) Addr() uintptr {
	if ptrSize == 8 {
		return uintptr(binary.NativeEndian.Uint64(s.raw[siReason:]))
	}
	return uintptr(s.u32(siReason))
}

// Trap is si_trap (_fault): the machine trap number.
func (s *Siginfo) Trap() int { return s.i32(siReason + ptrSize) }

// Sysnum is si_sysnum (_syscall, TRAP_SCE/TRAP_SCX).
func (s *Siginfo) Sysnum() int { return s.i32(siReason) }

// Retval is si_retval (_syscall, TRAP_SCX).
func (s *Siginfo) Retval() [2]int32 {
	return [2]int32{int32(s.u32(siReason + 4)), int32(s.u32(siReason + 8))}
}

// Error is si_error (_syscall, TRAP_SCX): 0 or the errno.
func (s *Siginfo) Error() int { return s.i32(siReason + 12) }

// Args is si_args (_syscall): the SYS_MAXSYSARGS (8) arguments.
func (s *Siginfo) Args() [8]uint64 {
	var a [8]uint64
	for i := range a {
		a[i] = binary.NativeEndian.Uint64(s.raw[siReason+16+8*i:])
	}
	return a
}

// PeReportEvent is si_pe_report_event (_ptrace_state).
func (s *Siginfo) PeReportEvent() int { return s.i32(siReason) }

// PeOtherPid is si_pe_other_pid, which is also si_pe_lwp (_ptrace_state).
func (s *Siginfo) PeOtherPid() int { return s.i32(siReason + 4) }
