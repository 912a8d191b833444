package expect

import (
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

// Survivor is a case where the tracer detaches or kills one side of a
// creation at one of its reports, and the other side must carry on to its
// own end.
type Survivor struct {
	Ident string
	Descr string
	Act   tracer.Action // DetachIt or KillIt
	Who   string        // "parent" (the creator) or "child" (the new process)
	// At is the report of Who at which the tracer acts: 0 for its first
	// report (the creation event, or the child's first stop), or a kind
	// such as VforkDone.
	At tracer.Kind
	// Fixes are the kernel fixes the case checks (NetBSD): on a kernel
	// that predates one of them the case is an expected failure naming it.
	Fixes []nbabi.Feature
	// Race, when set, is a kernel race of the revisions before its fix:
	// there the case runs only with racy=true (the bug shows in some runs
	// only, so an expected failure would be a coin toss).
	Race RaceBefore
	// Needs are the features without which the case cannot be stated
	// (NetBSD): on a kernel that lacks one the case skips naming it.
	Needs []nbabi.Feature
}

// TracerKind is who traces the creator in a survivor case.
type TracerKind struct {
	Prefix string // of the case name: "" or "unrelated_tracer_"
	// Attach: the tracer is not the creator's parent; it PT_ATTACHed to
	// the running creator, whose parent is a launcher (Creation.Attach).
	Attach bool
	Descr  string // appended to the case's description
}

// TracerKinds multiply every survivor family, as NetBSD's suite does for
// its *_detach_* / *_kill_* cases: the tracer spawned the creator (its
// parent), or attached to it (unrelated_tracer_*).
var TracerKinds = []TracerKind{
	{"", false, ""},
	{"unrelated_tracer_", true, " (the tracer attached to the running creator and is not its parent)"},
}

// Want: the acted-on side's log ends at the act (detach: no more reports
// unless the tracer is its real parent, which then sees its exit; kill:
// killed by SIGKILL); the other side runs to its normal exit. It also
// returns the wait status the parent's own wait must see for its child.
// attach says the tracer is not the creator's parent (TracerKind.Attach).
func (s Survivor) Want(r Reporting, parent, child int, attach bool) (map[string][]tracer.Event, int) {
	w := r.Want(AllFour, parent, child)
	log := w[s.Who]
	exited := log[len(log)-1]
	cut := 0
	for i, ev := range log {
		if ev.Kind == s.At {
			cut = i
			break
		}
	}
	log = log[: cut+1 : cut+1]
	childStatus := 0
	switch {
	case s.Act == tracer.KillIt:
		log = append(log, tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)})
		if s.Who == "child" {
			childStatus = int(syscall.SIGKILL) // wait status of death by SIGKILL
		}
	case s.Who == "parent" && !attach:
		// Detached, but the tracer spawned it: as its real parent the
		// test process still collects its exit.
		log = append(log, exited)
	}
	w[s.Who] = log
	return w, childStatus
}

// acts reports whether the tracer acts on ev.
func (s Survivor) acts(ev tracer.Event, parent int, seen map[int]bool) bool {
	if (ev.Pid == parent) != (s.Who == "parent") {
		return false
	}
	first := !seen[ev.Pid]
	seen[ev.Pid] = true
	if s.At == 0 {
		return first
	}
	return ev.Kind == s.At
}

// Run runs the case: c names the scenario (its Mask is AllFour); hold makes
// the child wait at its first report until the parent has been dealt with
// (see Creation.HoldChild; only for cases that act on the parent).
func (s Survivor) Run(t *atfshim.T, tr *tracer.Tracer, c Creation, r Reporting) {
	t.Helper()
	if s.Who == "child" && s.At == 0 && r.ChildFirstNeeds.Name != "" {
		// The act is at the child's creation stop.
		tracer.Needs(t, r.ChildFirstNeeds)
	}
	if s.At == tracer.VforkDone {
		r.DoneRace.Gate(t)
	}
	s.Race.Gate(t)
	for _, f := range s.Needs {
		tracer.Needs(t, f)
	}
	KnownBugs(t, s.Fixes...)
	c.Mask = AllFour
	seen := map[int]bool{}
	c.On = func(ev tracer.Event, parent int) tracer.Action {
		if s.acts(ev, parent, seen) {
			return s.Act
		}
		return tracer.Resume
	}
	o := c.Run(t, tr)
	want, childStatus := s.Want(r, o.Parent, o.Child, c.Attach)
	if line, full := RoleDiff(want, o.Got); line != "" {
		t.Logf("reports (-want +got):\n%s", full)
		t.Errorf("%s: %s", s.Ident, line)
	}
	if s.Who == "parent" && s.Act == tracer.KillIt {
		// The creator died before it could report; its own parent (the
		// launcher, for an unrelated tracer) must see it killed.
		if c.Attach {
			o.FinishLauncher(t, tr, int(syscall.SIGKILL))
		}
		tr.ExpectNoChildren(o.Parent)
		return
	}
	o.Finish(t, tr, c.Attach, childStatus)
}

// DeclareSurvivors declares one case per survivor and tracer kind
// (TracerKinds) as a subtest of test.
func DeclareSurvivors(test func(*testing.T), ss []Survivor) {
	for _, k := range TracerKinds {
		for _, s := range ss {
			atfshim.DeclareSub(test, k.Prefix+s.Ident, atfshim.Meta{Descr: s.Descr + k.Descr, Timeout: CaseTimeout})
		}
	}
}

// RunSurvivors runs every survivor under every tracer kind from test with a
// fresh tracer each; c names the scenario, and its HoldChild applies to the
// cases that act on the parent with the tracer as the parent's parent (an
// unrelated tracer cannot see the parent's return from creating its child).
func RunSurvivors(t *testing.T, ss []Survivor, c Creation, rules func(*atfshim.T) Reporting) {
	for _, k := range TracerKinds {
		for _, s := range ss {
			atfshim.RunSub(t, k.Prefix+s.Ident, func(t *atfshim.T) {
				sc := c
				sc.Attach = k.Attach
				sc.HoldChild = c.HoldChild && s.Who == "parent" && !k.Attach
				s.Ident = k.Prefix + s.Ident // the case's name in its failures
				s.Run(t, tracer.New(t), sc, rules(t))
			})
		}
	}
}
