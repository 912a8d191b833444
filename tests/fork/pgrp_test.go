package fork

import (
	"runtime"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// orphanedPgrpBug is, per kernel, the known bug behind a failure of
// fork_traced_child_exit_keeps_pgrp.
var orphanedPgrpBug = map[string]string{
	"netbsd": "orphanpg() at a traced forkee's exit: proc_changeparent() gives the forkee to the tracer " +
		"without fixjobc(), so exit1()'s fixjobc() takes pg_jobc of the forker's group to 0 " +
		"(kern_proc.c unchanged through 1.280, 2025/06/02; FreeBSD fixed the same in 5844bd058aed)",
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("fork_traced_child_exit_keeps_pgrp", "a traced forkee's exit while its creator, a group leader, is stopped at its fork event",
		"orphanedPgrpBug", func(k string) string {
			if why := orphanedPgrpBug[k]; why != "" {
				return "expected failure, a known bug: " + why
			}
			return "the creator's group is not orphaned: no SIGHUP or SIGCONT reaches it"
		})}
})

var _ = atfshim.Declare(TestForkTracedChildExitKeepsPgrp, atfshim.Meta{
	Descr: "a tracee leading its own process group forks under FORK; its traced forkee exits while it is " +
		"stopped at its fork event: its group is not orphaned, so no SIGHUP/SIGCONT reaches it",
	Timeout: caseTimeout,
})

// TestForkTracedChildExitKeepsPgrp: POSIX job control under a debugger. The
// forker leads a group whose parent (the test process) is in another group
// of the same session, so the group is not orphaned however its members
// come and go, and the kernel must not send it SIGHUP and SIGCONT — a
// debugger that traces a shell job's fork would otherwise kill the job.
func TestForkTracedChildExitKeepsPgrp(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why := orphanedPgrpBug[runtime.GOOS]; why != "" {
			t.ExpectFail(why)
		}
		tr := tracer.New(t)
		tr.Pass(syscall.SIGCHLD)
		p := tr.SpawnLeader("fork")
		tr.SetEventMask(p.Pid, tracer.MaskFork)
		tr.Cont(p.Pid, 0)
		ev := tr.Wait(p.Pid)
		if ev.Kind != tracer.Fork {
			t.Fatalf("the forker must stop at its fork event (FORK set), got %v", ev)
		}
		child := ev.Other
		// The forker stays stopped at its fork event; the forkee runs to
		// its exit.
		for {
			ev := tr.Wait(child)
			if ev.Terminal() {
				if ev.Kind != tracer.Exited || ev.Status != 0 {
					t.Fatalf("the forkee %d must exit 0, got %v", child, ev)
				}
				break
			}
			tr.Cont(child, 0)
		}
		tr.Cont(p.Pid, 0)
		var rest []tracer.Event
		for {
			ev := tr.Wait(p.Pid)
			rest = append(rest, ev)
			if ev.Terminal() {
				break
			}
			sig := 0
			if ev.Kind == tracer.Stopped {
				sig = ev.Sig
			}
			tr.Cont(p.Pid, syscall.Signal(sig))
		}
		if d := tracer.Diff([]tracer.Event{{Kind: tracer.Exited, Status: 5}}, rest); d != "" {
			t.Logf("the forker's reports after its forkee exited (-want +got):\n%s", d)
			t.Errorf("the forker %d leads a group that is not orphaned, yet after its traced forkee %d exited it reported %v, not only its exit 5",
				p.Pid, child, rest)
		}
		tr.ExpectNoChildren(p.Pid)
	})
}
