package tracer

import (
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

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
		var ev Event
		var ok bool
		var err error
		tr.do(func() { ev, ok, err = tr.pollOne(pid) })
		if err != nil {
			tr.tb.Fatalf("wait4(%d, WNOHANG): %v", pid, err)
		}
		if ok {
			if ev.Creates() {
				tr.Adopt(ev.Other, createdBy(ev))
			}
			return ev, true
		}
		if !time.Now().Before(deadline) {
			return Event{}, false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// pollOne returns pid's first queued report, or queues one if the kernel
// has it ready. Runs on the tracer thread.
func (tr *Tracer) pollOne(pid int) (Event, bool, error) {
	for {
		if q := tr.pending[pid]; len(q) > 0 {
			return q[0], true, nil
		}
		var ws unix.WaitStatus
		wpid, err := unix.Wait4(pid, &ws, unix.WNOHANG|unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil || wpid <= 0 {
			return Event{}, false, err
		}
		for _, ev := range tr.decoded(wpid, uint32(ws), nil, "wait4(WNOHANG)") {
			if ev.Kind == Stopped && tr.pass[ev.Sig] {
				tr.passed = append(tr.passed, ev)
				if err := resume(ev.Pid, ev.Sig); err != nil {
					return Event{}, false, err
				}
				continue
			}
			tr.pending[wpid] = append(tr.pending[wpid], ev)
		}
	}
}

// ReportedWithin reports whether the scenario has reported key, waiting up
// to d (0: only what has arrived already). Unlike Report it does not fail
// when the key does not come.
func (p *Proc) ReportedWithin(key string, d time.Duration) bool {
	p.tr.tb.Helper()
	deadline := time.Now().Add(d)
	for {
		if _, ok := p.reports[key]; ok {
			return true
		}
		var line string
		var open bool
		select {
		case line, open = <-p.lines: // whatever has arrived comes first
		default:
			left := time.Until(deadline)
			if left <= 0 {
				return false
			}
			select {
			case line, open = <-p.lines:
			case <-time.After(left):
				return false
			}
		}
		if !open {
			return false
		}
		k, v, _ := strings.Cut(line, "=")
		if k == "fail" {
			p.tr.fatalf(p, "tracee %q failed: %s", p.Scenario, v)
		}
		p.reports[k] = v
	}
}
