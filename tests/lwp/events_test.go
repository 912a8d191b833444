package lwp

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

const caseTimeout = 30 * time.Second

const lwpBoth = tracer.MaskLwpCreate | tracer.MaskLwpExit

// stopInfo is the signal and si_code of an event's stop.
type stopInfo struct{ signo, code int }

// lwpRules is how one kernel reports the LWPs of a traced process: the
// contract this area pins down, written as data per kernel.
type lwpRules struct {
	// perLwp is everything the tracer learns about one scenario LWP under
	// mask m, in order: the create event names the LWP in Other.
	perLwp func(m tracer.Mask, lwp int) []tracer.Event
	// process is the process's own log (its main thread) under mask m.
	process func(m tracer.Mask) []tracer.Event
	// runtimeTraced: the Go runtime's own LWPs are traced as well, and
	// their events (LWP ids the scenario did not report) are ignored.
	// Otherwise an event about any other LWP is a failure.
	runtimeTraced bool
	// stops are the signal and si_code of each LWP event's stop.
	stops map[tracer.Kind]stopInfo
	// createOnCreator: the create event is a report of the creating
	// thread, unordered with the new LWP's own reports, and belongs to the
	// process's log (in creation order); perLwp then omits it.
	createOnCreator bool
	// create is the create event naming lwp (for the process's log).
	create func(lwp int) tracer.Event
	// exitRace is the race of the kernels whose LWP_EXIT reports race
	// with each other: cases under an LWP_EXIT mask are gated on it.
	exitRace expect.RaceBefore
	// traced says whether the scenario's LWPs are traced under mask m;
	// when they are not, no report may name one of them.
	traced func(m tracer.Mask) bool
	// describe is what a trace_thread_* case proves on this kernel: n
	// LWPs under mask m, SIGTRAP blocked or not (how).
	describe func(n int, m tracer.Mask, how string) string
}

// gateExit applies exitRace to a case under mask m (SIGTRAP blocked or
// not: on 8.99.25 both lost LWP_EXIT reports in some runs, not all).
func (r lwpRules) gateExit(t *atfshim.T, m tracer.Mask) {
	t.Helper()
	if m&tracer.MaskLwpExit != 0 {
		r.exitRace.Gate(t)
	}
}

// Linux ptrace event stops are SIGTRAP with si_code SIGTRAP|event<<8
// (kernel/ptrace.c ptrace_event → ptrace_notify(SIGTRAP | event<<8));
// PTRACE_EVENT_CLONE is 3, PTRACE_EVENT_EXIT 6.
const (
	linuxCloneCode = int(syscall.SIGTRAP) | 3<<8
	linuxExitCode  = int(syscall.SIGTRAP) | 6<<8
)

var kernelLwps = map[string]lwpRules{
	// NetBSD traces the process: PTRACE_LWP_CREATE / PTRACE_LWP_EXIT stop
	// it with SIGTRAP, si_code TRAP_LWP, and PT_GET_PROCESS_STATE names
	// the LWP in pe_lwp (kern_lwp.c, eventswitch(TRAP_LWP, ...)).
	"netbsd": {
		perLwp: func(m tracer.Mask, lwp int) []tracer.Event {
			var l []tracer.Event
			if m&tracer.MaskLwpCreate != 0 {
				l = append(l, tracer.Event{Kind: tracer.LwpCreate, Other: lwp})
			}
			if m&tracer.MaskLwpExit != 0 {
				l = append(l, tracer.Event{Kind: tracer.LwpExit, Other: lwp})
			}
			return l
		},
		process:       func(tracer.Mask) []tracer.Event { return []tracer.Event{{Kind: tracer.Exited, Status: scenarioExit}} },
		runtimeTraced: true,
		stops: map[tracer.Kind]stopInfo{
			tracer.LwpCreate: {int(syscall.SIGTRAP), nbabi.TRAP_LWP},
			tracer.LwpExit:   {int(syscall.SIGTRAP), nbabi.TRAP_LWP},
		},
		exitRace: expect.RaceBefore{Fix: nbabi.FixLwpEventStops,
			Race: "exiting LWPs share p_lwp_exited and one queued SIGTRAP: LWP_EXIT reports are lost, or the process hangs"},
		traced: func(tracer.Mask) bool { return true },
		describe: func(n int, m tracer.Mask, how string) string {
			return fmt.Sprintf("%d LWPs of the tracee's own under event mask %v, SIGTRAP %s: exactly one create and one exit event per LWP iff the mask says so, create first, as SIGTRAP with the kernel's LWP si_code",
				n, m, how)
		},
	},
	// Linux traces threads. PTRACE_O_TRACECLONE reports the clone on the
	// creating thread (PTRACE_EVENT_CLONE, the new tid in the event
	// message; the process's log, in creation order) and attaches the new
	// thread, which starts with a SIGSTOP
	// and is waited for on its own tid until it exits. PTRACE_O_TRACEEXIT
	// stops each traced thread (PTRACE_EVENT_EXIT, its wait status in the
	// message) before it exits, the main thread included; without
	// TRACECLONE the scenario's threads are not traced at all, so LWP_EXIT
	// alone reports nothing about them.
	"linux": {
		perLwp: func(m tracer.Mask, lwp int) []tracer.Event {
			if m&tracer.MaskLwpCreate == 0 {
				return nil
			}
			l := []tracer.Event{{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: siUser}}
			if m&tracer.MaskLwpExit != 0 {
				l = append(l, tracer.Event{Kind: tracer.ExitEvent, Status: scenarioExit << 8})
			}
			return append(l, tracer.Event{Kind: tracer.Exited, Status: scenarioExit})
		},
		process: func(m tracer.Mask) []tracer.Event {
			var l []tracer.Event
			if m&tracer.MaskLwpExit != 0 {
				l = append(l, tracer.Event{Kind: tracer.ExitEvent, Status: scenarioExit << 8})
			}
			return append(l, tracer.Event{Kind: tracer.Exited, Status: scenarioExit})
		},
		stops: map[tracer.Kind]stopInfo{
			tracer.Clone:     {int(syscall.SIGTRAP), linuxCloneCode},
			tracer.ExitEvent: {int(syscall.SIGTRAP), linuxExitCode},
		},
		// ptrace(2): the new thread's first stop may be reported before
		// the creator's PTRACE_EVENT_CLONE stop (and, once resumed, its
		// exit too): reports of different tids are not ordered.
		createOnCreator: true,
		create:          func(lwp int) tracer.Event { return tracer.Event{Kind: tracer.Clone, Other: lwp} },
		traced:          func(m tracer.Mask) bool { return m&tracer.MaskLwpCreate != 0 },
		describe:        linuxThreadDescr,
	},
}

