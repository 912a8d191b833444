package tracer

import "slices"

// Action is what Follow does with a stop.
type Action int

const (
	Resume     Action = iota // continue with no signal
	DetachIt                 // PT_DETACH / PTRACE_DETACH, no signal
	KillIt                   // terminate with SIGKILL
	ResumeAsIs               // the callback already resumed, detached or killed it
)

// Trace is what Follow saw: every process's reports in order, and all of
// them in the order the waits returned them.
type Trace struct {
	ByPid map[int][]Event
	Order []Event
}

// Follow resumes root until it and every process the kernel attached to the
// tracer on its behalf (fork/vfork/spawn/clone children) have terminated,
// recording every report. on (may be nil) decides what to do with each stop.
// A detached process that is not the test process's own child is no longer
// waited for; one that is (a spawned tracee) is waited for until it exits.
// Reports of the test process's other children (e.g. a launcher) are left
// for a later Wait.
func (tr *Tracer) Follow(root int, on func(Event) Action) Trace {
	tr.tb.Helper()
	t := Trace{ByPid: map[int][]Event{}}
	live := map[int]bool{root: true}
	gone := map[int]bool{}
	var others []Event
	defer func() {
		if tr.tb.Failed() && len(live) > 0 {
			tr.tb.Logf("following %d: still awaited reports from %v; reports in wait order so far: %v", root, keys(live), t.Order)
		}
	}()
	defer func() { tr.c.Requeue(others...) }()
	for len(live) > 0 && !tr.tb.Failed() {
		ev := tr.Wait(-1)
		if !live[ev.Pid] && !gone[ev.Pid] && tr.c.IsChild(ev.Pid) {
			others = append(others, ev) // not part of this process tree
			continue
		}
		t.ByPid[ev.Pid] = append(t.ByPid[ev.Pid], ev)
		t.Order = append(t.Order, ev)
		if ev.Terminal() {
			delete(live, ev.Pid)
			gone[ev.Pid] = true
			continue
		}
		// A new child may report before its creator's event does.
		live[ev.Pid] = true
		if ev.Creates() && !gone[ev.Other] {
			live[ev.Other] = true
		}
		act := Resume
		if on != nil {
			act = on(ev)
		}
		switch act {
		case Resume:
			tr.Cont(ev.Pid, 0)
		case DetachIt:
			tr.Detach(ev.Pid, 0)
			if !tr.c.IsChild(ev.Pid) {
				delete(live, ev.Pid)
				gone[ev.Pid] = true
			}
		case KillIt:
			tr.Kill(ev.Pid)
		case ResumeAsIs:
		}
	}
	return t
}

func keys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
