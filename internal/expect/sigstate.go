package expect

import (
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

// SignalState runs c (whose Scenario carries s.Suffix) and checks at every
// process's first stop that SIGTRAP is still blocked or ignored, then runs
// the core event assertions of Events. Every process the contract says
// stops must have been checked.
func (s SigSetup) SignalState(t *atfshim.T, tr *tracer.Tracer, c Creation, r Reporting) {
	t.Helper()
	checked := map[string]bool{}
	c.On = func(ev tracer.Event, parent int) tracer.Action {
		role := "child"
		if ev.Pid == parent {
			role = "parent"
		}
		if !checked[role] {
			checked[role] = true
			if st := tr.SignalState(ev.Pid); !s.Has(st) {
				t.Errorf("%s at its first report: SIGTRAP %s lost (blocked %#x, ignored %#x)",
					role, s.What, uint64(st.Blocked), uint64(st.Ignored))
			}
		}
		return tracer.Resume
	}
	Events(t, tr, c, r)
	for role, log := range r.Want(c.Mask, 0, 0) {
		if len(log) > 1 && !checked[role] {
			t.Errorf("the %s never stopped, so its signal state could not be checked", role)
		}
	}
}
