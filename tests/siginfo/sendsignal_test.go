package siginfo

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

// simpleSignals are NetBSD's traceme_sendsignal_simple1..10.
var simpleSignals = []syscall.Signal{
	syscall.SIGKILL, syscall.SIGSTOP, syscall.SIGABRT, syscall.SIGHUP, syscall.SIGCONT,
	syscall.SIGTRAP, syscall.SIGBUS, syscall.SIGILL, syscall.SIGFPE, syscall.SIGSEGV,
}

// coreSignals are the signals among them whose default action dumps core.
var coreSignals = map[syscall.Signal]bool{
	syscall.SIGABRT: true, syscall.SIGTRAP: true, syscall.SIGBUS: true,
	syscall.SIGILL: true, syscall.SIGFPE: true, syscall.SIGSEGV: true,
}

func sendIdent(setup string, s syscall.Signal) string {
	return "traceme_sendsignal_" + setup + "_" + sigIdent(s)
}

func init() {
	for _, setup := range []string{"handle", "masked", "ignored"} {
		for _, s := range maskedSignals {
			descr := map[string]string{
				"handle":  "the tracee's handler runs exactly once",
				"masked":  "blocked, it stays pending and the tracee exits 5",
				"ignored": "ignored, it is discarded and the tracee exits 5",
			}[setup]
			atfshim.DeclareSub(TestTracemeSendsignal, sendIdent(setup, s), atfshim.Meta{
				Descr: "PT_CONTINUE with " + sigName(s) + " at the tracee's SIGSTOP stop: " + descr, Timeout: caseTimeout})
		}
	}
	for _, s := range simpleSignals {
		atfshim.DeclareSub(TestTracemeSendsignalSimple, sendIdent("simple", s), atfshim.Meta{
			Descr: "PT_CONTINUE with " + sigName(s) + " at the tracee's SIGSTOP stop, no handler: the signal's default action", Timeout: caseTimeout})
	}
}

// TestTracemeSendsignal is NetBSD's traceme_sendsignal_{handle,masked,
// ignored}1..8: the signal a tracer gives PT_CONTINUE (PTRACE_CONT) at a
// signal-delivery stop is delivered to the stopped thread as if it had
// been sent then: a handler runs exactly once; a blocked signal stays
// pending (the tracee exits 5 without seeing it); an ignored one is
// discarded.
func TestTracemeSendsignal(t *testing.T) {
	for _, setup := range []string{"handle", "masked", "ignored"} {
		for _, s := range maskedSignals {
			atfshim.RunSub(t, sendIdent(setup, s), func(t *atfshim.T) {
				if setup == "ignored" {
					ignoredReportedAgain.Gate(t)
				} else {
					expect.KnownBugs(t, nbabi.FixContinueSignalDelivered)
				}
				tr := tracer.New(t)
				p := tr.Spawn("send_" + setup + "_" + sigIdent(s))
				tr.Cont(p.Pid, s)
				want := ""
				if setup == "handle" {
					want = unixName(s)
				}
				// Its end first: a kernel that stops it again must not leave
				// the case waiting for a report that cannot come.
				if !expect.Same(t, fmt.Sprintf("%s with %s at the SIGSTOP stop (%s): the tracee", tracer.ContName, sigName(s), setup),
					tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid)) {
					return
				}
				if got := p.Report("handled"); got != want {
					t.Errorf("%s with %s at the SIGSTOP stop (%s): the tracee's handler saw [%s], want [%s]", tracer.ContName, sigName(s), setup, got, want)
				}
				tr.ExpectNoChildren(p.Pid)
			})
		}
	}
}

// stopNeedsCont: a SIGSTOP delivered to a tracee whose other threads are
// not traced (the Go runtime's, on Linux without PTRACE_O_TRACECLONE)
// group-stops those threads for job control; PTRACE_CONT resumes only the
// traced one, so the tracer sends SIGCONT (passed on wherever it stops) or the
// tracee hangs on its runtime (measured). NetBSD stops and continues the
// process as a whole.
var stopNeedsCont = map[string]bool{"linux": true, "netbsd": false}

// unixName is the name the scenario reports a signal by (x/sys's).
func unixName(s syscall.Signal) string { return unix.SignalName(s) }