// docLwp is the docs/SEMANTICS.md pid of an LWP a scenario made.
const docLwp = -1

// evWords is a log in kernel's words for docs/SEMANTICS.md.
func evWords(kernel string, evs []tracer.Event) string {
	if len(evs) == 0 {
		return "no report"
	}
	var s []string
	for _, ev := range evs {
		w := ev.On(kernel)
		if ev.Other == docLwp {
			w += " naming the LWP"
		}
		s = append(s, w)
	}
	return strings.Join(s, ", then ")
}

var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	for _, em := range eventMasks {
		cases := "trace_thread_" + em.name + "_[masked_sigtrap_]{1,2,10,100}"
		rows = append(rows, semantics.Both(cases, "the LWPs a traced process creates and ends, under the event mask "+em.mask.String(), "kernelLwps",
			func(k string) string {
				r, m := kernelLwps[k], em.mask
				var s []string
				if r.traced(m) {
					s = append(s, "each LWP: "+evWords(k, r.perLwp(m, docLwp)))
					if r.createOnCreator && m&tracer.MaskLwpCreate != 0 {
						s = append(s, "the creating thread: "+evWords(k, []tracer.Event{r.create(docLwp)})+", one per LWP in creation order, unordered with the LWP's own reports")
					}
				} else {
					s = append(s, "the LWPs are not traced: no report names one")
				}
				s = append(s, "the process (its main thread): "+evWords(k, r.process(m)))
				if t := r.exitRace.Text(); t != "" && m&tracer.MaskLwpExit != 0 {
					s = append(s, t)
				}
				return em.mask.On(k) + ": " + strings.Join(s, "\n")
			}))
	}
	return append(rows,
		semantics.Both("trace_thread_*, threads_and_exec", "the stop of each LWP event", "kernelLwps[kernel].stops", func(k string) string {
			var s []string
			for kind := tracer.Fork; kind <= tracer.ExitEvent; kind++ {
				if st, ok := kernelLwps[k].stops[kind]; ok {
					s = append(s, kind.On(k)+": "+tracer.SignalName(st.signo)+" stop, si_code "+tracer.CodeNameOn(k, st.signo, st.code))
				}
			}
			return strings.Join(s, "; ")
		}),
		semantics.Both("trace_thread_*", "the Go runtime's own LWPs", "kernelLwps[kernel].runtimeTraced", func(k string) string {
			if kernelLwps[k].runtimeTraced {
				return "traced too (the kernel traces the whole process): events about LWPs the scenario did not report are ignored"
			}
			return "never traced: a report about any thread the scenario did not make is a failure"
		}),
	)
})

