package regs

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

// General registers: what PT_GETREGS (Linux PTRACE_GETREGSET NT_PRSTATUS)
// reads is what the LWP holds, member by member of struct reg; what
// PT_SETREGS writes is what it holds when it runs again.

var _ = atfshim.Declare(TestAccessRegs1, atfshim.Meta{
	Descr:   "PT_GETREGS at a stop: every general register the tracee loaded reads back at its struct reg offset (also x86_64_regs1, x86_gpregs64_read, x86_gpregs64_r8_read)",
	Timeout: caseTimeout,
})

// TestAccessRegs1 is NetBSD's access_regs1.
func TestAccessRegs1(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr, s, r := gpAtStop(t)
		t.Logf("%s of LWP %d: % x", tracer.RegsGP.Name(false), s.lwp, r.Bytes)
		checkGP(t, fmt.Sprintf("%s of LWP %d of pid %d", tracer.RegsGP.Name(false), s.lwp, s.p.Pid), r,
			func(i int) uint64 { return raw.GPValue(0, i) })
		s.resumeAndSee(t, tr)
	})
}

var _ = atfshim.Declare(TestAccessRegs2, atfshim.Meta{
	Descr:   "PT_GETREGS at a stop: PTRACE_REG_PC is in the routine that stopped the LWP",
	Timeout: caseTimeout,
})

// TestAccessRegs2 is NetBSD's access_regs2 (read PC). The tracee is this
// test binary: the PC, moved by the difference between the tracee's and
// this process's address of the routine, must name the routine here.
func TestAccessRegs2(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr, s, r := gpAtStop(t)
		pc := r.Word("pc")
		mine := uint64(raw.RegsStopAddress()) + (pc - s.stopfn)
		fn := runtime.FuncForPC(uintptr(mine))
		want := runtime.FuncForPC(raw.RegsStopAddress())
		if fn == nil || want == nil || fn.Name() != want.Name() || pc <= s.stopfn {
			name := "no function"
			if fn != nil {
				name = fn.Name()
			}
			t.Errorf("%s of LWP %d: PTRACE_REG_PC %#x is in %s, past the entry %#x of the routine that stopped it, want inside it", tracer.RegsGP.Name(false), s.lwp, pc, name, s.stopfn)
		}
		s.resumeAndSee(t, tr)
	})
}

var _ = atfshim.Declare(TestAccessRegs3, atfshim.Meta{
	Descr:   "PT_SETREGS of PTRACE_REG_PC (and one register): the resumed LWP runs from the new PC with the new register",
	Timeout: caseTimeout,
})

// TestAccessRegs3 is NetBSD's access_regs3 (set PC), done for real: the
// landing exits with the value of LandingCodeReg, so the exit status shows
// the kernel took both the PC and that register.
func TestAccessRegs3(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr, s, r := gpAtStop(t)
		const code = 77
		r.SetWord("pc", s.landing)
		r.SetWord(raw.LandingCodeReg, code)
		tr.SetRegSet(s.p.Pid, r)
		tr.Cont(s.p.Pid, 0)
		expect.Same(t, fmt.Sprintf("with PTRACE_REG_PC set to the landing %#x and %s to %d the tracee must exit %d", s.landing, raw.LandingCodeReg, code, code),
			tracer.Event{Kind: tracer.Exited, Status: code}, tr.Wait(s.p.Pid))
	})
}

var _ = atfshim.Declare(TestAccessRegs4, atfshim.Meta{
	Descr:   "PT_GETREGS at a stop: PTRACE_REG_SP is the stack pointer the LWP had at its system call",
	Timeout: caseTimeout,
})

// TestAccessRegs4 is NetBSD's access_regs4 (read SP).
func TestAccessRegs4(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr := tracer.New(t)
		s := atRegsStop(t, tr, false, false)
		sp := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsGP).Word("sp")
		saw := s.resumeAndSee(t, tr)
		if sp != saw.sp {
			t.Errorf("%s of LWP %d: PTRACE_REG_SP is %#x, the LWP's stack pointer at the stop was %#x", tracer.RegsGP.Name(false), s.lwp, sp, saw.sp)
		}
	})
}

var _ = atfshim.Declare(TestAccessRegs5, atfshim.Meta{
	Descr:   "PTRACE_REG_INTRV at the stop after a system call is its return value (0), and a value PT_SETREGS puts there is what the system call returns",
	Timeout: caseTimeout,
})

// TestAccessRegs5 is NetBSD's access_regs5 (read the return-value
// register), with the write that makes the stopping system call return
// what the tracer chose.
func TestAccessRegs5(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr, s, r := gpAtStop(t)
		if v := r.Word("intrv"); v != 0 {
			t.Errorf("%s of LWP %d: PTRACE_REG_INTRV is %#x after the self-signal that succeeded, want 0", tracer.RegsGP.Name(false), s.lwp, v)
		}
		const ret = 0x5eed
		r.SetWord("intrv", ret)
		tr.SetRegSet(s.p.Pid, r)
		saw := s.resumeAndSee(t, tr)
		if saw.ax != ret {
			t.Errorf("%s of PTRACE_REG_INTRV = %#x at the stop: the system call returned %#x to the LWP", tracer.RegsGP.Name(true), ret, saw.ax)
		}
	})
}

