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
					var launcher *tracer.Proc
					if kind == "unrelated" {
						launcher = tr.Start("launch", tracee.EnvTarget+"="+scenario+"_attached")
						pid = launcher.ReportInt("target")
						tr.Adopt(pid, "launched "+scenario)
						launcher.Report("awaiting_go")
						if !expect.Same(t, "PT_ATTACH must stop the tracee with SIGSTOP", attachStop[runtime.GOOS], tr.Attach(pid)) {
							t.FailNow()
						}
						tr.Cont(pid, 0)
						launcher.Go()
					} else {
						pid = tr.Spawn(scenario).Pid
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
						checkCrashState(t, tr, ev, c.Sig, st.scenario)
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

// checkCrashState: at the crash stop the blocked or ignored signal is still
// blocked or ignored where the kernel promises so (crashKeepsState), and
// where it does not, the kernel's documented reset is what happened. The
// ignore set is the process's (kinfo_proc2 p_sigignore, /proc SigIgn); the
// mask is the stopped LWP's own, which only a per-LWP status request reads
// (a Go tracee has several LWPs, and kinfo_proc2's p_sigmask is one of
// them: on 8.99.25 it once read all-blocked from another LWP).
func checkCrashState(t *atfshim.T, tr *tracer.Tracer, ev tracer.Event, sig syscall.Signal, setup string) {
	keeps := expect.Pick(t, "crash mask rule", crashKeepsState)
	st := tr.SignalState(ev.Pid)
	have, what := st.Ignored.Has(sig), "ignored"
	if setup != "_ignored" {
		blocked, why := tr.LwpBlocked(ev.Pid, ev.Lwp)
		if why != "" {
			t.Logf("whether %s is still blocked at the crash stop is not checked: no per-LWP mask on this kernel: %s",
				tracer.SignalName(int(sig)), why)
			return
		}
		have, what = blocked.Has(sig), "blocked"
	}
	if have != keeps {
		t.Errorf("at the crash stop %s is %s=%v in LWP %d, want %v (this kernel's rule); state %+v",
			tracer.SignalName(int(sig)), what, have, ev.Lwp, keeps, st)
	}
}
