package ptrace

import (
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// LWP requests and non-blocking waits.

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
func (tr *Tracer) LwpInfo(pid int) (l []Lwp, err error) {
	tr.Do(func() {
		l, err = lwpInfo(pid)
		l = mutLwpInfo(l)
	})
	return l, err
}

// LwpStatus lists the LWPs of a stopped tracee with their signal mask, name
// and private pointer: NetBSD by PT_LWPNEXT iteration, each checked against
// PT_LWPSTATUS of the same LWP; Linux by /proc/PID/task/TID/status.
func (tr *Tracer) LwpStatus(pid int) (l []Lwp, err error) {
	tr.Do(func() {
		l, err = lwpStatus(pid)
		tr.mutLwpMasks(pid, l)
	})
	return l, err
}

// Suspend suspends one LWP of a stopped tracee (NetBSD PT_SUSPEND); Linux
// has no such request (ErrNoRequest).
func (tr *Tracer) Suspend(pid, lwp int) error {
	var err error
	tr.Do(func() { err = suspend(pid, lwp) })
	return err
}

// ResumeLwp undoes Suspend (NetBSD PT_RESUME); Linux: ErrNoRequest.
func (tr *Tracer) ResumeLwp(pid, lwp int) error {
	var err error
	tr.Do(func() { err = resumeLwp(pid, lwp) })
	return err
}

// Stop stops a running tracee (NetBSD PT_STOP; Linux, whose PTRACE_INTERRUPT
// only works on PTRACE_SEIZE'd tracees: tgkill(pid, pid, SIGSTOP) to the
// traced thread). The caller then waits for the stop.
func (tr *Tracer) Stop(pid int) error {
	var err error
	tr.Do(func() { err = stop(pid) })
	return err
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
// returned, as by Wait; a report that breaks a promise comes back with a
// *Broken error.
func (tr *Tracer) Poll(pid int) (ev Event, ok bool, err error) {
	tr.Do(func() {
		if q := tr.pending[pid]; pid != -1 && len(q) > 0 {
			ev, ok, tr.pending[pid] = q[0], true, q[1:]
		} else {
			ev, ok, err = tr.poll(pid)
		}
		if ok {
			err = tr.checkReport(ev)
			if ev.Terminal() {
				tr.died(ev.Pid)
			}
		}
	})
	return ev, ok, err
}

// poll is Poll's wait; on the tracer thread.
func (tr *Tracer) poll(pid int) (Event, bool, error) {
	for {
		wpid, status, err := pollWait(pid)
		if err == nil && wpid <= 0 {
			if ev, ok := mutPollEmpty(pid); ok {
				return ev, true, nil
			}
		}
		if err != nil || wpid <= 0 {
			return Event{}, false, err
		}
		evs := tr.decoded(wpid, status, nil, "wait4(WNOHANG)")
		if len(evs) == 0 {
			continue
		}
		ev := evs[0]
		tr.pending[wpid] = append(tr.keepAll(evs[1:]), tr.pending[wpid]...)
		if ev.Kind == Stopped && tr.pass[ev.Sig] {
			tr.passed = append(tr.passed, tr.keep(ev))
			if err := resume(ev.Pid, ev.Sig); err != nil {
				return Event{}, false, fmt.Errorf("re-injecting %v: %w", ev, err)
			}
			continue
		}
		return ev, true, nil
	}
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