// linuxThreadDescr says what a trace_thread_* case proves on Linux, where
// the LWP_CREATE bit is PTRACE_O_TRACECLONE and LWP_EXIT is
// PTRACE_O_TRACEEXIT.
func linuxThreadDescr(n int, m tracer.Mask, how string) string {
	head := fmt.Sprintf("%d raw threads, SIGTRAP %s, ", n, how)
	if n == 1 {
		head = fmt.Sprintf("1 raw thread, SIGTRAP %s, ", how)
	}
	exit := "the main thread's PTRACE_EVENT_EXIT (status 5<<8) before the process exits 5"
	switch m {
	case 0:
		return head + "no ptrace option: no report names a thread's tid; the process exits 5"
	case tracer.MaskLwpCreate:
		return head + "PTRACE_O_TRACECLONE: one PTRACE_EVENT_CLONE (SIGTRAP|3<<8) per thread on the creator, naming its tid, in creation order; on the thread's own tid its attach SIGSTOP and its exit 5"
	case tracer.MaskLwpExit:
		return head + "PTRACE_O_TRACEEXIT alone: without TRACECLONE the threads are not traced, so no report names any of their tids; only " + exit
	}
	return head + "PTRACE_O_TRACECLONE|PTRACE_O_TRACEEXIT: per thread one PTRACE_EVENT_CLONE on the creator naming its tid, then on its own tid its attach SIGSTOP, exactly one PTRACE_EVENT_EXIT (SIGTRAP|6<<8, status 5<<8) and its exit 5; and " + exit
}

const siUser = 0 // SI_USER on both kernels

func kernelData[V any](t *atfshim.T, what string, m map[string]V) V {
	v, ok := m[runtime.GOOS]
	if !ok {
		t.Fatalf("no %s written down for %s", what, runtime.GOOS)
	}
	return v
}

func rules(t *atfshim.T) lwpRules { return kernelData(t, "LWP expectations", kernelLwps) }

// spawnMasked spawns a scenario, sets mask at its ready point and resumes it.
func spawnMasked(tr *tracer.Tracer, scenario string, m tracer.Mask) *tracer.Proc {
	p := tr.Spawn(scenario)
	tr.SetEventMask(p.Pid, m)
	tr.Cont(p.Pid, 0)
	return p
}

// owner is the LWP an event is about: the one a create or exit event names
// (on kernels whose create event goes with the new LWP), else the thread
// that stopped (Linux reports each traced thread on its own tid; NetBSD
// reports everything on the process). lwp is false for the process itself:
// NetBSD's LWP ids are per process and can equal the process's pid.
func (r lwpRules) owner(ev tracer.Event, root int) (id int, lwp bool) {
	switch ev.Kind {
	case tracer.LwpCreate, tracer.LwpExit:
		return ev.Other, true
	case tracer.Clone:
		if !r.createOnCreator {
			return ev.Other, true
		}
	}
	return ev.Pid, ev.Pid != root
}

// byLwp sorts a trace into the process's own log and one log per scenario
// LWP; events about other LWPs are dropped when the runtime's LWPs are
// traced, and kept under "unexpected LWP" otherwise.
func byLwp(r lwpRules, order []tracer.Event, root int, lwps []int) map[string][]tracer.Event {
	name := map[int]string{}
	for i, l := range lwps {
		name[l] = lwpKey(i, l)
	}
	got := map[string][]tracer.Event{}
	for _, ev := range order {
		id, isLwp := r.owner(ev, root)
		who, ok := "process", true
		if isLwp {
			who, ok = name[id]
		}
		if !ok {
			if r.runtimeTraced {
				continue
			}
			who = fmt.Sprintf("unexpected LWP %d", id)
		}
		got[who] = append(got[who], ev)
	}
	return got
}

// lwpKey names the log of the i-th scenario LWP.
func lwpKey(i, lwp int) string { return fmt.Sprintf("lwp #%d (id %d)", i+1, lwp) }

func (r lwpRules) want(m tracer.Mask, root int, lwps []int) map[string][]tracer.Event {
	var proc []tracer.Event
	if r.createOnCreator && m&tracer.MaskLwpCreate != 0 {
		for _, l := range lwps {
			proc = append(proc, r.create(l))
		}
	}
	w := map[string][]tracer.Event{"process": append(proc, r.process(m)...)}
	for i, l := range lwps {
		if evs := r.perLwp(m, l); len(evs) > 0 {
			w[lwpKey(i, l)] = evs
		}
	}
	return w
}

// checkStops: every LWP event of the scenario's LWPs is the stop the
// kernel promises (SIGTRAP with its si_code).
func (r lwpRules) checkStops(t *atfshim.T, order []tracer.Event, lwps []int) {
	mine := map[int]bool{}
	for _, l := range lwps {
		mine[l] = true
	}
	for _, ev := range order {
		want, ok := r.stops[ev.Kind]
		if !ok || (!mine[ev.Other] && !mine[ev.Pid]) {
			continue
		}
		signo, code, ok := ev.StopSiginfo()
		if !ok || signo != want.signo || code != want.code {
			t.Errorf("%v: stop must be %s with si_code %#x, got signal %d si_code %#x (siginfo read: %v)",
				ev, tracer.SignalName(want.signo), want.code, signo, code, ok)
		}
	}
}

