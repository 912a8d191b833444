package tracer

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// LWP requests and non-blocking waits, for tests/lwp.

// Lwp is what the kernel says about one LWP (thread) of a tracee.
type Lwp struct {
	ID int
	// Signalled: NetBSD PT_LWPINFO pl_event PL_EVENT_SIGNAL (the LWP
	// that reported the process's stop); Linux: the thread is in a
	// ptrace stop (/proc/PID/task/TID/stat state 't').
	Signalled bool
	Sigmask   SigSet  // NetBSD pl_sigmask; Linux /proc/PID/task/TID/status SigBlk
	Name      string  // NetBSD pl_name; Linux comm
	Private   uintptr // NetBSD pl_private; Linux: 0 (no such pointer)
}

// ErrNoRequest is returned for a request this kernel does not have.
var ErrNoRequest = errors.New("this kernel has no such ptrace request")

// LwpInfo lists the LWPs of a stopped tracee: NetBSD by PT_LWPINFO
// iteration (pl_lwpid 0 starts and ends it), Linux by /proc/PID/task.
func (tr *Tracer) LwpInfo(pid int) []Lwp {
	tr.tb.Helper()
	var l []Lwp
	tr.request(lwpReq.info, pid, func() error {
		var err error
		l, err = lwpInfo(pid)
		return err
	})
	return l
}

// LwpStatus lists the LWPs of a stopped tracee with their signal mask, name
// and private pointer: NetBSD by PT_LWPNEXT iteration, each checked against
// PT_LWPSTATUS of the same LWP; Linux by /proc/PID/task/TID/status.
func (tr *Tracer) LwpStatus(pid int) []Lwp {
	tr.tb.Helper()
	var l []Lwp
	tr.request(lwpReq.status, pid, func() error {
		var err error
		l, err = lwpStatus(pid)
		tr.mutLwpMasks(pid, l)
		return err
	})
	return l
}

// LwpBlocked returns the blocked set of LWP lwp of a stopped tracee from
// the kernel's per-LWP status (NetBSD PT_LWPSTATUS; Linux
// /proc/PID/task/TID/status SigBlk), or, with a zero set, why this kernel
// has no per-LWP status. A signal mask is per LWP: the process-wide
// kinfo_proc2 p_sigmask is one LWP's, not necessarily the one that stopped.
func (tr *Tracer) LwpBlocked(pid, lwp int) (SigSet, string) {
	tr.tb.Helper()
	if why := featureMissing(nbabi.FeatureLwpStatus); why != "" {
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
func (tr *Tracer) Suspend(pid, lwp int) error {
	var err error
	tr.do(func() { err = suspend(pid, lwp) })
	return err
}

// ResumeLwp undoes Suspend (NetBSD PT_RESUME); Linux: ErrNoRequest.
func (tr *Tracer) ResumeLwp(pid, lwp int) error {
	var err error
	tr.do(func() { err = resumeLwp(pid, lwp) })
	return err
}

// Stop stops a running tracee (NetBSD PT_STOP; Linux, whose PTRACE_INTERRUPT
// only works on PTRACE_SEIZE'd tracees: tgkill(pid, pid, SIGSTOP) to the
// traced thread). The tracer then waits for the stop.
func (tr *Tracer) Stop(pid int) {
	tr.tb.Helper()
	tr.request(lwpReq.stop, pid, func() error { return stop(pid) })
}

// LwpRequestNames names the requests behind LwpInfo, LwpStatus, Suspend,
// ResumeLwp and Stop on this kernel, for messages.
func LwpRequestNames() (info, status, suspend, resume, stop string) {
	return LwpRequestNamesOn(runtime.GOOS)
}

// LwpRequestNamesOn is LwpRequestNames for kernel.
func LwpRequestNamesOn(kernel string) (info, status, suspend, resume, stop string) {
	r := lwpReqOn[kernel]
	return r.info, r.status, r.suspend, r.resume, r.stop
}

// StopSiginfo is the signal number and si_code of a stop's siginfo, as the
// kernel laid it out (ok=false when the stop carried none).
func (e Event) StopSiginfo() (signo, code int, ok bool) {
	if e.Raw == nil || len(e.Raw.Siginfo) < 12 {
		return 0, 0, false
	}
	signo, code = siginfoSignoCode(e.Raw.Siginfo)
	return signo, code, true
}

// Poll is one non-blocking wait (wait4 with WNOHANG) for pid (-1: any):
// ok=false when nothing is pending. Passed signals are re-injected and not
// returned, as by Wait.
func (tr *Tracer) Poll(pid int) (ev Event, ok bool, err error) {
	tr.tb.Helper()
	tr.do(func() {
		if q := tr.pending[pid]; pid != -1 && len(q) > 0 {
			ev, ok, tr.pending[pid] = q[0], true, q[1:]
			return
		}
		for {
			wpid, status, e := pollWait(pid)
			if e != nil || wpid <= 0 {
				err = e
				return
			}
			evs := tr.decoded(wpid, status, nil, "wait4(WNOHANG)")
			if len(evs) == 0 {
				continue
			}
			ev = evs[0]
			tr.pending[wpid] = append(evs[1:], tr.pending[wpid]...)
			if ev.Kind == Stopped && tr.pass[ev.Sig] {
				tr.passed = append(tr.passed, ev)
				if err = resume(ev.Pid, ev.Sig); err != nil {
					err = fmt.Errorf("re-injecting %v: %w", ev, err)
					return
				}
				continue
			}
			ok = true
			return
		}
	})
	var broken string
	if ok {
		tr.do(func() {
			broken = tr.checkReport(ev)
			if ev.Terminal() {
				tr.died(ev.Pid)
			}
		})
	}
	if broken != "" {
		tr.tb.Fatalf("%s", broken)
	}
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

// pollWait is wait4(pid, WNOHANG), the same call on both kernels; wpid 0:
// nothing to report.
func pollWait(pid int) (int, uint32, error) {
	var ws unix.WaitStatus
	for {
		wpid, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		return wpid, uint32(ws), err
	}
}
