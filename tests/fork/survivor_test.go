package fork

import (
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/tracer"
)

// allFour is the mask NetBSD's fork_detach_forker family sets: every
// process-creation event.
const allFour = tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone | tracer.MaskSpawn

// survivor is a case where the tracer detaches or kills one side of a fork
// at its fork report, and the other side must carry on to its own end.
type survivor struct {
	ident string
	descr string
	act   tracer.Action // DetachIt or KillIt
	who   string        // "parent" (the forker) or "child" (the forkee)
}

var survivors = []survivor{
	{"fork_detach_forker", "PT_DETACH of the forker at its fork event: the forker runs untraced to exit 5, the forkee stays traced and exits 0",
		tracer.DetachIt, "parent"},
	{"fork_detach_forkee", "PT_DETACH of the forkee at its fork report: the forkee runs untraced to exit 0 (its parent sees that), the forker stays traced and exits 5",
		tracer.DetachIt, "child"},
	{"fork_kill_forker", "PT_KILL of the forker at its fork event: the forker dies by SIGKILL, the orphaned forkee stays traced and exits 0",
		tracer.KillIt, "parent"},
	{"fork_kill_forkee", "PT_KILL of the forkee at its fork report: the forkee dies by SIGKILL, its parent's wait sees that, the forker exits 5",
		tracer.KillIt, "child"},
}

func init() {
	for _, s := range survivors {
		atfshim.DeclareSub(TestForkSurvivor, s.ident, atfshim.Meta{Descr: s.descr, Timeout: caseTimeout})
	}
}

// want: the acted-on side's log ends at the act (detach: no more reports
// unless the tracer is its real parent, which then sees its exit; kill:
// killed by SIGKILL); the other side runs to its normal exit.
func (s survivor) want(r reporting, parent, child int) (map[string][]tracer.Event, int) {
	w := r.want(allFour, parent, child)
	exited := w[s.who][len(w[s.who])-1]
	w[s.who] = w[s.who][:1]
	childStatus := 0
	switch {
	case s.act == tracer.KillIt:
		w[s.who] = append(w[s.who], tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)})
		if s.who == "child" {
			childStatus = int(syscall.SIGKILL) // wait status of death by SIGKILL
		}
	case s.who == "parent":
		// Detached, but the tracer spawned it: as its real parent the
		// test process still collects its exit.
		w[s.who] = append(w[s.who], exited)
	}
	return w, childStatus
}

// TestForkSurvivor: NetBSD's fork_detach_forker and fork_kill_forker, and
// the forkee variants NetBSD's suite lacks. A debugger detaching from or
// killing one side of a fork must not disturb the other.
func TestForkSurvivor(t *testing.T) {
	for _, s := range survivors {
		atfshim.RunSub(t, s.ident, func(t *atfshim.T) {
			tr := tracer.New(t)
			c := creation{creator: "fork", mask: allFour, on: func(ev tracer.Event, parent int) tracer.Action {
				if (ev.Pid == parent) == (s.who == "parent") {
					return s.act
				}
				return tracer.Resume
			}}
			o := c.run(t, tr)
			want, childStatus := s.want(rules(t, "fork"), o.parent, o.child)
			if d := tracer.Diff(want, o.got); d != "" {
				t.Errorf("%s: reports differ (-want +got):\n%s", s.ident, d)
			}
			if s.who == "parent" && s.act == tracer.KillIt {
				tr.ExpectNoChildren(o.parent)
				return // the forker died before it could report
			}
			o.finish(t, tr, false, childStatus)
		})
	}
}

func unrelatedMatrix() maskMatrix {
	return maskMatrix{TestUnrelatedTracerFork, "unrelated_tracer_fork",
		"fork1..16 seen by a tracer that attached and is not the tracee's parent (mask %v)"}
}

func init() { unrelatedMatrix().declare() }

// TestUnrelatedTracerFork: a debugger that attaches to a running program is
// not its parent; the kernel must report the same fork events to it.
func TestUnrelatedTracerFork(t *testing.T) {
	unrelatedMatrix().run(t, func(t *atfshim.T, m tracer.Mask) {
		creationEvents(t, tracer.New(t), creation{creator: "fork", mask: m, attach: true})
	})
}

// sigSetups are NetBSD's fork_signalmasked / fork_signalignored: SIGTRAP
// blocked or ignored in the tracee must not hide its fork events (they are
// reported as SIGTRAP stops on NetBSD), and must survive the fork in both
// processes.
var sigSetups = []struct {
	ident, setup string
	has          func(tracer.SigState) bool
}{
	{"fork_signalmasked", "_sigmasked", func(s tracer.SigState) bool { return s.Blocked.Has(syscall.SIGTRAP) }},
	{"fork_signalignored", "_sigignored", func(s tracer.SigState) bool { return s.Ignored.Has(syscall.SIGTRAP) }},
}

func init() {
	for _, s := range sigSetups {
		atfshim.DeclareSub(TestForkSignalState, s.ident, atfshim.Meta{
			Descr:   "fork with SIGTRAP " + s.setup[4:] + ": events still reported, and the signal state preserved in parent and child",
			Timeout: caseTimeout,
		})
	}
}

func TestForkSignalState(t *testing.T) {
	for _, s := range sigSetups {
		atfshim.RunSub(t, s.ident, func(t *atfshim.T) {
			tr := tracer.New(t)
			checked := map[string]bool{}
			c := creation{creator: "fork", setup: s.setup, mask: tracer.MaskFork,
				on: func(ev tracer.Event, parent int) tracer.Action {
					role := "child"
					if ev.Pid == parent {
						role = "parent"
					}
					if !checked[role] {
						checked[role] = true
						if st := tr.SignalState(ev.Pid); !s.has(st) {
							t.Errorf("%s at its first fork report: SIGTRAP %s lost (blocked %#x, ignored %#x)",
								role, s.setup[4:], uint64(st.Blocked), uint64(st.Ignored))
						}
					}
					return tracer.Resume
				}}
			creationEvents(t, tr, c)
			for _, role := range []string{"parent", "child"} {
				if !checked[role] {
					t.Errorf("the %s never stopped, so its signal state could not be checked", role)
				}
			}
		})
	}
}