// checkUntraced: under a mask that leaves the scenario's LWPs untraced,
// no report may be about one of them (by the LWP ids the scenario
// reported: the Go runtime's own threads are not the case's business).
func (r lwpRules) checkUntraced(t *atfshim.T, c threadCase, run lwpRun) {
	t.Helper()
	mine := map[int]bool{}
	for _, l := range run.lwps {
		mine[l] = true
	}
	for _, ev := range run.trace.Order {
		if id, isLwp := r.owner(ev, run.root); isLwp && mine[id] {
			t.Errorf("%d LWPs under event mask %v, which does not trace them: the kernel reported %v of scenario LWP %d", c.n, c.mask, ev, id)
			return
		}
		if ev.Creates() && mine[ev.Other] {
			t.Errorf("%d LWPs under event mask %v, which does not trace them: the kernel reported %v naming scenario LWP %d", c.n, c.mask, ev, ev.Other)
			return
		}
	}
}

// eventMasks are NetBSD's trace_thread_nolwpevents, _lwpcreate, _lwpexit
// and _lwpcreate_and_exit.
var eventMasks = []struct {
	name string
	mask tracer.Mask
}{
	{"nolwpevents", 0},
	{"lwpcreate", tracer.MaskLwpCreate},
	{"lwpexit", tracer.MaskLwpExit},
	{"lwpcreate_and_exit", lwpBoth},
}

type threadCase struct {
	ident    string
	n        int
	mask     tracer.Mask
	masked   bool
	scenario string
}

func threadCases() []threadCase {
	var cs []threadCase
	for _, masked := range []bool{false, true} {
		for _, em := range eventMasks {
			for _, n := range threadCounts {
				c := threadCase{n: n, mask: em.mask, masked: masked, scenario: fmt.Sprintf("threads%d", n)}
				c.ident = "trace_thread_" + em.name
				if masked {
					c.ident += "_masked_sigtrap"
					c.scenario += "_sigmasked"
				}
				c.ident += fmt.Sprintf("_%d", n)
				cs = append(cs, c)
			}
		}
	}
	return cs
}

func init() {
	for _, c := range threadCases() {
		how := "not blocked"
		if c.masked {
			how = "blocked"
		}
		descr := fmt.Sprintf("%d LWPs under event mask %v, SIGTRAP %s: no LWP expectations written down for %s", c.n, c.mask, how, runtime.GOOS)
		if r, ok := kernelLwps[runtime.GOOS]; ok {
			descr = r.describe(c.n, c.mask, how)
		}
		atfshim.DeclareSub(TestTraceThread, c.ident, atfshim.Meta{Descr: descr, Timeout: caseTimeout})
	}
}

// lwpRun is one traced run of a scenario that reports its LWPs as "lwps".
type lwpRun struct {
	root  int
	lwps  []int
	trace tracer.Trace
}

func runLwps(t *atfshim.T, tr *tracer.Tracer, scenario string, m tracer.Mask, on func(tracer.Event) tracer.Action) lwpRun {
	p := spawnMasked(tr, scenario, m)
	run := lwpRun{root: p.Pid}
	run.trace = tr.Follow(p.Pid, on)
	lwps, err := parseIDs(p.Report("lwps"))
	if err != nil {
		t.Fatalf("tracee %s: %v", scenario, err)
	}
	run.lwps = lwps
	return run
}

// TestTraceThread: NetBSD's trace_thread_* for 1, 2, 10 and 100 LWPs, with
// SIGTRAP unblocked and blocked. A debugger follows threads through these
// events; blocking SIGTRAP in the tracee must not hide them.
func TestTraceThread(t *testing.T) {
	for _, c := range threadCases() {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			r := rules(t)
			r.gateExit(t, c.mask)
			tr := tracer.New(t)
			run := runLwps(t, tr, c.scenario, c.mask, nil)
			if len(run.lwps) != c.n {
				t.Fatalf("the scenario reported %d LWPs, want %d", len(run.lwps), c.n)
			}
			if !r.traced(c.mask) {
				r.checkUntraced(t, c, run)
			}
			got := byLwp(r, run.trace.Order, run.root, run.lwps)
			if line, full := expect.RoleDiff(r.want(c.mask, run.root, run.lwps), got); line != "" {
				t.Logf("reports by LWP (-want +got):\n%s", full)
				t.Errorf("%d LWPs under event mask %v break the kernel's LWP contract: %s", c.n, c.mask, line)
			}
			r.checkStops(t, run.trace.Order, run.lwps)
			tr.ExpectNoChildren(run.root)
		})
	}
}
