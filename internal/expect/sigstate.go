package expect

import (
	"fmt"
	"syscall"

	"ptracesuite/atfshim"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// SigSetup is one of NetBSD's *_signalmasked / *_signalignored variants:
// the tracee's SIGTRAP state before it creates its child. Events are
// reported as SIGTRAP stops on NetBSD, so a kernel that honoured the mask or
// the ignore set would hide them.
type SigSetup struct {
	Suffix string // scenario suffix: "_sigmasked" or "_sigignored"
	What   string // "masked" or "ignored"
	Setup  func(c *tracee.Ctx)
	Has    func(tracer.SigState) bool
}

// SigSetups are the two SIGTRAP setups, in NetBSD's order.
var SigSetups = []SigSetup{
	{"_sigmasked", "masked",
		func(c *tracee.Ctx) { c.Check("block SIGTRAP", raw.BlockSignal(int(syscall.SIGTRAP))) },
		func(s tracer.SigState) bool { return s.Blocked.Has(syscall.SIGTRAP) }},
	{"_sigignored", "ignored",
		func(c *tracee.Ctx) { c.Check("ignore SIGTRAP", raw.IgnoreSignal(int(syscall.SIGTRAP))) },
		func(s tracer.SigState) bool { return s.Ignored.Has(syscall.SIGTRAP) }},
}

// SignalState runs c (whose Scenario carries s.Suffix) and holds the
// signal state of its processes at every stop against what the scenario
// set up, in full, as it reported it: at the parent's ready stop its
// blocked and ignore sets (SIGTRAP blocked or ignored, and whatever else
// it has); at the parent's later stops, which all fall inside the
// creating call (its event stops; a passed signal never reaches On), and
// at the child's, which starts with the creating thread's mask, the
// blocked set of that call (every signal, raw.CreatingMask) and the same
// ignore set; the child's reports from an exec'd image (r.ThenInImage)
// hold the set-up state again. It then runs the core event assertions of Events. Every
// process the contract says stops must have been checked.
func (s SigSetup) SignalState(t *atfshim.T, tr *tracer.Tracer, c Creation, r Reporting) {
	t.Helper()
	what := fmt.Sprintf("%s with SIGTRAP %s", c.what(), s.What)
	var setup tracer.SigState
	var creating tracer.SigSet
	c.Started = func(p *tracer.Proc, pid int) {
		setup = ReportedSignalState(t, p, "sigstate")
		creating = ReportedMask(t, p, "sigmask_creating")
		if !s.Has(setup) {
			t.Fatalf("%s: the scenario reports SIGTRAP not %s after its set-up (blocked %#x, ignored %#x)",
				what, s.What, uint64(setup.Blocked), uint64(setup.Ignored))
		}
		t.Logf("%s: the scenario set up blocked %#x, ignored %#x; blocked inside the creating call %#x",
			what, uint64(setup.Blocked), uint64(setup.Ignored), uint64(creating))
		ready := tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Pid: pid, Lwp: p.ReportInt("sigstate_lwp")}
		CheckStopState(t, tr, what, "ready SIGSTOP", ready, setup)
	}
	checked := map[string]bool{}
	seen := map[int]int{}
	c.On = func(ev tracer.Event, parent int) tracer.Action {
		role := "child"
		if ev.Pid == parent {
			role = "parent"
		}
		checked[role] = true
		seen[ev.Pid]++
		want := tracer.SigState{Blocked: creating, Ignored: setup.Ignored}
		if role == "child" && seen[ev.Pid] > 1 && r.ThenInImage {
			want.Blocked = setup.Blocked // the exec'd image's
		}
		CheckStopState(t, tr, what, "", ev, want)
		return tracer.Resume
	}
	Events(t, tr, c, r)
	for role, log := range r.Want(c.Mask, 0, 0) {
		if len(log) > 1 && !checked[role] {
			t.Errorf("the %s never stopped, so its signal state could not be checked", role)
		}
	}
}
