package lwp

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// Racy cases: known LWP races, skipped unless racy=true, each run
// racy_repeat times (see repeatRacy) so that a kernel developer can measure
// a race before and after a fix.

const (
	racyTimeout = 120 * time.Second
	racyBudget  = 90 * time.Second // repetitions started; the rest is slack
	repWait     = 10 * time.Second // one repetition's longest wait

	exitRaceLwps   = 100 // threads100
	concurrentLwps = 50  // NetBSD thread_concurrent_signals: THREAD_CONCURRENT_SIGNALS_NUM
	detachBursts   = 10
	detachBurst    = 10
)

// lwpExitKind is the event that reports a scenario LWP's exit, per kernel.
var lwpExitKind = map[string]tracer.Kind{"netbsd": tracer.LwpExit, "linux": tracer.ExitEvent}

// signalsMask is the event mask under which the scenario's LWPs are traced:
// NetBSD traces every LWP of a traced process; Linux only threads a traced
// thread creates under PTRACE_O_TRACECLONE.
var signalsMask = map[string]tracer.Mask{"netbsd": 0, "linux": tracer.MaskLwpCreate}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{
		semantics.Both("lwp_exit_vs_wait", "the event that reports a scenario LWP's exit", "lwpExitKind",
			func(k string) string { return lwpExitKind[k].On(k) + ", once per LWP" }),
		semantics.Both("thread_concurrent_signals, thread_concurrent_signals_sig_ign", "the event mask under which the scenario's LWPs are traced", "signalsMask",
			func(k string) string { return signalsMask[k].On(k) }),
	}
})

// repTracee starts one repetition: a tracer bounded by repWait and the
// scenario running under mask m.
func repTracee(r *run, scenario string, m tracer.Mask) (*tracer.Tracer, *tracer.Proc) {
	tr := tracer.New(r, tracer.WithWaitTimeout(repWait))
	return tr, spawnMasked(tr, scenario, m)
}

var _ = atfshim.Declare(TestLwpExitVsWait, atfshim.Meta{
	Descr:   "100 short LWPs exit while the tracer polls with wait4(WNOHANG): every LWP_EXIT must be reported (measured: events seen of events due)",
	Timeout: racyTimeout,
	Racy:    "LWP_EXIT lost in the race between an exiting LWP and the tracer's wait (why NetBSD skips its concurrent-LWP tests)",
})

// TestLwpExitVsWait: the tracer never blocks in wait; it polls, as a
// debugger's event loop does. Every LWP's exit event must still arrive.
func TestLwpExitVsWait(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		exitKind := kernelData(t, "LWP exit event", lwpExitKind)
		lr := rules(t)
		repeatRacy(t, racyBudget, "lost LWP_EXIT", func(r *run) {
			tr, p := repTracee(r, fmt.Sprintf("threads%d", exitRaceLwps), lwpBoth)
			deadline := time.Now().Add(repWait)
			var order []tracer.Event
			for {
				ev, ok := tr.PollUntil(-1, deadline)
				if !ok {
					r.Fatalf("no exit of the tracee within %v of polling (saw %d reports)", repWait, len(order))
				}
				order = append(order, ev)
				if ev.Terminal() {
					if ev.Pid == p.Pid {
						break
					}
					continue
				}
				tr.Cont(ev.Pid, 0)
			}
			lwps, err := parseIDs(p.Report("lwps"))
			if err != nil {
				r.Fatalf("%v", err)
			}
			mine := map[int]int{}
			for _, l := range lwps {
				mine[l] = 0
			}
			for _, ev := range order {
				id, isLwp := lr.owner(ev, p.Pid)
				if n, ok := mine[id]; ok && isLwp && ev.Kind == exitKind {
					mine[id] = n + 1
				}
			}
			seen := 0
			for l, n := range mine {
				if n > 1 {
					r.Errorf("LWP %d: %d %v events, want one", l, n, exitKind)
				}
				seen += min(n, 1)
			}
			if seen != len(lwps) {
				r.Errorf("saw %v for %d of %d LWPs", exitKind, seen, len(lwps))
			}
		})
	})
}

// concurrentRace is the race every thread_concurrent_signals* case is
// gated on.
const concurrentRace = "PR kern/54960: concurrent signals from many LWPs are lost or reported twice (NetBSD thread_concurrent_signals*, always skipped there)"

var _ = atfshim.Declare(TestThreadConcurrentSignals, atfshim.Meta{
	Descr:   "50 LWPs each send themselves SIGUSR1 at once: the tracer sees exactly one SIGUSR1 stop per LWP",
	Timeout: racyTimeout,
	Racy:    concurrentRace,
})

