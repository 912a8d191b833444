package tracer

import (
	"time"

	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/ptrace"
)

// LWP requests and non-blocking waits, for tests/lwp.

// LwpInfo lists the LWPs of a stopped tracee: NetBSD by PT_LWPINFO
// iteration (pl_lwpid 0 starts and ends it), Linux by /proc/PID/task.
func (tr *Tracer) LwpInfo(pid int) []Lwp {
	tr.tb.Helper()
	l, err := tr.c.LwpInfo(pid)
	tr.request(lwpInfoName(), pid, err)
	return l
}

// LwpStatus lists the LWPs of a stopped tracee with their signal mask, name
// and private pointer: NetBSD by PT_LWPNEXT iteration, each checked against
// PT_LWPSTATUS of the same LWP; Linux by /proc/PID/task/TID/status.
func (tr *Tracer) LwpStatus(pid int) []Lwp {
	tr.tb.Helper()
	l, err := tr.c.LwpStatus(pid)
	_, status, _, _, _ := LwpRequestNames()
	tr.request(status, pid, err)
	return l
}

func lwpInfoName() string {
	info, _, _, _, _ := LwpRequestNames()
	return info
}

// LwpBlocked returns the blocked set of LWP lwp of a stopped tracee from
// the kernel's per-LWP status (NetBSD PT_LWPSTATUS; Linux
// /proc/PID/task/TID/status SigBlk), or, with a zero set, why this kernel
// has no per-LWP status. A signal mask is per LWP: the process-wide
// kinfo_proc2 p_sigmask is one LWP's, not necessarily the one that stopped.
func (tr *Tracer) LwpBlocked(pid, lwp int) (SigSet, string) {
	tr.tb.Helper()
	if why := ptrace.Lacks(nbabi.FeatureLwpStatus); why != "" {
		return 0, why
	}
	for _, l := range tr.LwpStatus(pid) {
		if l.ID == lwp {
			return l.Sigmask, ""
		}
	}
	tr.tb.Fatalf("LWP %d, which stopped, is not among the LWPs of %d", lwp, pid)
	return 0, ""
}

// Suspend suspends one LWP of a stopped tracee (NetBSD PT_SUSPEND); Linux
// has no such request (ErrNoRequest).
func (tr *Tracer) Suspend(pid, lwp int) error { return tr.c.Suspend(pid, lwp) }

// ResumeLwp undoes Suspend (NetBSD PT_RESUME); Linux: ErrNoRequest.
func (tr *Tracer) ResumeLwp(pid, lwp int) error { return tr.c.ResumeLwp(pid, lwp) }

// Stop stops a running tracee (NetBSD PT_STOP; Linux, whose PTRACE_INTERRUPT
// only works on PTRACE_SEIZE'd tracees: tgkill(pid, pid, SIGSTOP) to the
// traced thread). The tracer then waits for the stop.
func (tr *Tracer) Stop(pid int) {
	tr.tb.Helper()
	_, _, _, _, stop := LwpRequestNames()
	tr.request(stop, pid, tr.c.Stop(pid))
}

// Poll is one non-blocking wait (wait4 with WNOHANG) for pid (-1: any):
// ok=false when nothing is pending. Passed signals are re-injected and not
// returned, as by Wait.
func (tr *Tracer) Poll(pid int) (ev Event, ok bool, err error) {
	tr.tb.Helper()
	ev, ok, err = tr.c.Poll(pid)
	tr.failBroken(err)
	return ev, ok, err
}

// PollUntil polls pid until an event arrives or the deadline passes
// (ok=false), yielding between empty polls.
func (tr *Tracer) PollUntil(pid int, deadline time.Time) (Event, bool) {
	tr.tb.Helper()
	for time.Now().Before(deadline) {
		ev, ok, err := tr.Poll(pid)
		if err != nil {
			tr.tb.Fatalf("wait4(%d, WNOHANG): %v", pid, err)
		}
		if ok {
			return ev, true
		}
		time.Sleep(50 * time.Microsecond)
	}
	return Event{}, false
}

// Peek waits up to d for a report of pid without consuming it: the report,
// if any, stays queued for the next Wait. Cases use it to prove that a
// process stays silent (a vforker whose child has not left) or that a
// report arrives while another process is held stopped. Passed signals are
// re-injected as by Wait. It polls with a non-blocking wait4, which both
// kernels have, whatever the tracer's flavour.
func (tr *Tracer) Peek(pid int, d time.Duration) (Event, bool) {
	tr.tb.Helper()
	deadline := time.Now().Add(d)
	for {
		ev, ok, err := tr.c.Peek(pid)
		if err != nil {
			tr.tb.Fatalf("wait4(%d, WNOHANG): %v", pid, err)
		}
		if ok {
			if ev.Creates() {
				tr.Adopt(ev.Other, ptrace.CreatedBy(ev))
			}
			return ev, true
		}
		if !time.Now().Before(deadline) {
			return Event{}, false
		}
		time.Sleep(2 * time.Millisecond)
	}
}