// injectedCode is the si_code of the siginfo of a signal the tracer
// delivered with PT_CONTINUE when it reaches a signal-delivery stop of its
// own (a SIGSTOP): NetBSD posts it to the stopped LWP, SI_LWP
// (traceme_sendsignal_simple2 expects that; measured on 8.99.25); Linux
// rewrites the siginfo of a changed signal as sent by the tracer with
// SI_USER (kernel/signal.c ptrace_signal).
var injectedCode = map[string]int{"netbsd": nbabi.SI_LWP, "linux": expect.SIUser}

// ignoredReportedAgain: before FixContinueSignalDelivered an ignored
// signal given PT_CONTINUE at the SI_LWP stop was reported again in 16 of
// 17 measured runs on 8.99.25 (traceme_sendsignal_ignored_trap once
// exited 5 as it should): a race there, not a certain failure.
var ignoredReportedAgain = expect.RaceBefore{Fix: nbabi.FixContinueSignalDelivered,
	Race: "an ignored signal given PT_CONTINUE at the stop for a thread-directed signal is reported again in most runs"}

// lwpSignalKillRace is t_kill's kill1 race: a SIGKILL given PT_CONTINUE at
// the stop for a thread-directed signal is lost in some runs before the
// fix (measured on 8.99.25).
var lwpSignalKillRace = expect.RaceBefore{Fix: nbabi.FixSigkillAtLwpSignalStop,
	Race: "a SIGKILL given with PT_CONTINUE at the stop for a thread-directed signal (SI_LWP) is lost in some runs"}

// TestTracemeSendsignalSimple is NetBSD's traceme_sendsignal_simple1..10:
// with no handler the signal given at PT_CONTINUE takes its default
// action. SIGKILL kills; SIGSTOP stops the tracee again (reported to the
// tracer, who continues it to its exit); SIGCONT does nothing; SIGHUP
// terminates without a core; the others terminate with a core exactly
// when the kernel's core rule promises one (coreRules).
func TestTracemeSendsignalSimple(t *testing.T) {
	for _, s := range simpleSignals {
		atfshim.RunSub(t, sendIdent("simple", s), func(t *atfshim.T) {
			rule, ok := coreRules[runtime.GOOS]
			if !ok {
				t.Fatalf("no core rule written down for %s", runtime.GOOS)
			}
			switch s {
			case syscall.SIGKILL:
				lwpSignalKillRace.Gate(t)
			case syscall.SIGSTOP: // stops again either way
			default:
				expect.KnownBugs(t, nbabi.FixContinueSignalDelivered)
			}
			tr := tracer.New(t)
			p := tr.Spawn("send_simple_" + sigIdent(s))
			var setting raw.CoreSetting
			if err := json.Unmarshal([]byte(p.Report("core")), &setting); err != nil {
				t.Fatalf("tracee core setting %q: %v", p.Report("core"), err)
			}
			tr.Cont(p.Pid, s)
			var want []tracer.Event
			coreWhy := "" // why the core bit cannot be stated (the bit is not checked then)
			switch {
			case s == syscall.SIGKILL:
				want = []tracer.Event{{Kind: tracer.Killed, Sig: int(s)}}
			case s == syscall.SIGSTOP:
				// The delivered SIGSTOP is a signal delivery of its own,
				// reported with the si_code the kernel gives a signal a
				// tracer injects (injectedCode).
				want = []tracer.Event{{Kind: tracer.Stopped, Sig: int(s), Code: injectedCode[runtime.GOOS]}}
				if stopNeedsCont[runtime.GOOS] {
					tr.Pass(syscall.SIGCONT) // any thread may take it: not counted
				}
				want = append(want, tracer.Event{Kind: tracer.Exited, Status: scenarioExit})
			case s == syscall.SIGCONT:
				want = []tracer.Event{{Kind: tracer.Exited, Status: scenarioExit}}
			default:
				core := false
				if coreSignals[s] {
					core, coreWhy = rule(setting)
					if coreWhy != "" {
						t.Logf("WCOREDUMP not checked: the core rule cannot be stated here: %s", coreWhy)
					}
				}
				want = []tracer.Event{{Kind: tracer.Killed, Sig: int(s), Core: core}}
			}
			got := toEnd(tr, p.Pid, func(ev tracer.Event) {
				if ev.Sig == int(syscall.SIGSTOP) && stopNeedsCont[runtime.GOOS] {
					tr.Signal(p.Pid, syscall.SIGCONT)
				}
			})
			if coreWhy != "" && len(got) == len(want) {
				want[len(want)-1].Core = got[len(got)-1].Core // the rule says nothing here
			}
			expect.Same(t, fmt.Sprintf("%s with %s at the SIGSTOP stop, SIG_DFL", tracer.ContName, sigName(s)), want, got)
			tr.ExpectNoChildren(p.Pid)
		})
	}
}

