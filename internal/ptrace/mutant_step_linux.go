//go:build mutation && linux

package ptrace

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Kernel bugs of single step, system call emulation and debug registers,
// injected at the requests (mutant_linux.go says how mutants work). They
// are added while package variables are initialized, before
// mutant_linux.go's init checks the name.
var _ = func() bool {
	for k, v := range map[string]string{
		"step-extra":        "PTRACE_SINGLESTEP executes two instructions before its SIGTRAP stop (one step stop lost, the PC advanced past the next instruction too)",
		"step-missing":      "the SIGTRAP stop of PTRACE_SINGLESTEP is never reported: the tracee runs on as if continued",
		"watchpoint-silent": "a debug-register write is accepted but not applied: DR7 stays 0, so no watchpoint or breakpoint fires",
		"wrong-dr6":         "DR6 read at a debug-register stop names the next DR (B0..B3 rotated by one)",
		"sysemu-ignored":    "system call emulation is accepted but the kernel runs the call anyway",
		"dbregs-lost":       "a debug-register write is accepted but DR0-DR3 are written as 0 (DR6 and DR7 as given)",
		"dbregs-stale":      "debug registers are not cleared for a new process, LWP or image: a thread whose DR0-DR3 are 0 reads back the last ones set (at first a stale DR0 another process left)",
	} {
		Mutants[k] = v
	}
	return true
}()

// stepStop waits, inside the request, for the step stop of thread tid (a
// report the tracer never sees).
func stepStop(tid int) error {
	var ws unix.WaitStatus
	_, err := unix.Wait4(tid, &ws, unix.WALL, nil)
	if err == nil && !(ws.Stopped() && ws.StopSignal() == unix.SIGTRAP) {
		err = fmt.Errorf("mutant %s: thread %d reported %#x, not the step stop", mutant, tid, uint32(ws))
	}
	return err
}

func (tr *Tracer) mutStep(pid, lwp int, step func() error) error {
	if lwp == 0 {
		lwp = pid
	}
	switch mutant {
	case "step-extra", "step-missing":
		if err := step(); err != nil {
			return err
		}
		if err := stepStop(lwp); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return nil
		}
		if mutant == "step-extra" {
			return step()
		}
		return resume(lwp, 0)
	}
	return step()
}

func (tr *Tracer) mutSyscallEmu(pid int, emu func() error) error {
	if mutant == "sysemu-ignored" {
		if SysEmuOn["linux"].Resumes {
			return resumeAt(pid, ReqSyscall, 1, 0)
		}
		return nil
	}
	return emu()
}

// staleDbRegs is what dbregs-stale shows in a thread whose debug
// registers are clear: the last non-zero set written, at first a DR0
// left by another process.
var staleDbRegs = DbRegs{DR: [4]uint64{0x7f0000001000}}

// lostDbRegs: what dbregs-lost leaves in DR0-DR3, the values of a new
// thread.
var lostDbRegs [4]uint64

func mutDbRegsRead(r DbRegs) DbRegs {
	if mutant == "dbregs-stale" && r.DR == [4]uint64{} {
		r.DR, r.DR7 = staleDbRegs.DR, staleDbRegs.DR7
	}
	if mutant == "wrong-dr6" {
		b := r.DR6 & 0xf
		r.DR6 = r.DR6&^0xf | (b<<1|b>>3)&0xf
	}
	return r
}

func mutDbRegsWrite(r DbRegs) DbRegs {
	if mutant == "watchpoint-silent" {
		r.DR7 = 0
	}
	if mutant == "dbregs-lost" {
		r.DR = lostDbRegs
	}
	if mutant == "dbregs-stale" && r.DR != [4]uint64{} {
		staleDbRegs = r
	}
	return r
}
