package ptrace

import (
	"fmt"
	"runtime"
)

// DbRegs are the x86 debug registers of one LWP as a tracer sees them:
// DR0-DR3 (addresses), DR6 (status: which DRn fired, single step) and DR7
// (control: enables, conditions, lengths). NetBSD moves them with
// PT_GETDBREGS/PT_SETDBREGS (struct dbreg, nbabi.DbRegLayout); Linux with
// PTRACE_PEEKUSER/PTRACE_POKEUSER at offsetof(struct user, u_debugreg).
type DbRegs struct {
	DR       [4]uint64
	DR6, DR7 uint64
}

func (r DbRegs) String() string {
	return fmt.Sprintf("DR0 %#x DR1 %#x DR2 %#x DR3 %#x DR6 %#x DR7 %#x", r.DR[0], r.DR[1], r.DR[2], r.DR[3], r.DR6, r.DR7)
}

// DbRegsNames are the get and set requests' names on this kernel.
var DbRegsNames = dbRegsNames

// DbRegsMissing says why this kernel on this machine lets a tracer set no
// debug registers, or "".
func DbRegsMissing() string { return DbRegsMissingOn(runtime.GOOS, runtime.GOARCH) }

// DbRegsMissingOn is DbRegsMissing for kernel on arch: only x86 has them
// (NetBSD: no other <machine/ptrace.h> defines PT_GETDBREGS; Linux: the
// u_debugreg of struct user is x86's; this suite reads it on amd64).
func DbRegsMissingOn(kernel, arch string) string {
	switch {
	case kernel == "netbsd" && arch != "amd64" && arch != "386":
		return fmt.Sprintf("NetBSD/%s defines no PT_GETDBREGS/PT_SETDBREGS (debug registers are x86's)", arch)
	case kernel == "linux" && arch != "amd64":
		return fmt.Sprintf("Linux/%s: the suite reads debug registers through x86_64's struct user u_debugreg only", arch)
	}
	return ""
}

// dbTrapCodeOn is the si_code of a debug-register stop: NetBSD TRAP_DBREG
// (sys/sys/siginfo.h; dbregs_trap_variable checks it), Linux TRAP_HWBKPT
// (arch/x86/kernel/traps.c: a #DB with a DR6 B0..B3 bit set).
var dbTrapCodeOn = map[string]int{"netbsd": 6, "linux": 4}

// DbTrapCodeOn is the si_code of kernel's debug-register trap.
func DbTrapCodeOn(kernel string) int { return dbTrapCodeOn[kernel] }

// GetDbRegs reads LWP lwp's debug registers (NetBSD: data is the LWP;
// Linux: thread lwp).
func (tr *Tracer) GetDbRegs(pid, lwp int) (r DbRegs, err error) {
	if why := DbRegsMissing(); why != "" {
		return r, &MissingError{Request: dbRegsNames[0], Why: why}
	}
	tr.Do(func() { r, err = getDbRegs(pid, lwp) })
	return mutDbRegsRead(r), err
}

// SetDbRegs writes LWP lwp's debug registers: DR0-DR3 first, then DR6,
// then DR7, so that an enable never names an address not yet set.
func (tr *Tracer) SetDbRegs(pid, lwp int, r DbRegs) error {
	if why := DbRegsMissing(); why != "" {
		return &MissingError{Request: dbRegsNames[1], Why: why}
	}
	var err error
	tr.Do(func() {
		tr.sent(pid, dbRegsNames[1], false)
		err = setDbRegs(pid, lwp, mutDbRegsWrite(r))
	})
	return err
}