var _ = atfshim.Declare(TestAccessRegs6, atfshim.Meta{
	Descr:   "PT_SETREGS at a stop: the resumed LWP holds every general register as written (also x86_gpregs64_write, x86_gpregs64_r8_write)",
	Timeout: caseTimeout,
})

// TestAccessRegs6 is NetBSD's access_regs6 (PT_SETREGS).
func TestAccessRegs6(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr, s, r := gpAtStop(t)
		for i, name := range raw.GPLoaded {
			r.SetWord(name, gpNew(i))
		}
		tr.SetRegSet(s.p.Pid, r)
		back := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsGP)
		checkGP(t, fmt.Sprintf("%s after %s", tracer.RegsGP.Name(false), tracer.RegsGP.Name(true)), back, gpNew)
		saw := s.resumeAndSee(t, tr)
		for i, name := range raw.GPLoaded {
			if saw.gp[i] != gpNew(i) {
				t.Errorf("%s of LWP %d: once resumed the LWP had %s = %#x, the tracer wrote %#x", tracer.RegsGP.Name(true), s.lwp, name, saw.gp[i], gpNew(i))
			}
		}
	})
}

var _ = atfshim.Declare(TestAccessRegsSetUnmappedPC, atfshim.Meta{
	Descr:   "PT_SETREGS of PTRACE_REG_PC to an unmapped page: the resumed LWP faults there, SIGSEGV with SEGV_MAPERR and si_addr the PC",
	Timeout: caseTimeout,
})

// TestAccessRegsSetUnmappedPC: the kernel takes any PC and the CPU's
// instruction fetch faults at it.
func TestAccessRegsSetUnmappedPC(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr, s, r := gpAtStop(t)
		r.SetWord("pc", s.unmapped)
		tr.SetRegSet(s.p.Pid, r)
		tr.Cont(s.p.Pid, 0)
		ev := tr.Wait(s.p.Pid)
		if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSEGV) || ev.Code != nbabi.SEGV_MAPERR {
			t.Fatalf("resumed at the unmapped PC %#x the tracee must stop with SIGSEGV, SEGV_MAPERR, got %v", s.unmapped, ev)
		}
		si, err := tr.TryGetSiginfo(s.p.Pid)
		if err != nil {
			t.Fatalf("%s at the SIGSEGV stop: %v", tracer.GetSiginfoName, err)
		}
		if uint64(si.Addr()) != s.unmapped {
			t.Errorf("SIGSEGV of the fetch at PC %#x: si_addr %#x, want the PC", s.unmapped, si.Addr())
		}
		if pc := tr.GetRegSet(s.p.Pid, ev.Lwp, tracer.RegsGP).Word("pc"); pc != s.unmapped {
			t.Errorf("at the SIGSEGV stop PTRACE_REG_PC is %#x, want the unmapped PC %#x", pc, s.unmapped)
		}
		tr.Kill(s.p.Pid)
		expect.Same(t, "PT_KILL at the fault stop", tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}, tr.Wait(s.p.Pid))
	})
}

// unalignedPC is why a machine has no unaligned-PC fault to check, or "".
var unalignedPC = map[string]string{
	"amd64": "x86 has no instruction alignment: PC|%#x is a valid fetch address, so there is no fault to check (NetBSD's case accepts any outcome there)",
	"386":   "x86 has no instruction alignment: PC|%#x is a valid fetch address, so there is no fault to check (NetBSD's case accepts any outcome there)",
}

var unalignedOffsets = []int{1, 3, 7}

func unalignedIdent(off int) string { return fmt.Sprintf("access_regs_set_unaligned_pc_%#x", off) }

func init() {
	for _, off := range unalignedOffsets {
		atfshim.DeclareSub(TestAccessRegsSetUnalignedPC, unalignedIdent(off), atfshim.Meta{
			Descr:   fmt.Sprintf("PT_SETREGS of PTRACE_REG_PC|%#x: the resumed LWP faults for the misaligned fetch", off),
			Timeout: caseTimeout,
		})
	}
}

// TestAccessRegsSetUnalignedPC is NetBSD's access_regs_set_unaligned_pc_*:
// only machines with aligned instructions have a fault to check.
func TestAccessRegsSetUnalignedPC(t *testing.T) {
	for _, off := range unalignedOffsets {
		atfshim.RunSub(t, unalignedIdent(off), func(t *atfshim.T) {
			if why := unalignedPC[runtime.GOARCH]; why != "" {
				t.Skip(fmt.Sprintf(why, off))
			}
			t.Skip("no register-loading assembly for " + runtime.GOARCH + " yet: " + raw.RegsUnsupported())
		})
	}
}
