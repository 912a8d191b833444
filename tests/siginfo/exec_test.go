package siginfo

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// execStop is how each kernel reports a traced execve: NetBSD SIGTRAP with
// TRAP_EXEC (always); Linux PTRACE_EVENT_EXEC, with PTRACE_O_TRACEEXEC set
// (its legacy post-exec SIGTRAP is an ordinary signal that a blocked
// SIGTRAP would hold back, so the event is the analog of TRAP_EXEC).
var execStop = map[string]tracer.Event{
	"netbsd": {Kind: tracer.Exec},
	"linux":  {Kind: tracer.Exec},
}

// execIgnoreSet is the ignore set the kernel must show at the exec stop of
// a process that had ignore set ign and caught the signals caught: execve
// keeps SIG_IGN and turns every handler into SIG_DFL, and each kernel
// lists its ignore set its own way. Linux (fs/exec.c
// flush_signal_handlers; /proc SigIgn lists SIG_IGN only): ign. NetBSD
// (sys/kern/kern_sig.c execsigs; p_sigignore also holds SIG_DFL signals
// whose default is to ignore them, sigprop SA_IGNORE without SA_CONT):
// ign plus the caught SIGURG (16), SIGCHLD (20), SIGIO (23), SIGWINCH
// (28), SIGINFO (29) and SIGPWR (32), NetBSD's numbers.
var execIgnoreSet = map[string]func(ign, caught tracer.SigSet) tracer.SigSet{
	"linux":  func(ign, _ tracer.SigSet) tracer.SigSet { return ign },
	"netbsd": func(ign, caught tracer.SigSet) tracer.SigSet { return ign | caught&netbsdDefaultIgnore },
}

const netbsdDefaultIgnore tracer.SigSet = 1<<(16-1) | 1<<(20-1) | 1<<(23-1) | 1<<(28-1) | 1<<(29-1) | 1<<(32-1)

var _ = semantics.Add(func() []semantics.Row {
	var cases []string
	for _, c := range execCases {
		cases = append(cases, c.ident)
	}
	// With nothing ignored and every signal caught, the ignore set at the
	// exec stop is what the kernel adds to SIG_IGN.
	added := func(k string) string {
		set := execIgnoreSet[k](0, ^tracer.SigSet(0))
		if set == 0 {
			return "exactly the SIG_IGN signals (execve keeps SIG_IGN, turns handlers into SIG_DFL)"
		}
		var n []string
		for sig := 1; sig <= 64; sig++ {
			if set&(1<<(sig-1)) != 0 {
				n = append(n, strconv.Itoa(sig))
			}
		}
		return "the SIG_IGN signals, plus the caught signals among " + strings.Join(n, ", ") + " (this kernel's numbers): execve makes them SIG_DFL, whose action for them is to ignore"
	}
	return []semantics.Row{
		semantics.Both(strings.Join(cases, ", "), "the stop a traced execve reports", "execStop",
			func(k string) string { return execStop[k].On(k) }),
		semantics.Both(strings.Join(cases, ", "), "the ignore set at the exec stop", "execIgnoreSet", added),
	}
})

var execCases = []struct{ ident, setup, descr string }{
	{"traceme_exec", "", "execve after PT_TRACE_ME stops the tracee with SIGTRAP/TRAP_EXEC (Linux PTRACE_EVENT_EXEC); it then runs to exit 0"},
	{"traceme_signalmasked_exec", "_masked", "the exec trap is reported with SIGTRAP blocked, and the mask survives the exec"},
	{"traceme_signalignored_exec", "_ignored", "the exec trap is reported with SIGTRAP ignored, and SIG_IGN survives the exec"},
}

func init() {
	for _, c := range execCases {
		atfshim.DeclareSub(TestTracemeExec, c.ident, atfshim.Meta{Descr: c.descr, Timeout: caseTimeout})
	}
}

