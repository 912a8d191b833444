package topology

import (
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// detachLeavesStopped: after a tracer that attached to a process stopped
// by a stop signal detaches from it without a signal, whether the process
// stays stopped until a SIGCONT. NetBSD's child_attach_to_its_stopped_parent
// relies on PT_DETACH resuming it (ptrace_sendsig() proc_unstop()); Linux
// puts a detached tracee back into the group stop it was in
// (kernel/ptrace.c __ptrace_unlink(): JOBCTL_STOP_PENDING while
// SIGNAL_STOP_STOPPED), as ptrace(2) says under "Attaching and detaching".
var detachLeavesStopped = map[string]bool{"netbsd": false, "linux": true}

// resumeAttachedStopped: after the attach stop of a process that was
// stopped by SIGSTOP and PT_CONTINUE, the stop Linux owes the tracer too
// (ptrace.AttachToStoppedStopsTwice): it is suppressed.
func resumeAttachedStopped(t *atfshim.T, tr *tracer.Tracer, pid int) {
	if !tracer.AttachToStoppedStopsTwice {
		return
	}
	if ev := tr.Wait(pid); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
		t.Fatalf("pid %d, attached while stopped, resumed: want the attach's own SIGSTOP stop, got %v", pid, ev)
	}
	tr.Cont(pid, 0)
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{
		semantics.Both("parent_attach_to_its_stopped_child, tracer_attach_to_unrelated_stopped_process", "PT_ATTACH to a process stopped by SIGSTOP", "AttachToStoppedStopsTwiceOn",
			func(k string) string {
				if tracer.AttachToStoppedStopsTwiceOn[k] {
					return "two stops: the group stop it was in (SIGSTOP), then, once resumed, the attach's own SIGSTOP (si_code SI_KERNEL), which the tracer suppresses; the other threads stay stopped until SIGCONT"
				}
				return "one SIGSTOP stop; PT_CONTINUE resumes the whole process"
			}),
		semantics.Both("child_attach_to_its_stopped_parent", "PT_DETACH (no signal) from a process attached while stopped by SIGSTOP", "detachLeavesStopped",
			func(k string) string {
				if detachLeavesStopped[k] {
					return "it goes back into its group stop (__ptrace_unlink(): JOBCTL_STOP_PENDING) until a SIGCONT"
				}
				return "it runs on"
			}),
		semantics.Both("traceme_pid1_parent", "who adopts an orphan (and becomes its tracer by PT_TRACE_ME where allowed)", "adoptiveParent",
			func(k string) string { return adoptiveParent[k].why }),
		semantics.Both("tracee_sees_its_original_parent_*", "where a traced process reads its parent (it must be the original one, not the tracer)", "parentInterfaces",
			func(k string) string {
				m := parentInterfaces[k]
				return m["getppid"] + "; " + m["proc_table"] + "; " + m["procfs"]
			}),
	}
})

// The topology cases: NetBSD's TOPOLOGY area (t_ptrace_topology_wait.h;
// older t_ptrace_wait.c named them attach1..attach7).
var topologyCases = []struct {
	ident, descr string
	run          func(t *atfshim.T, tr *tracer.Tracer)
}{
	{"parent_attach_to_its_child", "a parent can PT_ATTACH to its running child, which then runs to its exit",
		func(t *atfshim.T, tr *tracer.Tracer) { parentAttach(t, tr, false) }},
	{"parent_attach_to_its_stopped_child", "a parent can PT_ATTACH to its child stopped by SIGSTOP, and PT_CONTINUE resumes it",
		func(t *atfshim.T, tr *tracer.Tracer) { parentAttach(t, tr, true) }},
	{"child_attach_to_its_parent", "a child can PT_ATTACH to its running parent and PT_DETACH from it",
		func(t *atfshim.T, tr *tracer.Tracer) { childAttach(t, tr, false) }},
	{"child_attach_to_its_stopped_parent", "a child can PT_ATTACH to its parent stopped by SIGSTOP and PT_DETACH from it",
		func(t *atfshim.T, tr *tracer.Tracer) { childAttach(t, tr, true) }},
	{"tracer_sees_terminaton_before_the_parent", "a tracer (the parent's other child) collects the tracee's termination before the real parent sees it",
		func(t *atfshim.T, tr *tracer.Tracer) { terminationBeforeParent(t, tr, false, false, false) }},
	{"unrelated_tracer_sees_terminaton_before_the_parent", "an unrelated tracer collects the tracee's termination before the real parent sees it",
		func(t *atfshim.T, tr *tracer.Tracer) { terminationBeforeParent(t, tr, true, false, false) }},
	{"tracer_attach_to_unrelated_stopped_process", "an unrelated tracer can attach to a process stopped by SIGSTOP and collects its termination before the real parent",
		func(t *atfshim.T, tr *tracer.Tracer) { terminationBeforeParent(t, tr, true, true, false) }},
	{"tracer_sysctl_lookup_without_duplicates", "for 5 s, tracer_sees_terminaton_before_the_parent again and again; the process table lookup of the traced zombie finds exactly one process",
		func(t *atfshim.T, tr *tracer.Tracer) {
			start, n := time.Now(), 0
			for time.Since(start) < 5*time.Second {
				terminationBeforeParent(t, tr, false, false, true)
				n++
			}
			t.Logf("%d iterations", n)
		}},
	{"tracee_sees_its_original_parent_getppid", "a traced process still sees its original parent: getppid(2)",
		func(t *atfshim.T, tr *tracer.Tracer) { originalParent(t, tr, "getppid") }},
	{"tracee_sees_its_original_parent_sysctl_kinfo_proc2", "a traced process still sees its original parent: the process table (NetBSD kinfo_proc2 p_ppid; Linux /proc/self/stat)",
		func(t *atfshim.T, tr *tracer.Tracer) { originalParent(t, tr, "proc_table") }},
	{"tracee_sees_its_original_parent_procfs_status", "a traced process still sees its original parent: procfs (NetBSD /proc/curproc/status; Linux /proc/self/status PPid, and TracerPid names the tracer)",
		func(t *atfshim.T, tr *tracer.Tracer) { originalParent(t, tr, "procfs") }},
}

