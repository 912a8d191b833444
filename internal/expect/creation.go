package expect

import (
	"fmt"
	"runtime"
	"syscall"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// Creation is one run of a creation scenario under a tracer.
type Creation struct {
	Scenario string      // the registered scenario (without "_attached")
	What     string      // how the scenario creates its child, for messages (default: Scenario)
	Mask     tracer.Mask // the event mask set at the tracee's ready point
	// Attach: the tracer is unrelated to the tracee. A launcher process
	// starts it, the tracer PT_ATTACHes to it and only then lets it run.
	Attach bool
	// On decides what to do with each stop (nil: resume everything).
	On func(ev tracer.Event, parent int) tracer.Action
	// Started, when set, is called with the scenario's process stopped at
	// its ready point (or at the attach stop) before the mask is set, with
	// the process whose pipe carries its reports.
	Started func(reports *tracer.Proc, pid int)
	// HoldChild: when the kernel reports the child, keep it stopped at its
	// first report until the parent has reported its creation event and
	// been dealt with (On), then require the parent to stay silent for
	// HoldQuiet before letting the child go. This is how a case proves that
	// a vforker stays blocked while its child has not left: a parent that
	// runs on would report its VFORK_DONE, its exit, or its "child" line.
	// Only for a tracer that spawned the tracee, and On must resume the
	// child.
	HoldChild bool
	// Pass are signals the tracer re-injects transparently besides
	// SIGCHLD (e.g. a clone's own exit signal).
	Pass []syscall.Signal
	// EventFixes are kernel fixes the event assertions of Events check
	// (NetBSD): on a kernel that predates one, the reports are an expected
	// failure naming it; what On checked during the run stays checked.
	EventFixes []nbabi.Feature
}

// HoldQuiet is how long a held child's parent must stay silent.
const HoldQuiet = 100 * time.Millisecond

// Outcome is what a creation run saw.
type Outcome struct {
	Parent, Child int
	Got           map[string][]tracer.Event
	Trace         tracer.Trace
	Reports       *tracer.Proc // the process whose pipe carries the scenario's reports
}

// AttachStop is the stop PT_ATTACH / PTRACE_ATTACH produces, per kernel:
// NetBSD posts SIGSTOP as from a user (SI_USER); Linux sends it with
// SEND_SIG_PRIV, which reads back as SI_KERNEL.
var AttachStop = map[string]tracer.Event{
	"netbsd": {Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: SIUser},
	"linux":  {Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: 0x80},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("unrelated_tracer_fork*, unrelated_tracer_vfork*", "the stop PT_ATTACH (PTRACE_ATTACH) of a running process produces",
		"AttachStop", func(k string) string { return AttachStop[k].On(k) })}
})

func (c Creation) what() string {
	if c.What != "" {
		return c.What
	}
	return c.Scenario
}

// Run starts the scenario, sets the mask at its ready point (or attaches to
// it) and follows it and everything the kernel attaches on its behalf to
// the end.
func (c Creation) Run(t *atfshim.T, tr *tracer.Tracer) Outcome {
	t.Helper()
	// The child's exit signal to the parent is not an event.
	tr.Pass(append([]syscall.Signal{syscall.SIGCHLD}, c.Pass...)...)
	var o Outcome
	if c.Attach {
		l := tr.Start("launch", tracee.EnvTarget+"="+c.Scenario+"_attached")
		o.Parent, o.Reports = l.ReportInt("target"), l
		tr.Adopt(o.Parent, "launched "+c.Scenario)
		l.Report("awaiting_go")
		if !Same(t, "PT_ATTACH to a running process must stop it with SIGSTOP", AttachStop[runtime.GOOS], tr.Attach(o.Parent)) {
			t.FailNow()
		}
		if c.Started != nil {
			c.Started(o.Reports, o.Parent)
		}
		tr.SetEventMask(o.Parent, c.Mask)
		tr.Cont(o.Parent, 0)
		l.Go()
	} else {
		p := tr.Spawn(c.Scenario)
		o.Parent, o.Reports = p.Pid, p
		if c.Started != nil {
			c.Started(p, p.Pid)
		}
		tr.SetEventMask(p.Pid, c.Mask)
		tr.Cont(p.Pid, 0)
	}
	on := func(ev tracer.Event) tracer.Action {
		if c.On == nil {
			return tracer.Resume
		}
		return c.On(ev, o.Parent)
	}
	if c.HoldChild && !c.Attach {
		on = c.holder(t, tr, o.Parent, o.Reports, on)
	}
	o.Trace = tr.Follow(o.Parent, on)
	t.Logf("%s under mask %v: reports in wait order: %v", c.Scenario, c.Mask, o.Trace.Order)
	if t.Failed() {
		// Follow stopped at the first failure, leaving processes stopped
		// that the checks below would wait for in vain.
		t.FailNow()
	}
	// The child's pid: from the creator's event if the kernel reported one
	// (the creator may not live to report it), else from the scenario.
	for _, ev := range o.Trace.ByPid[o.Parent] {
		if ev.Creates() {
			o.Child = ev.Other
			break
		}
	}
	if o.Child == 0 {
		o.Child = o.Reports.ReportInt("child")
	}
	o.Got = ByRole(o.Trace, o.Parent, o.Child)
	return o
}

