package siginfo

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// crashSetups name NetBSD's traceme_crash_*, traceme_signalmasked_crash_*
// and traceme_signalignored_crash_* (and the unrelated_tracer_sees_*
// forms).
var crashSetups = []struct{ scenario, ident string }{
	{"", ""}, {"_masked", "signalmasked_"}, {"_ignored", "signalignored_"},
}

func crashIdent(tracerKind, setupIdent, name string) string {
	if tracerKind == "unrelated" {
		return "unrelated_tracer_sees_" + setupIdent + "crash_" + name
	}
	return "traceme_" + setupIdent + "crash_" + name
}

func init() {
	for _, kind := range []string{"traceme", "unrelated"} {
		for _, st := range crashSetups {
			for _, c := range raw.Crashes {
				who := "its parent, tracing it from PT_TRACE_ME,"
				if kind == "unrelated" {
					who = "a tracer that attached (not its parent)"
				}
				atfshim.DeclareSub(TestCrash, crashIdent(kind, st.ident, c.Name), atfshim.Meta{
					Descr: fmt.Sprintf("a %s crash%s stops the tracee for %s with %s and its fault si_code; PT_KILL ends it",
						c.Name, map[string]string{"": "", "_masked": " with the signal blocked", "_ignored": " with the signal ignored"}[st.scenario],
						who, tracer.SignalName(int(c.Sig))),
					Timeout: caseTimeout,
				})
			}
		}
	}
}

// TestCrash is NetBSD's traceme_crash_*, traceme_signal{masked,ignored}_crash_*
// and unrelated_tracer_sees_*crash_*: a fault is reported to the tracer
// before any handler runs, whatever the tracee did to the signal, with the
// machine's fault si_code; PT_KILL then ends the tracee with SIGKILL.
func TestCrash(t *testing.T) {
	for _, kind := range []string{"traceme", "unrelated"} {
		for _, st := range crashSetups {
			for _, c := range raw.Crashes {
				atfshim.RunSub(t, crashIdent(kind, st.ident, c.Name), func(t *atfshim.T) {
					if why := raw.CrashUnsupported(c); why != "" {
						t.Skipf("%s", why)
					}
					codes, ok := crashCodesHere(c.Name)
					if !ok {
						t.Fatalf("no si_code written down for a %s crash on %s/%s", c.Name, runtime.GOOS, runtime.GOARCH)
					}
					tr := tracer.New(t)
					scenario := "crash_" + c.Name + st.scenario
					var pid int
					var launcher, reports *tracer.Proc
					var first tracer.Event // the stop before the crash: attach or ready
					if kind == "unrelated" {
						launcher = tr.Start("launch", tracee.EnvTarget+"="+scenario+"_attached")
						reports = launcher
						pid = launcher.ReportInt("target")
						tr.Adopt(pid, "launched "+scenario)
						launcher.Report("awaiting_go")
						first = tr.Attach(pid)
						if !expect.Same(t, "PT_ATTACH must stop the tracee with SIGSTOP", attachStop[runtime.GOOS], first) {
							t.FailNow()
						}
					} else {
						reports = tr.Spawn(scenario)
						pid = reports.Pid
						// Spawn returns with the tracee stopped at its ready point.
						first = tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Pid: pid}
					}
					var setup tracer.SigState
					if st.scenario != "" {
						setup = reportedSetup(t, reports, c.Sig, st.scenario)
						first.Lwp = reports.ReportInt("lwp") // the LWP that set the state up
						expect.CheckStopState(t, tr, crashIdent(kind, st.ident, c.Name), firstStopName(kind), first, setup)
					}
					if kind == "unrelated" {
						tr.Cont(pid, 0)
						launcher.Go()
					} else {
						tr.Cont(pid, 0)
					}
					ev := tr.Wait(pid)
					if ev.Kind != tracer.Stopped || ev.Sig != int(c.Sig) || !slices.Contains(codes, ev.Code) {
						names := make([]string, len(codes))
						for i, code := range codes {
							names[i] = tracer.CodeName(int(c.Sig), code)
						}
						t.Fatalf("a %s crash must stop the tracee with %s, si_code in %v; got %v",
							c.Name, tracer.SignalName(int(c.Sig)), names, ev)
					}
					if st.scenario != "" {
						checkCrashState(t, tr, crashIdent(kind, st.ident, c.Name), ev, first.Lwp, setup, c.Sig)
					}
					tr.Kill(pid)
					expect.Same(t, "PT_KILL at the crash stop", tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}, tr.Wait(pid))
					if launcher != nil {
						if st := launcher.ReportInt("target_status"); st != int(syscall.SIGKILL) {
							t.Errorf("the tracee's own parent saw status %#x, want killed by SIGKILL", st)
						}
						expect.Same(t, "the launcher must exit 0", tracer.Event{Kind: tracer.Exited}, tr.Wait(launcher.Pid))
					}
				})
			}
		}
	}
}

