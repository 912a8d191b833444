package ptrace

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// TextWriteBlocked returns why the kernel will not let a tracer write the
// text of pid, or "": NetBSD refuses under PaX MPROTECT, which its suite
// reads from sysctl {CTL_PROC, pid, PROC_PID_PAXFLAGS}.
func TextWriteBlocked(pid int) string {
	mib := []int32{nbabi.CTL_PROC, int32(pid), nbabi.PROC_PID_PAXFLAGS}
	var flags int32
	n := unsafe.Sizeof(flags)
	_, _, e := unix.Syscall6(unix.SYS___SYSCTL, uintptr(unsafe.Pointer(&mib[0])), uintptr(len(mib)),
		uintptr(unsafe.Pointer(&flags)), uintptr(unsafe.Pointer(&n)), 0, 0)
	if e != 0 {
		return "cannot read proc.PID.paxflags (" + e.Error() + "); NetBSD's suite then assumes text is not writable"
	}
	if flags&nbabi.CTL_PROC_PAXFLAGS_MPROTECT != 0 {
		return "PaX MPROTECT setup prevents writes to .text"
	}
	return ""
}

// ZeroPCRuleOff returns why the kernel may accept a resume at PC 0, or ""
// when it must refuse it: NetBSD refuses only while vm.user_va0_disable is
// set (page 0 cannot be mapped, so PC 0 can only be a mistake).
func ZeroPCRuleOff() string {
	v, err := unix.SysctlUint32(nbabi.SysctlUserVA0Disable)
	if err != nil {
		return "cannot read " + nbabi.SysctlUserVA0Disable + ": " + err.Error()
	}
	if v == 0 {
		return nbabi.SysctlUserVA0Disable + " is set to 0"
	}
	return ""
}
