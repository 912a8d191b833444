package siginfo

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

func init() {
	atfshim.Declare(TestSyscallTracedRaise, atfshim.Meta{Timeout: caseTimeout,
		Descr: "raise(SIGUSR1) under PT_SYSCALL: the signal's stop, right after the raising call's exit stop, carries the signal's own siginfo (SIGUSR1, SI_LWP; Linux SI_TKILL), not the syscall trap's"})
}

// TestSyscallTracedRaise: a tracer that syscall-steps its tracee (strace,
// picotrace, a debugger's "catch syscall") sees the exit stop of the call
// that sends a signal and then the stop for that signal. PT_GET_SIGINFO at
// the second must describe the signal, as at any signal stop: the stop
// before it is gone, and what it left in the siginfo (TRAP_SCX, the
// call's number and results) must not show through.
func TestSyscallTracedRaise(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		code, ok := raiseCode[runtime.GOOS]
		if !ok {
			t.Fatalf("no raise(3) si_code written down for %s", runtime.GOOS)
		}
		expect.KnownBugs(t, nbabi.FixSignalSiginfoAfterSyscallStop)
		tr := tracer.New(t)
		p := tr.Spawn("raise_" + sigIdent(syscall.SIGUSR1))
		// From the ready point every stop is resumed with PT_SYSCALL (a
		// stop for another signal passes it on) until the raise's.
		tr.Syscall(p.Pid, 0)
		var before tracer.Event
		for {
			ev := tr.Wait(p.Pid)
			if ev.Terminal() {
				t.Fatalf("the tracee ended (%v) before the stop for its raise(SIGUSR1)", ev)
			}
			if ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGUSR1) {
				// The siginfo the stop was decoded with (PT_GET_SIGINFO at
				// the stop); none means the request failed there.
				if ev.Raw == nil || len(ev.Raw.Siginfo) == 0 {
					t.Fatalf("%s at the SIGUSR1 stop of pid %d failed: the stop has no siginfo", tracer.GetSiginfoName, p.Pid)
				}
				si := tracer.Siginfo{Bytes: ev.Raw.Siginfo}
				if si.Signo() != int(syscall.SIGUSR1) || si.Code() != code {
					t.Errorf("%s at the SIGUSR1 stop of pid %d after %v: si_signo %s, si_code %s; want SIGUSR1, %s",
						tracer.GetSiginfoName, p.Pid, before, tracer.SignalName(si.Signo()), tracer.CodeName(si.Signo(), si.Code()), tracer.CodeName(int(syscall.SIGUSR1), code))
				}
				break
			}
			sig := 0
			if ev.Kind == tracer.Stopped {
				sig = ev.Sig
			}
			before = ev
			tr.Syscall(p.Pid, syscall.Signal(sig))
		}
		// The signal suppressed and syscall stops off, the tracee exits 5.
		tr.Cont(p.Pid, 0)
		expect.Same(t, fmt.Sprintf("after its SIGUSR1 stop the tracee must exit %d", scenarioExit), tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
	})
}