// TestThreadConcurrentSignals: NetBSD's thread_concurrent_signals. The
// tracer discards every SIGUSR1 (continues with 0) and counts the stops by
// the LWP that took them.
func TestThreadConcurrentSignals(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) { concurrentSignals(t, "signals", false) })
}

// concurrentDispositions are NetBSD's thread_concurrent_signals_sig_ign and
// _handler: the LWPs' signal has that disposition, and the tracer passes
// every signal back (PT_CONTINUE with it) instead of discarding it.
var concurrentDispositions = []struct {
	ident, scenario, descr string
	noRun                  string // why the case cannot run, if it cannot
}{
	{"thread_concurrent_signals_sig_ign", "signals_sigign",
		"50 LWPs each send themselves SIGUSR1, which is SIG_IGN: the tracer still sees exactly one SIGUSR1 stop per LWP, passes each back, and the ignored signal does nothing", ""},
	{"thread_concurrent_signals_handler", "",
		"50 LWPs each send themselves SIGUSR1, which has a handler: the tracer sees one stop per LWP and passes each back to the handler",
		"the scenario's LWPs are raw threads that run no Go code, and no raw signal handler exists to count the passed-back signals on them (internal/raw ThreadAwaitRaise)"},
}

func init() {
	for _, d := range concurrentDispositions {
		atfshim.DeclareSub(TestThreadConcurrentSignalsDisposition, d.ident, atfshim.Meta{Descr: d.descr, Timeout: racyTimeout, Racy: concurrentRace})
	}
}

func TestThreadConcurrentSignalsDisposition(t *testing.T) {
	for _, d := range concurrentDispositions {
		atfshim.RunSub(t, d.ident, func(t *atfshim.T) {
			if d.noRun != "" {
				t.Skip(d.noRun)
			}
			concurrentSignals(t, d.scenario, true)
		})
	}
}

// concurrentSignals runs scenario (50 LWPs that each raise SIGUSR1 once)
// and requires exactly one SIGUSR1 stop per LWP; pass: continue each with
// the signal (else with 0).
func concurrentSignals(t *atfshim.T, scenario string, pass bool) {
	m := kernelData(t, "event mask for tracing LWPs", signalsMask)
	repeatRacy(t, racyBudget, "a signal not reported exactly once per LWP", func(r *run) {
		tr, p := repTracee(r, scenario, m)
		count := map[int]int{}
		trace := tr.Follow(p.Pid, func(ev tracer.Event) tracer.Action {
			if ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGUSR1) {
				count[ev.Lwp]++
				if pass {
					tr.Cont(ev.Pid, syscall.SIGUSR1)
					return tracer.ResumeAsIs
				}
			}
			return tracer.Resume
		})
		lwps, err := parseIDs(p.Report("lwps"))
		if err != nil {
			r.Fatalf("%v", err)
		}
		bad := 0
		for _, l := range lwps {
			if count[l] != 1 {
				bad++
			}
		}
		if bad > 0 || len(lwps) != concurrentLwps {
			r.Errorf("%d of %d LWPs did not report exactly one SIGUSR1 (counts by LWP: %v)", bad, len(lwps), count)
		}
		if evs := trace.ByPid[p.Pid]; len(evs) == 0 || evs[len(evs)-1].Kind != tracer.Exited || evs[len(evs)-1].Status != scenarioExit {
			r.Errorf("the tracee did not exit %d: %v", scenarioExit, evs)
		}
	})
}

var _ = atfshim.Declare(TestLwpCreateVsDetach, atfshim.Meta{
	Descr:   "PT_DETACH at the first LWP_CREATE while the tracee keeps creating LWPs: it runs untraced to its exit with every LWP joined",
	Timeout: racyTimeout,
	Racy:    "LWP creation racing with PT_DETACH: the detached process can be left stopped or an LWP lost",
})

// TestLwpCreateVsDetach: a debugger detaching from a program that is busy
// creating threads must leave it running normally. Linux traces threads,
// so every thread already attached (each stops first) is detached too.
func TestLwpCreateVsDetach(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		repeatRacy(t, racyBudget, "detached process not run to its exit", func(r *run) {
			tr, p := repTracee(r, "bursts", lwpBoth)
			trace := tr.Follow(p.Pid, func(tracer.Event) tracer.Action { return tracer.DetachIt })
			evs := trace.ByPid[p.Pid]
			if len(evs) == 0 || tracer.Diff(tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, evs[len(evs)-1]) != "" {
				r.Fatalf("after PT_DETACH the process must run to exit %d, got %v", scenarioExit, evs)
			}
			if lwps, err := parseIDs(p.Report("lwps")); err != nil || len(lwps) != detachBursts*detachBurst {
				r.Errorf("the detached process joined %d LWPs (%v), want %d", len(lwps), err, detachBursts*detachBurst)
			}
			tr.ExpectNoChildren(p.Pid)
		})
	})
}
