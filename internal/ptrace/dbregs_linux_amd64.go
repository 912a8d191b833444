package ptrace

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

var dbRegsNames = [2]string{"PTRACE_PEEKUSER(u_debugreg)", "PTRACE_POKEUSER(u_debugreg)"}

// uDebugreg is offsetof(struct user, u_debugreg) on x86_64
// (arch/x86/include/asm/user_64.h: regs 216, u_fpvalid+pad 8, i387 512,
// u_tsize/u_dsize/u_ssize 24, start_code/start_stack 16, signal 8,
// reserved+pad 8, u_ar0 8, u_fpstate 8, magic 8, u_comm 32 = 848).
const uDebugreg = 848

func peekDR(tid, n int) (uint64, error) {
	var v uint64
	// PTRACE_PEEKUSER stores the word at data (the raw system call's ABI).
	err := ptraceRaw(unix.PTRACE_PEEKUSR, tid, uintptr(uDebugreg+8*n), uintptr(unsafe.Pointer(&v)))
	return v, err
}

func pokeDR(tid, n int, v uint64) error {
	return ptraceRaw(unix.PTRACE_POKEUSR, tid, uintptr(uDebugreg+8*n), uintptr(v))
}

func getDbRegs(pid, lwp int) (r DbRegs, err error) {
	if lwp == 0 {
		lwp = pid
	}
	for i := range r.DR {
		if r.DR[i], err = peekDR(lwp, i); err != nil {
			return r, err
		}
	}
	if r.DR6, err = peekDR(lwp, 6); err != nil {
		return r, err
	}
	r.DR7, err = peekDR(lwp, 7)
	return r, err
}

func setDbRegs(pid, lwp int, r DbRegs) error {
	if lwp == 0 {
		lwp = pid
	}
	for i, a := range r.DR {
		if err := pokeDR(lwp, i, a); err != nil {
			return err
		}
	}
	if err := pokeDR(lwp, 6, r.DR6); err != nil {
		return err
	}
	return pokeDR(lwp, 7, r.DR7)
}
