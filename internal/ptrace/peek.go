package ptrace

import "golang.org/x/sys/unix"

// Peek looks once for a report of pid without consuming it: the report,
// if any, stays queued for the next Wait. Passed signals are re-injected
// as by Wait. It polls with a non-blocking wait4, which both kernels
// have, whatever the tracer's flavour.
func (tr *Tracer) Peek(pid int) (ev Event, ok bool, err error) {
	tr.Do(func() { ev, ok, err = tr.pollOne(pid) })
	return ev, ok, err
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
				tr.passed = append(tr.passed, tr.keep(ev))
				if err := resume(ev.Pid, ev.Sig); err != nil {
					return Event{}, false, err
				}
				continue
			}
			tr.pending[wpid] = append(tr.pending[wpid], tr.keep(ev))
		}
	}
}