// apply does what Follow would do with act.
func apply(tr *tracer.Tracer, pid int, act tracer.Action) {
	switch act {
	case tracer.Resume:
		tr.Cont(pid, 0)
	case tracer.DetachIt:
		tr.Detach(pid, 0)
	case tracer.KillIt:
		tr.Kill(pid)
	}
}

// holder wraps on with HoldChild's protocol.
func (c Creation) holder(t *atfshim.T, tr *tracer.Tracer, parent int, reports *tracer.Proc, on func(tracer.Event) tracer.Action) func(tracer.Event) tracer.Action {
	var parentAct tracer.Action
	parentSeen, child, released := false, 0, false
	check := func() {
		if parentAct == tracer.KillIt {
			return // a dead parent can say nothing
		}
		if ev, ok := tr.Peek(parent, HoldQuiet); ok {
			t.Errorf("%s: the parent reported %v while its child %d was held stopped at its first report: it must stay blocked until the child has left", c.what(), ev, child)
		}
		if reports.ReportedWithin("child", 0) {
			t.Errorf("%s: the parent returned from creating its child while the child %d was held stopped at its first report: it must stay blocked until the child has left", c.what(), child)
		}
	}
	return func(ev tracer.Event) tracer.Action {
		switch {
		case released:
			return on(ev)
		case ev.Pid == parent && ev.Creates():
			parentSeen, parentAct = true, on(ev)
			apply(tr, parent, parentAct)
			if child != 0 {
				check()
				released = true
				tr.Cont(child, 0)
			}
			return tracer.ResumeAsIs
		case ev.Pid != parent && child == 0:
			child = ev.Pid
			if act := on(ev); act != tracer.Resume {
				t.Fatalf("%s: HoldChild needs the child resumed, not %v", c.what(), act)
			}
			if !parentSeen {
				return tracer.ResumeAsIs
			}
			check()
			released = true
			return tracer.Resume
		}
		return on(ev)
	}
}

// Finish checks what the scenario's parent reported (when it survived to
// report) and that nothing is left to wait for.
func (o Outcome) Finish(t *atfshim.T, tr *tracer.Tracer, attach bool, wantChildStatus int) {
	t.Helper()
	if c := o.Reports.ReportInt("child"); c != o.Child {
		t.Errorf("the kernel reported child pid %d, the parent's creating call returned %d", o.Child, c)
	}
	if st := o.Reports.ReportInt("child_status"); st != wantChildStatus {
		t.Errorf("the parent's wait for its child gave status %#x, want %#x", st, wantChildStatus)
	}
	if attach {
		o.FinishLauncher(t, tr, ParentExit<<8)
	}
	tr.ExpectNoChildren(o.Parent)
}

// FinishLauncher checks, for an unrelated tracer (Creation.Attach), that the
// scenario's own parent, the launcher, collected it with the raw wait
// status want, and that the launcher exits 0.
func (o Outcome) FinishLauncher(t *atfshim.T, tr *tracer.Tracer, want int) {
	t.Helper()
	if st := o.Reports.ReportInt("target_status"); st != want {
		t.Errorf("the tracee's own parent saw wait status %#x, want %#x", st, want)
	}
	Same(t, "the launcher must exit 0", tracer.Event{Kind: tracer.Exited}, tr.Wait(o.Reports.Pid))
}

// Events is the core case: a traced process creates one child under c.Mask.
// The kernel must report the creation to the tracer on both sides iff the
// mask says so (r), with the other pid cross-linked, as nothing else; the
// child then exits 0, the parent exits ParentExit, and nothing is left to
// wait for.
func Events(t *atfshim.T, tr *tracer.Tracer, c Creation, r Reporting) Outcome {
	t.Helper()
	if r.DoneBit != 0 && c.Mask&r.DoneBit != 0 {
		r.DoneRace.Gate(t)
	}
	o := c.Run(t, tr)
	KnownBugs(t, c.EventFixes...)
	if line, full := RoleDiff(r.Want(c.Mask, o.Parent, o.Child), o.Got); line != "" {
		t.Logf("reports (-want +got):\n%s", full)
		rule := r.Rule
		if rule == "" {
			rule = fmt.Sprintf("%v on both sides iff %v is set", r.Kind, r.Bit)
		}
		t.Errorf("%s under event mask %v breaks the rule (%s): %s", c.what(), c.Mask, rule, line)
	}
	o.Finish(t, tr, c.Attach, 0)
	return o
}