// readyState reads what the scenario set up (its signal masked or
// ignored by setup, or nothing) and checks it at the scenario's ready stop;
// it returns that state and the scenario's LWP.
func readyState(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc, ident string, sig syscall.Signal, setup string) (tracer.SigState, int) {
	t.Helper()
	var st tracer.SigState
	if setup != "" {
		st = reportedSetup(t, p, sig, setup)
	} else {
		st = expect.ReportedSignalState(t, p, "sigstate")
	}
	lwp := p.ReportInt("lwp")
	expect.CheckStopState(t, tr, ident, "ready SIGSTOP", tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Pid: p.Pid, Lwp: lwp}, st)
	return st, lwp
}

// reportedSetup is the signal state the scenario reports it set up,
// which must have the crash signal blocked or ignored as the setup says.
func reportedSetup(t *atfshim.T, reports *tracer.Proc, sig syscall.Signal, setup string) tracer.SigState {
	t.Helper()
	st := expect.ReportedSignalState(t, reports, "sigstate")
	has, what := st.Ignored.Has(sig), "ignored"
	if setup == "_masked" {
		has, what = st.Blocked.Has(sig), "blocked"
	}
	if !has {
		t.Fatalf("the scenario reports %s not %s after its set-up (blocked %#x, ignored %#x)",
			tracer.SignalName(int(sig)), what, uint64(st.Blocked), uint64(st.Ignored))
	}
	return st
}

// firstStopName names the stop before the crash.
func firstStopName(kind string) string {
	if kind == "unrelated" {
		return "PT_ATTACH SIGSTOP"
	}
	return "ready SIGSTOP"
}

// crashStopState is the signal state the kernel must show at the crash
// stop of a tracee that set up setup with sig blocked or ignored: the same
// where the kernel keeps it (crashKeepsState), else setup with sig neither
// blocked nor ignored (the kernel's documented reset: unblocked, SIG_DFL),
// every other signal as it was.
func crashStopState(t *atfshim.T, setup tracer.SigState, sig syscall.Signal) tracer.SigState {
	t.Helper()
	if expect.Pick(t, "crash mask rule", crashKeepsState) {
		return setup
	}
	bit := tracer.SigSet(1) << (uint(sig) - 1)
	return tracer.SigState{Blocked: setup.Blocked &^ bit, Ignored: setup.Ignored &^ bit}
}

// checkCrashState: at the crash stop the full blocked set of the LWP that
// crashed and the process's ignore set are what the scenario set up, less
// what this kernel's rule resets (crashStopState). The mask is the stopped
// LWP's own, which only a per-LWP status request reads (a Go tracee has
// several LWPs, and kinfo_proc2's p_sigmask is one of them: on 8.99.25 it
// once read all-blocked from another LWP); without one the mask half is
// not checked and the log says why (expect.StopSignalState).
func checkCrashState(t *atfshim.T, tr *tracer.Tracer, what string, ev tracer.Event, setupLwp int, setup tracer.SigState, sig syscall.Signal) {
	t.Helper()
	if ev.Lwp != setupLwp {
		t.Errorf("%s: the %s crash stop names LWP %d, but the crash happened on LWP %d, which set the state up", what, tracer.SignalName(int(sig)), ev.Lwp, setupLwp)
	}
	expect.CheckStopState(t, tr, what, "", ev, crashStopState(t, setup, sig))
}
