package ptrace

import "golang.org/x/sys/unix"

// syscallInProgress is the system call a stopped thread is in: orig_rax
// (arch/x86/include/asm/ptrace.h; -1 outside a system call).
func syscallInProgress(tid int) (int, bool) {
	var regs unix.PtraceRegs
	if err := unix.PtraceGetRegs(tid, &regs); err != nil {
		return 0, false
	}
	return int(int64(regs.Orig_rax)), true
}

var creatingSyscalls = map[int]bool{unix.SYS_CLONE: true, unix.SYS_CLONE3: true, unix.SYS_FORK: true, unix.SYS_VFORK: true}