func init() {
	for _, c := range topologyCases {
		atfshim.DeclareSub(TestTopology, c.ident, atfshim.Meta{Descr: c.descr, Timeout: caseTimeout})
	}
}

// TestTopology: a tracer's place among the processes, NetBSD's TOPOLOGY
// cases (but traceme_pid1_parent, a permission rule: TestPermission).
func TestTopology(t *testing.T) {
	for _, c := range topologyCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			yamaAllows(t, root())
			c.run(t, tracer.New(t))
		})
	}
}

func wantExit(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc, code int) {
	t.Helper()
	if ev := tr.Wait(p.Pid); ev.Kind != tracer.Exited || ev.Status != code {
		t.Fatalf("%s (pid %d): want Exited(%d), got %v", p.Scenario, p.Pid, code, ev)
	}
}

// startTarget starts an untraced await_go_exit child and returns it past
// its exec: waiting for go, or (stopped) stopped by its own SIGSTOP.
func startTarget(t *atfshim.T, tr *tracer.Tracer, stopped bool) *tracer.Proc {
	if !stopped {
		p := tr.Start("await_go_exit")
		p.Report("awaiting_go")
		return p
	}
	p := tr.Start("await_go_exit", envStopFirst+"=1")
	waitFor(t, "pid "+strconv.Itoa(p.Pid)+" stopped by its SIGSTOP", func() bool { return tracer.JobStopped(p.Pid) })
	return p
}

func parentAttach(t *atfshim.T, tr *tracer.Tracer, stopped bool) {
	p := startTarget(t, tr, stopped)
	if ev := tr.Attach(p.Pid); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
		t.Fatalf("%s(pid %d), its child: the attach stop must be SIGSTOP, got %v", tracer.RequestNames.Attach, p.Pid, ev)
	}
	tr.Cont(p.Pid, 0)
	if stopped {
		resumeAttachedStopped(t, tr, p.Pid)
		p.Report("awaiting_go") // PT_CONTINUE resumed it from its own stop
	}
	p.Go()
	wantExit(t, tr, p, exitTracee)
	tr.ExpectNoChildren(p.Pid)
}

func childAttach(t *atfshim.T, tr *tracer.Tracer, stopped bool) {
	var env []string
	if stopped {
		env = append(env, envStopFirst+"=1")
	}
	p := tr.Start("parent_of_attacher", env...)
	child := p.ReportInt("child")
	tr.Adopt(child, "attaching child")
	if got := p.Report("attach"); got != tracer.Answer(0) {
		t.Fatalf("%s(pid %d) from its child pid %d: got %s, want success", tracer.RequestNames.Attach, p.Pid, child, got)
	}
	if stop := p.Report("stop"); stop != "SIGSTOP" {
		t.Fatalf("%s(pid %d) from its child pid %d: the attach stop must be SIGSTOP, got %s", tracer.RequestNames.Attach, p.Pid, child, stop)
	}
	if got := p.Report("detach"); got != tracer.Answer(0) {
		t.Fatalf("%s(pid %d) from its child pid %d: got %s, want success", tracer.RequestNames.Detach, p.Pid, child, got)
	}
	if stopped {
		leave := detachLeavesStopped[runtime.GOOS]
		if leave {
			waitFor(t, "parent pid "+strconv.Itoa(p.Pid)+" back in its group stop after the detach", func() bool { return tracer.JobStopped(p.Pid) })
			if err := syscall.Kill(p.Pid, syscall.SIGCONT); err != nil {
				t.Fatalf("SIGCONT to pid %d: %v", p.Pid, err)
			}
		}
	}
	if st := p.ReportInt("child_status"); st != 0 {
		t.Fatalf("attaching child pid %d: wait status %#x, want exit 0", child, st)
	}
	wantExit(t, tr, p, 0)
	tr.ExpectNoChildren(p.Pid)
}