// fromProcess is one thing a tracer does with a signal another process
// sent: the signal it gives PT_CONTINUE and the handlers that must run.
var fromProcess = []struct {
	ident   string
	resume  syscall.Signal
	handled string
	what    string
}{
	{"sendsignal_from_process_pass", syscall.SIGUSR1, "SIGUSR1", "passed on, the tracee's SIGUSR1 handler runs once"},
	{"sendsignal_from_process_change", syscall.SIGUSR2, "SIGUSR2", "changed to SIGUSR2, only the SIGUSR2 handler runs"},
	{"sendsignal_from_process_suppress", 0, "", "suppressed, no handler runs"},
}

func init() {
	for _, c := range fromProcess {
		atfshim.DeclareSub(TestSendsignalFromProcess, c.ident, atfshim.Meta{
			Descr: "SIGUSR1 sent by another process stops the tracee with SI_USER and the sender's pid and uid in its siginfo; " + c.what, Timeout: caseTimeout})
	}
	atfshim.DeclareSub(TestSignalMaskUnrelated, "signal_mask_unrelated", atfshim.Meta{
		Descr: "blocking SIGTRAP does not hide a raised SIGINT from the tracer, and SIGTRAP stays blocked", Timeout: caseTimeout})
	for _, s := range []syscall.Signal{syscall.SIGKILL, syscall.SIGSTOP} {
		atfshim.DeclareSub(TestTracemeRaiseUncatchable, "traceme_raise_"+sigIdent(s), atfshim.Meta{
			Descr: "raise(" + sigName(s) + ") after PT_TRACE_ME: " + map[syscall.Signal]string{
				syscall.SIGKILL: "the tracee is killed by SIGKILL with no stop",
				syscall.SIGSTOP: "the tracee stops with SIGSTOP, si_code SI_LWP (Linux SI_TKILL), and exits 5 when continued"}[s],
			Timeout: caseTimeout})
	}
}

// TestSendsignalFromProcess: a signal another process sends the tracee
// with kill(2) is reported at the tracee's signal-delivery stop, its
// siginfo (PT_GET_SIGINFO / PTRACE_GETSIGINFO) naming the sender: si_code
// SI_USER, si_pid the sender's pid, si_uid its real uid. The tracer then
// decides what the tracee gets: the same signal, another one, or none,
// and exactly that handler runs (the tracee reports which ran). NetBSD's
// suite has no such case (its senders are the tracee or the tracer).
func TestSendsignalFromProcess(t *testing.T) {
	for _, c := range fromProcess {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			tr := tracer.New(t)
			p := tr.Spawn("send_from_process")
			tr.Cont(p.Pid, 0)
			s := tr.Start("sender", "SEND_TARGET="+strconv.Itoa(p.Pid), "SEND_SIG="+strconv.Itoa(int(syscall.SIGUSR1)))
			ev := tr.Wait(p.Pid)
			expect.Same(t, fmt.Sprintf("SIGUSR1 sent by pid %d to the running tracee %d", s.Pid, p.Pid),
				tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGUSR1), Code: expect.SIUser}, ev)
			if t.Failed() {
				return
			}
			si, err := tr.TryGetSiginfo(p.Pid)
			if err != nil {
				t.Fatalf("%s at the SIGUSR1 stop of pid %d: %v", tracer.GetSiginfoName, p.Pid, err)
			}
			if si.Signo() != int(syscall.SIGUSR1) || si.Code() != expect.SIUser || si.SenderPid() != s.Pid || si.SenderUid() != os.Getuid() {
				t.Errorf("%s at the SIGUSR1 stop of pid %d: si_signo %s, si_code %s, si_pid %d, si_uid %d; want SIGUSR1, SI_USER, the sender's pid %d and uid %d",
					tracer.GetSiginfoName, p.Pid, sigName(syscall.Signal(si.Signo())), tracer.CodeName(si.Signo(), si.Code()), si.SenderPid(), si.SenderUid(), s.Pid, os.Getuid())
			}
			expect.Same(t, "the sender", tracer.Event{Kind: tracer.Exited}, tr.Wait(s.Pid))
			tr.Cont(p.Pid, c.resume)
			p.Go()
			if !expect.Same(t, fmt.Sprintf("%s with %s at the SIGUSR1 stop: the tracee", tracer.ContName, resumeName(c.resume)),
				tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid)) {
				return
			}
			if got := p.Report("handled"); got != c.handled {
				t.Errorf("%s with %s at the SIGUSR1 stop: the tracee's handlers saw [%s], want [%s]", tracer.ContName, resumeName(c.resume), got, c.handled)
			}
			tr.ExpectNoChildren(p.Pid)
		})
	}
}

