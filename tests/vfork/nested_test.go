package vfork

import (
	"fmt"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

func init() {
	for _, n := range nesteds {
		atfshim.DeclareSub(TestTracemeVfork, "traceme_vfork_"+n.name, atfshim.Meta{
			Descr: fmt.Sprintf("a vforked child calls PT_TRACE_ME (its tracer is its parent, asleep in vfork), then %s, waits for its child and exits: no stop, no hang, its tracer sees only the exit",
				n.name),
			Timeout: caseTimeout,
		})
	}
}

// TestTracemeVfork: NetBSD's traceme_vfork_fork, traceme_vfork_vfork and
// traceme_vfork_clone*. The child's tracer is blocked in vfork until the
// child leaves, so the kernel must not stop the child for anything it does
// (its tracer set no event mask): a stop would deadlock both. The scenario
// is the vforker and tracer; the test's own tracer watches it with no
// events set and must see nothing but its exit.
func TestTracemeVfork(t *testing.T) {
	for _, n := range nesteds {
		atfshim.RunSub(t, "traceme_vfork_"+n.name, func(t *atfshim.T) {
			tr := tracer.New(t)
			tr.Pass(sigchld)
			p := tr.Spawn("traceme_vfork_" + n.name)
			tr.SetEventMask(p.Pid, 0)
			tr.Cont(p.Pid, 0)
			trace := tr.Follow(p.Pid, nil)
			// The vforker is the "parent" role, any other process a stranger.
			want := map[string][]tracer.Event{"parent": {{Kind: tracer.Exited, Status: expect.ParentExit}}}
			if line, full := expect.RoleDiff(want, expect.ByRole(trace, p.Pid, 0)); line != "" {
				t.Logf("reports (-want +got):\n%s", full)
				t.Errorf("the vforker (not traced for any event) must only exit %d: %s", expect.ParentExit, line)
			}
			if st := p.ReportInt("inner_status"); st != 0 {
				t.Errorf("the traced vforkee's wait for the child it made with %s gave status %#x, want exit 0", n.name, st)
			}
			if st := p.ReportInt("child_status"); st != 0 {
				t.Errorf("the vforker, as tracer, saw status %#x from its traced vforkee, want only its exit 0 (a stop would have deadlocked a real vfork)", st)
			}
			tr.ExpectNoChildren(p.Pid)
		})
	}
}

var _ = atfshim.Declare(TestVforkChain, atfshim.Meta{
	Descr:   "vfork -> vfork chain under VFORK|VFORK_DONE: every level reports vfork and vfork-done, each VFORK_DONE only after every report of the level below",
	Timeout: caseTimeout,
})

// TestVforkChain: the tracee vforks a child that vforks a grandchild, with
// VFORK and VFORK_DONE set on each level. Each vforker
// stays blocked until its child has left, and a child stopped at a report
// cannot leave, so each level's VFORK_DONE must come after every report of
// the levels below it (their exits aside: a child's exit releases its
// vforker before the tracer can collect it).
func TestVforkChain(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		// The mask is set on each child at its creation stop.
		tracer.Needs(t, nbabi.FeatureForkeeReport)
		tr := tracer.New(t)
		r := rules(t, "vfork")
		mask := tracer.MaskVfork | tracer.MaskVforkDone
		p := tr.Spawn("vfork_chain_vfork")
		tr.Pass(sigchld)
		tr.SetEventMask(p.Pid, mask)
		tr.Cont(p.Pid, 0)
		// A debugger sets its mask on each new process at its first report,
		// as here: whether a traced child inherits the mask (Linux: yes)
		// is not this case's business.
		seen := map[int]bool{p.Pid: true}
		trace := tr.Follow(p.Pid, func(ev tracer.Event) tracer.Action {
			if !seen[ev.Pid] {
				seen[ev.Pid] = true
				tr.SetEventMask(ev.Pid, mask)
			}
			return tracer.Resume
		})
		t.Logf("reports in wait order: %v", trace.Order)
		child, grand := creation(trace, p.Pid), 0
		if child != 0 {
			grand = creation(trace, child)
		}
		// Each level's log is the one-level contract with its own child.
		top := r.Want(mask, p.Pid, child)
		mid := r.Want(mask, child, grand)
		mid["parent"][len(mid["parent"])-1].Status = 0 // the middle level exits 0, not ParentExit
		want := map[string][]tracer.Event{
			"tracee":     top["parent"],
			"child":      append(top["child"][:1:1], mid["parent"]...),
			"grandchild": mid["child"],
		}
		got := map[string][]tracer.Event{}
		for pid, evs := range trace.ByPid {
			role := map[int]string{p.Pid: "tracee", child: "child", grand: "grandchild"}[pid]
			if role == "" || pid == 0 {
				role = fmt.Sprintf("unexpected pid %d", pid)
			}
			got[role] = evs
		}
		if line, full := expect.RoleDiff(want, got); line != "" {
			t.Logf("reports by level (-want +got):\n%s", full)
			t.Errorf("vfork chain under %v breaks the kernel's contract: %s", mask, line)
		}
		levels := []int{p.Pid, child, grand}
		for i := 0; i+1 < len(levels); i++ {
			checkDoneAfterBelow(t, trace, levels[i], levels[i+1:])
		}
		if c := p.ReportInt("child"); c != child {
			t.Errorf("the kernel reported child pid %d, vfork returned %d", child, c)
		}
		if st := p.ReportInt("inner_status"); st != 0 {
			t.Errorf("the child's wait for the grandchild gave status %#x, want exit 0", st)
		}
		if st := p.ReportInt("child_status"); st != 0 {
			t.Errorf("the tracee's wait for its child gave status %#x, want exit 0", st)
		}
		tr.ExpectNoChildren(p.Pid)
	})
}

// creation returns the pid pid's first creation event names (0: none).
func creation(tr tracer.Trace, pid int) int {
	for _, ev := range tr.ByPid[pid] {
		if ev.Creates() {
			return ev.Other
		}
	}
	return 0
}

// checkDoneAfterBelow: vforker's VFORK_DONE comes, in wait order, after
// every non-terminal report of the processes below it.
func checkDoneAfterBelow(t *atfshim.T, tr tracer.Trace, vforker int, below []int) {
	t.Helper()
	done := -1
	for i, ev := range tr.Order {
		if ev.Pid == vforker && ev.Kind == tracer.VforkDone {
			done = i
		}
	}
	if done < 0 {
		return // the log comparison has said it
	}
	for i := done + 1; i < len(tr.Order); i++ {
		ev := tr.Order[i]
		for _, b := range below {
			if ev.Pid == b && !ev.Terminal() {
				t.Errorf("%d reported VFORK_DONE before its descendant %d reported %v: a vforker must stay blocked until its child has left", vforker, b, ev)
			}
		}
	}
}