// terminationBeforeParent: NetBSD's tracer_sees_terminaton_before_the_parent_raw.
// The test process is the tracee's real parent; a tracer (its other child,
// or with unrelated a launcher's child) attaches; when the tracee exits,
// the kernel reports the termination to the tracer first: the real
// parent's wait finds nothing until the tracer has collected it.
func terminationBeforeParent(t *atfshim.T, tr *tracer.Tracer, unrelated, stopped, lookup bool) {
	target := startTarget(t, tr, stopped)
	env := []string{tracee.EnvProbeTarget + "=" + strconv.Itoa(target.Pid), tracee.EnvProbeThen + "=trace_to_exit"}
	if stopped {
		env = append(env, tracee.EnvProbeAwaitStopped+"=1")
	}
	var probe *tracer.Proc
	tracerPid := 0
	if unrelated {
		probe = tr.Start("launch", append(env, tracee.EnvTarget+"=attach_probe")...)
		tracerPid = probe.ReportInt("target")
		tr.Adopt(tracerPid, "unrelated tracer")
	} else {
		probe = tr.Start("attach_probe", env...)
		tracerPid = probe.Pid
	}
	if got := probe.Report("attach"); got != tracer.Answer(0) {
		t.Fatalf("%s(pid %d) from pid %d: got %s, want success", tracer.RequestNames.Attach, target.Pid, tracerPid, got)
	}
	if stop := probe.Report("stop"); stop != "SIGSTOP" {
		t.Fatalf("%s(pid %d) from pid %d: the attach stop must be SIGSTOP, got %s", tracer.RequestNames.Attach, target.Pid, tracerPid, stop)
	}
	probe.Report("attached")
	if stopped {
		target.Report("awaiting_go") // the tracer's PT_CONTINUE resumed it from its own stop
	}
	target.Go()
	waitFor(t, "traced pid "+strconv.Itoa(target.Pid)+" a zombie after its exit", func() bool { return tracer.Zombie(target.Pid) })
	if lookup {
		if n, err := tracer.ProcEntries(target.Pid); err != nil || n != 1 {
			t.Fatalf("process table lookup of traced zombie pid %d: %d entries (error %v), want exactly 1", target.Pid, n, err)
		}
	}
	if ev, ok, err := tr.Poll(target.Pid); err != nil || ok {
		t.Fatalf("the real parent's wait4(%d, WNOHANG) reported %v (error %v) before the tracer pid %d collected the termination: the tracer must see it first", target.Pid, ev, err, tracerPid)
	}
	probe.Go()
	if got := probe.ReportInt("tracee_exit"); got != exitTracee {
		t.Fatalf("tracer pid %d: the tracee's termination, want exit %d, got %d", tracerPid, exitTracee, got)
	}
	if unrelated {
		if st := probe.ReportInt("target_status"); st>>8 != 10 {
			t.Fatalf("unrelated tracer pid %d: wait status %#x, want exit 10", tracerPid, st)
		}
		wantExit(t, tr, probe, 0)
	} else {
		wantExit(t, tr, probe, 10)
	}
	// Now the real parent collects it.
	wantExit(t, tr, target, exitTracee)
	tr.ExpectNoChildren(target.Pid)
}

// originalParent: NetBSD's tracee_sees_its_original_parent_*. A tracer
// becomes the tracee's parent for the kernel's ptrace bookkeeping, but
// every interface must still name the original parent to the tracee.
func originalParent(t *atfshim.T, tr *tracer.Tracer, how string) {
	target := tr.Start("parent_check", envParentHow+"="+how)
	at := target.ReportInt("parent_at_start")
	probe := tr.Start("attach_probe", tracee.EnvProbeTarget+"="+strconv.Itoa(target.Pid), tracee.EnvProbeThen+"=trace_to_exit")
	if got := probe.Report("attach"); got != tracer.Answer(0) {
		t.Fatalf("%s(pid %d) from pid %d: got %s, want success", tracer.RequestNames.Attach, target.Pid, probe.Pid, got)
	}
	probe.Report("attached")
	target.Go()
	via := parentInterfaces[runtime.GOOS][how]
	now := target.Report("parent_now")
	if now == "none" {
		t.Skipf("%s not found (procfs not mounted); NetBSD's case skips too", via)
	}
	if now != strconv.Itoa(at) {
		t.Fatalf("traced pid %d sees parent %s through %s, want its original parent %d, not its tracer %d", target.Pid, now, via, at, probe.Pid)
	}
	if how == "procfs" && target.ReportedWithin("tracer_now", time.Second) {
		if tp := target.ReportInt("tracer_now"); tp != probe.Pid {
			t.Fatalf("traced pid %d: /proc/self/status TracerPid %d, want its tracer %d", target.Pid, tp, probe.Pid)
		}
	}
	probe.Go()
	if got := probe.ReportInt("tracee_exit"); got != exitTracee {
		t.Fatalf("tracer pid %d: the tracee's termination, want exit %d, got %d", probe.Pid, exitTracee, got)
	}
	wantExit(t, tr, probe, 10)
	wantExit(t, tr, target, exitTracee)
}