// toEnd collects pid's reports up to its end (at most 4), resuming each
// stop with no signal after at (may be nil) has seen it.
func toEnd(tr *tracer.Tracer, pid int, at func(tracer.Event)) []tracer.Event {
	var got []tracer.Event
	for len(got) < 4 {
		ev := tr.Wait(pid)
		got = append(got, ev)
		if ev.Terminal() {
			break
		}
		if at != nil {
			at(ev)
		}
		tr.Cont(pid, 0)
	}
	return got
}

// resumeName names the signal a resume delivers ("no signal" for 0).
func resumeName(s syscall.Signal) string {
	if s == 0 {
		return "no signal"
	}
	return sigName(s)
}

// TestSignalMaskUnrelated is NetBSD's signal_mask_unrelated: a tracee that
// blocks SIGTRAP and raises SIGINT is stopped with SIGINT (a blocked
// signal hides only itself), with SIGTRAP still in the stopped thread's
// mask; suppressed, the tracee exits 5.
func TestSignalMaskUnrelated(t *testing.T) {
	atfshim.RunSub(t, "signal_mask_unrelated", func(t *atfshim.T) {
		tr := tracer.New(t)
		p := tr.Spawn("mask_unrelated")
		tr.Cont(p.Pid, 0)
		ev := tr.Wait(p.Pid)
		if !expect.Same(t, "raise(SIGINT) with SIGTRAP blocked", tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGINT), Code: raiseCode[runtime.GOOS]}, ev) {
			t.FailNow()
		}
		st, why := expect.StopSignalState(tr, ev)
		if why != "" {
			t.Logf("blocked set not checked: %s", why)
		} else if !st.Blocked.Has(syscall.SIGTRAP) {
			t.Errorf("at the SIGINT stop of pid %d the blocked set lost SIGTRAP", p.Pid)
		}
		tr.Cont(p.Pid, 0)
		expect.Same(t, "the tracee after the suppressed SIGINT", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
		tr.ExpectNoChildren(p.Pid)
	})
}

// TestTracemeRaiseUncatchable is NetBSD's traceme_raise1 (SIGKILL) and
// traceme_raise2 (SIGSTOP), the two signals TestTracemeRaise cannot
// raise: SIGKILL is never reported as a stop, the tracee just dies; a
// raised SIGSTOP is reported like any raised signal.
func TestTracemeRaiseUncatchable(t *testing.T) {
	for _, s := range []syscall.Signal{syscall.SIGKILL, syscall.SIGSTOP} {
		atfshim.RunSub(t, "traceme_raise_"+sigIdent(s), func(t *atfshim.T) {
			tr := tracer.New(t)
			p := tr.Spawn("raise_" + sigIdent(s))
			tr.Cont(p.Pid, 0)
			want := []tracer.Event{{Kind: tracer.Killed, Sig: int(s)}}
			if s == syscall.SIGSTOP {
				want = []tracer.Event{{Kind: tracer.Stopped, Sig: int(s), Code: raiseCode[runtime.GOOS]}, {Kind: tracer.Exited, Status: scenarioExit}}
			}
			got := toEnd(tr, p.Pid, nil)
			expect.Same(t, fmt.Sprintf("raise(%s) under PT_TRACE_ME", sigName(s)), want, got)
			tr.ExpectNoChildren(p.Pid)
		})
	}
}