// TestTracemeExec is NetBSD's traceme_exec, traceme_signalmasked_exec and
// traceme_signalignored_exec. The scenario is traced from its own exec and
// execs /bin/echo; the exec must be reported whatever it did to SIGTRAP,
// and a blocked or ignored SIGTRAP stays so in the new image (execve keeps
// the mask and SIG_IGN).
func TestTracemeExec(t *testing.T) {
	for _, c := range execCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			want, ok := execStop[runtime.GOOS]
			if _, rule := execIgnoreSet[runtime.GOOS]; !ok || !rule {
				t.Fatalf("no exec report written down for %s", runtime.GOOS)
			}
			tr := tracer.New(t)
			p := tr.Spawn("exec" + c.setup)
			// The state the scenario set up, at its ready stop and again
			// at the exec stop: execve keeps the mask and SIG_IGN and
			// resets handlers to SIG_DFL (execIgnoreSet).
			setup, _ := readyState(t, tr, p, c.ident, syscall.SIGTRAP, c.setup)
			tr.TraceExec(p.Pid)
			tr.Cont(p.Pid, 0)
			ev := tr.Wait(p.Pid)
			if !expect.Same(t, "execve of "+execPath+" by a traced process", want, ev) {
				t.FailNow()
			}
			afterExec := setup
			afterExec.Ignored = execIgnoreSet[runtime.GOOS](setup.Ignored, expect.ReportedMask(t, p, "sigcaught"))
			expect.CheckStopState(t, tr, c.ident, "", ev, afterExec)
			tr.Cont(p.Pid, 0)
			expect.Same(t, execPath+" must run to exit 0 after the exec trap", tracer.Event{Kind: tracer.Exited}, tr.Wait(p.Pid))
		})
	}
}

// vforkExecStop is the stop the vforker, tracer of its vforked child that
// called PT_TRACE_ME, sees when that child execs (the exec releases the
// vforker, which can then wait), per kernel and SIGTRAP setup; nil: no
// stop, the exec'd child runs to exit 0. NetBSD: SIGTRAP/TRAP_EXEC
// whatever SIGTRAP's state (the exec trap is not a queued signal). Linux:
// the child cannot have PTRACE_O_TRACEEXEC set (it execs before its
// tracer can see it), so the exec posts the legacy SIGTRAP (SI_USER), an
// ordinary signal: a traced process's ignored signal is still reported,
// but a blocked one is never delivered.
var vforkExecStop = map[string]map[string]*vforkStop{
	"netbsd": {"": trapExec, "_masked": trapExec, "_ignored": trapExec},
	"linux":  {"": legacyTrap, "_masked": nil, "_ignored": legacyTrap},
}

type vforkStop struct{ sig, code int }

var (
	trapExec   = &vforkStop{int(syscall.SIGTRAP), nbabi.TRAP_EXEC}
	legacyTrap = &vforkStop{int(syscall.SIGTRAP), expect.SIUser}
)

var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	for _, c := range execCases {
		rows = append(rows, semantics.Both(vforkExecIdent(c.ident), "a vforked child's exec after PT_TRACE_ME, seen by its vforker"+
			map[string]string{"": "", "_masked": " (SIGTRAP blocked)", "_ignored": " (SIGTRAP ignored)"}[c.setup],
			"vforkExecStop", func(k string) string {
				s := vforkExecStop[k][c.setup]
				if s == nil {
					return "no stop: the exec'd child runs to exit 0"
				}
				return fmt.Sprintf("a %s stop, si_code %s; the mask and ignore set as for traceme_exec", tracer.SignalName(s.sig), tracer.CodeNameOn(k, s.sig, s.code))
			}))
	}
	return rows
})

// vforkExecIdent is NetBSD's name of the vfork form of an exec case.
func vforkExecIdent(ident string) string {
	return strings.Replace(ident, "traceme_", "traceme_vfork_", 1)
}

