package expect

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"ptracesuite/atfshim"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// The signal state a scenario set up is the kernel's to keep: at every
// stop of the scenario's processes the stopped LWP's blocked set and the
// process's ignore set must be exactly what the scenario holds at that
// point, as the scenario itself reported it (never only the one signal a
// case is about).

// ReportSignalState reports the calling thread's blocked set and the
// process's ignore set under key, for ReportedSignalState (scenario side,
// on the thread whose mask counts).
func ReportSignalState(c *tracee.Ctx, key string) {
	blocked, ignored, err := raw.SignalState()
	c.Check("read the signal state", err)
	c.Report(key, fmt.Sprintf("%#x,%#x", blocked, ignored))
}

// ReportCreatingMask reports under key the blocked set the thread holds
// inside a creating call of package raw (raw.CreatingMask).
func ReportCreatingMask(c *tracee.Ctx, key string) {
	m, err := raw.CreatingMask()
	c.Check("read the creating mask", err)
	c.Report(key, fmt.Sprintf("%#x", m))
}

// ReportedSignalState reads what ReportSignalState reported under key.
func ReportedSignalState(t *atfshim.T, p *tracer.Proc, key string) tracer.SigState {
	t.Helper()
	v := p.Report(key)
	b, i, ok := strings.Cut(v, ",")
	blocked, err1 := strconv.ParseUint(b, 0, 64)
	ignored, err2 := strconv.ParseUint(i, 0, 64)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("tracee %q reported %s=%q, not \"blocked,ignored\"", p.Scenario, key, v)
	}
	return tracer.SigState{Blocked: tracer.SigSet(blocked), Ignored: tracer.SigSet(ignored)}
}

// ReportedMask reads what ReportCreatingMask reported under key.
func ReportedMask(t *atfshim.T, p *tracer.Proc, key string) tracer.SigSet {
	t.Helper()
	v := p.Report(key)
	m, err := strconv.ParseUint(v, 0, 64)
	if err != nil {
		t.Fatalf("tracee %q reported %s=%q, not a mask", p.Scenario, key, v)
	}
	return tracer.SigSet(m)
}

// StopSignalState reads the signal state of a process stopped at ev: its
// ignore set (per process) and the blocked set of the LWP that stopped
// (per LWP: NetBSD PT_LWPSTATUS, Linux /proc/PID/task/TID/status). Where
// the kernel has no per-LWP request, kinfo_proc2's p_sigmask is used only
// for a process of one LWP, whose mask it then is; otherwise maskWhy says
// why the blocked set could not be read.
func StopSignalState(tr *tracer.Tracer, ev tracer.Event) (st tracer.SigState, maskWhy string) {
	st = tr.SignalState(ev.Pid)
	blocked, why := tr.LwpBlocked(ev.Pid, ev.Lwp)
	if why == "" {
		st.Blocked = blocked
		return st, ""
	}
	if l := tr.LwpInfo(ev.Pid); len(l) == 1 {
		return st, ""
	}
	return st, fmt.Sprintf("pid %d has several LWPs and this kernel no per-LWP mask (%s)", ev.Pid, why)
}

// SigChange says, in signal names, what got lost and gained against want
// ("the blocked set lost SIGUSR1, gained SIGTRAP; the ignore set lost
// SIGTRAP"), or "" when they are the same. checkMask false leaves the
// blocked sets out.
func SigChange(want, got tracer.SigState, checkMask bool) string {
	var parts []string
	if checkMask {
		if s := setChange(want.Blocked, got.Blocked); s != "" {
			parts = append(parts, "the blocked set "+s)
		}
	}
	if s := setChange(want.Ignored, got.Ignored); s != "" {
		parts = append(parts, "the ignore set "+s)
	}
	return strings.Join(parts, "; ")
}

func setChange(want, got tracer.SigSet) string {
	var parts []string
	if l := sigNames(want &^ got); l != "" {
		parts = append(parts, "lost "+l)
	}
	if g := sigNames(got &^ want); g != "" {
		parts = append(parts, "gained "+g)
	}
	return strings.Join(parts, ", ")
}

// sigNames names the signals of a set, "SIGHUP SIGUSR1".
func sigNames(s tracer.SigSet) string {
	var n []string
	for sig := 1; sig <= 64; sig++ {
		if s.Has(syscall.Signal(sig)) {
			n = append(n, tracer.SignalName(sig))
		}
	}
	return strings.Join(n, " ")
}

// StopName names the stop of ev in the kernel's words: the event
// ("PTRACE_FORK", "PTRACE_EVENT_VFORK_DONE", tracer.Kind.Kernel) or the
// stop signal ("SIGSEGV").
func StopName(ev tracer.Event) string {
	if ev.Kind == tracer.Stopped {
		return tracer.SignalName(ev.Sig)
	}
	return ev.Kind.Kernel()
}

// CheckStopState holds the signal state of the process stopped at ev
// against want and fails the case with one line naming the stop, the pid
// and the signals gained or lost ("fork: at the PTRACE_FORK stop of pid
// 123 the blocked set lost SIGUSR1"); both sets in full go to the log. A
// blocked set the kernel gives no way to read is logged as unchecked, with
// why. stop names the stop (StopName(ev) when "").
func CheckStopState(t *atfshim.T, tr *tracer.Tracer, what, stop string, ev tracer.Event, want tracer.SigState) {
	t.Helper()
	if stop == "" {
		stop = StopName(ev)
	}
	got, maskWhy := StopSignalState(tr, ev)
	if maskWhy != "" {
		t.Logf("%s: the blocked set at the %s stop of pid %d is not checked: %s", what, stop, ev.Pid, maskWhy)
	}
	if change := SigChange(want, got, maskWhy == ""); change != "" {
		t.Logf("%s: signal state at the %s stop of pid %d (LWP %d): blocked %#x, want %#x; ignored %#x, want %#x",
			what, stop, ev.Pid, ev.Lwp, uint64(got.Blocked), uint64(want.Blocked), uint64(got.Ignored), uint64(want.Ignored))
		t.Errorf("%s: at the %s stop of pid %d %s", what, stop, ev.Pid, change)
	}
}