func init() {
	for _, c := range execCases {
		atfshim.DeclareSub(TestTracemeVforkExec, vforkExecIdent(c.ident), atfshim.Meta{
			Descr:   "execve in a vforked child after PT_TRACE_ME" + map[string]string{"": "", "_masked": ", SIGTRAP blocked", "_ignored": ", SIGTRAP ignored"}[c.setup] + ": the vforker, its tracer, sees the exec stop (per kernel), with the child's mask and ignore set kept across the exec",
			Timeout: caseTimeout,
		})
	}
}

// TestTracemeVforkExec is NetBSD's traceme_vfork_exec,
// traceme_vfork_signalmasked_exec and traceme_vfork_signalignored_exec.
// The scenario, untraced, is the child's tracer: it reports what its wait
// and PT_GET_SIGINFO saw, and this test reads the stopped child's signal
// state, which must be what the scenario set up, as execve keeps it
// (execIgnoreSet).
func TestTracemeVforkExec(t *testing.T) {
	for _, c := range execCases {
		atfshim.RunSub(t, vforkExecIdent(c.ident), func(t *atfshim.T) {
			rules, ok := vforkExecStop[runtime.GOOS]
			if _, rule := execIgnoreSet[runtime.GOOS]; !ok || !rule {
				t.Fatalf("no vfork exec report written down for %s", runtime.GOOS)
			}
			want := rules[c.setup]
			tr := tracer.New(t)
			p := tr.Start("vfork_exec_traceme" + c.setup)
			setup := expect.ReportedSignalState(t, p, "sigstate")
			if c.setup != "" {
				setup = reportedSetup(t, p, syscall.SIGTRAP, c.setup)
			}
			p.Report("awaiting_go")
			p.Go()
			child := p.ReportInt("child")
			tr.Adopt(child, "the scenario's vforked child")
			st := syscall.WaitStatus(p.ReportInt("stop_status"))
			if want == nil {
				if !st.Exited() || st.ExitStatus() != 0 {
					t.Errorf("the vforked child's exec after PT_TRACE_ME with SIGTRAP blocked: its tracer's wait gave status %#x, want exit 0 (no stop: the post-exec SIGTRAP stays blocked)", int(st))
				}
			} else {
				if !st.Stopped() || int(st.StopSignal()) != want.sig {
					t.Fatalf("the vforked child's exec after PT_TRACE_ME: its tracer's wait gave status %#x, want stopped by %s", int(st), tracer.SignalName(want.sig))
				}
				signo, code := p.ReportInt("stop_signo"), p.ReportInt("stop_code")
				if signo != want.sig || code != want.code {
					t.Errorf("the vforked child's exec stop: PT_GET_SIGINFO gives %s/%s, want %s/%s", tracer.SignalName(signo), tracer.CodeNameOn(runtime.GOOS, signo, code),
						tracer.SignalName(want.sig), tracer.CodeNameOn(runtime.GOOS, want.sig, want.code))
				}
				got := tr.SignalState(child)
				afterExec := setup
				afterExec.Ignored = execIgnoreSet[runtime.GOOS](setup.Ignored, expect.ReportedMask(t, p, "sigcaught"))
				if got.Blocked != afterExec.Blocked {
					t.Errorf("at the exec stop of the vfork child %d the blocked set is %#x, want %#x (execve keeps the mask)", child, uint64(got.Blocked), uint64(afterExec.Blocked))
				}
				if got.Ignored != afterExec.Ignored {
					t.Errorf("at the exec stop of the vfork child %d the ignore set is %#x, want %#x (execve keeps SIG_IGN)", child, uint64(got.Ignored), uint64(afterExec.Ignored))
				}
				p.Go()
				if cs := syscall.WaitStatus(p.ReportInt("child_status")); !cs.Exited() || cs.ExitStatus() != 0 {
					t.Errorf("%s continued after its exec stop: status %#x, want exit 0", execPath, int(cs))
				}
			}
			expect.Same(t, fmt.Sprintf("the vforker must exit %d", scenarioExit), tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
		})
	}
}
