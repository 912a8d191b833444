package lwp

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// lwpPrivate says whether the kernel reports a per-LWP private pointer
// (NetBSD pl_private, the LWP's TLS base that the scenario's LWPs set with
// _lwp_setprivate) and, if not, why.
var lwpPrivate = map[string]string{
	"netbsd": "",
	"linux":  "Linux reports no per-thread private pointer through ptrace or /proc (the TLS base is a register, fs_base/tpidr)",
}

// noSuspend names, per kernel, why PT_SUSPEND/PT_RESUME cannot be tested.
var noSuspend = map[string]string{
	"linux": "Linux has no PT_SUSPEND/PT_RESUME: each traced thread stops and resumes on its own (PTRACE_CONT per tid), so no request can suspend every thread of a process",
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{
		semantics.Both("lwpinfo0..lwpinfo3, attach_lwpinfo0..attach_lwpinfo3", "listing a stopped tracee's LWPs", "tracer.LwpRequestNamesOn", func(k string) string {
			info, _, _, _, _ := tracer.LwpRequestNamesOn(k)
			return info + ": every LWP once; only the one whose signal stopped the process is marked signalled"
		}),
		semantics.Both("lwpstatus0..lwpstatus3", "each LWP's signal mask, name and private pointer", "tracer.LwpRequestNamesOn, lwpPrivate", func(k string) string {
			_, status, _, _, _ := tracer.LwpRequestNamesOn(k)
			s := status + ": each LWP's own signal mask and name"
			if why := lwpPrivate[k]; why != "" {
				return s + "; no private pointer: " + why
			}
			return s + ", and its private pointer"
		}),
		semantics.Both("suspend_no_deadlock, resume", "suspending and resuming one LWP of a process", "tracer.LwpRequestNamesOn, noSuspend", func(k string) string {
			_, _, suspend, resume, _ := tracer.LwpRequestNamesOn(k)
			if why, ok := noSuspend[k]; ok {
				return "the cases skip: " + why
			}
			return suspend + " of every LWP, then a resume: EDEADLK; a " + suspend + "ed LWP does not run while the process does; after " + resume + " it does"
		}),
		semantics.Both("pt_stop", "stopping a running tracee", "tracer.LwpRequestNamesOn, ptStop", func(k string) string {
			_, _, _, _, stop := tracer.LwpRequestNamesOn(k)
			p := ptStop[k]
			code := "si_code not pinned down"
			if p.checkCode {
				code = "si_code " + tracer.CodeNameOn(k, p.sig, p.code)
			}
			return stop + ": a " + tracer.SignalName(p.sig) + " stop, " + code
		}),
	}
})

// stoppedInspect spawns inspect<n> and returns it at the main thread's
// self-directed SIGSTOP, with its LWP ids and the main thread's id.
func stoppedInspect(t *atfshim.T, tr *tracer.Tracer, n int) (p *tracer.Proc, lwps []int, main int) {
	p = tr.Spawn(fmt.Sprintf("inspect%d", n))
	tr.Cont(p.Pid, 0)
	// The ids are on the pipe before the stop.
	ev := tr.Wait(p.Pid)
	if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
		t.Fatalf("inspect%d: expected the main thread's SIGSTOP, got %v", n, ev)
	}
	lwps, err := parseIDs(p.Report("lwps"))
	if err != nil {
		t.Fatalf("%v", err)
	}
	main = p.ReportInt("main")
	if len(lwps) != n {
		t.Fatalf("inspect%d reported %d LWPs", n, len(lwps))
	}
	return p, lwps, main
}

// finishInspect resumes the tracee and expects it to join its LWPs and exit.
func finishInspect(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc) {
	tr.Cont(p.Pid, 0)
	trace := tr.Follow(p.Pid, nil)
	evs := trace.ByPid[p.Pid]
	if len(evs) == 0 || tracer.Diff(tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, evs[len(evs)-1]) != "" {
		t.Errorf("after inspection the tracee must join its LWPs and exit %d, got %v", scenarioExit, evs)
	}
	tr.ExpectNoChildren(p.Pid)
}

// index maps LWP ids to their entries; an id listed twice is a failure.
func index(t *atfshim.T, req string, l []tracer.Lwp) map[int]tracer.Lwp {
	m := map[int]tracer.Lwp{}
	for _, x := range l {
		if _, dup := m[x.ID]; dup {
			t.Errorf("%s listed LWP %d twice", req, x.ID)
		}
		m[x.ID] = x
	}
	return m
}

func init() {
	for n := 0; n <= 3; n++ {
		atfshim.DeclareSub(TestLwpinfo, fmt.Sprintf("lwpinfo%d", n), atfshim.Meta{
			Descr:   fmt.Sprintf("PT_LWPINFO (Linux /proc/PID/task) of a tracee with %d LWPs of its own: every LWP listed once, the signalled one is the thread that stopped", n),
			Timeout: caseTimeout,
		})
		atfshim.DeclareSub(TestLwpstatus, fmt.Sprintf("lwpstatus%d", n), atfshim.Meta{
			Descr:   fmt.Sprintf("PT_LWPNEXT + PT_LWPSTATUS (Linux /proc/PID/task/TID/status) of a tracee with %d LWPs: each LWP's own signal mask, name and private pointer", n),
			Timeout: caseTimeout,
		})
	}
}

// TestLwpinfo: NetBSD's traceme_lwpinfo0..3. The kernel iterates every LWP
// exactly once, and marks as signalled (PL_EVENT_SIGNAL) only the LWP whose
// signal stopped the process. Linux analog: /proc/PID/task lists every
// thread, and only the thread in its signal-delivery-stop is in a ptrace
// stop (state 't'). The Go runtime's own LWPs are listed too; only the
// scenario's are named in the check.
func TestLwpinfo(t *testing.T) {
	for n := 0; n <= 3; n++ {
		atfshim.RunSub(t, fmt.Sprintf("lwpinfo%d", n), func(t *atfshim.T) {
			tr := tracer.New(t)
			p, lwps, main := stoppedInspect(t, tr, n)
			checkLwpinfo(t, tr, p.Pid, lwps, main)
			finishInspect(t, tr, p)
		})
	}
}

// checkLwpinfo: listing pid's LWPs names main and every one of lwps once,
// and marks main, whose SIGSTOP stopped the process, as the only signalled
// LWP.
func checkLwpinfo(t *atfshim.T, tr *tracer.Tracer, pid int, lwps []int, main int) {
	t.Helper()
	req, _, _, _, _ := tracer.LwpRequestNames()
	all := tr.LwpInfo(pid)
	got := index(t, req, all)
	for _, id := range append([]int{main}, lwps...) {
		l, ok := got[id]
		switch {
		case !ok:
			t.Errorf("%s did not list LWP %d (listed: %v)", req, id, all)
		case id == main && !l.Signalled:
			t.Errorf("%s: LWP %d stopped the process with SIGSTOP but is not the signalled one", req, id)
		case id != main && l.Signalled:
			t.Errorf("%s: LWP %d is marked signalled, but only LWP %d stopped", req, id, main)
		}
	}
	for _, l := range all {
		if l.Signalled && l.ID != main {
			t.Errorf("%s: LWP %d (not the scenario's) is marked signalled; only LWP %d stopped", req, l.ID, main)
		}
	}
}

func init() {
	for n := 0; n <= 3; n++ {
		atfshim.DeclareSub(TestAttachLwpinfo, fmt.Sprintf("attach_lwpinfo%d", n), atfshim.Meta{
			Descr:   fmt.Sprintf("PT_LWPINFO (Linux /proc/PID/task) by a tracer that attached (not the parent): at the attach stop the signalled LWPs per kernel; after the tracee made %d LWPs and stopped, every LWP is listed once, the signalled one is the thread that stopped", n),
			Timeout: caseTimeout,
		})
	}
}

// Which LWPs the listing marks signalled at the stop PT_ATTACH produces.
const (
	// signalledAll: the attach SIGSTOP is posted to the process, not to
	// an LWP (psi_lwpid 0), and the listing marks every LWP of the
	// stopped process PL_EVENT_SIGNAL (measured on 8.99.25 with a Go
	// tracee of 4 LWPs; NetBSD's attach_lwpinfo checks only the first
	// LWP, of a tracee that has one).
	signalledAll = "every LWP"
	// signalledOne: PTRACE_ATTACH traces and stops one thread, the one
	// attached ('t' in /proc); the process's others are in its group
	// stop ('T').
	signalledOne = "exactly the attached LWP"
)

var attachSignalled = map[string]string{"netbsd": signalledAll, "linux": signalledOne}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("attach_lwpinfo0..attach_lwpinfo3", "the LWPs the listing marks signalled at the attach stop",
		"attachSignalled", func(k string) string { return attachSignalled[k] })}
})

// TestAttachLwpinfo: NetBSD's attach_lwpinfo0..3. A debugger attaches to a
// running program (its launcher is the parent), which then makes its LWPs
// and stops: the kernel must list for the attached tracer exactly what it
// lists for a parent tracer. At the attach stop itself the signalled LWPs
// are the kernel's attachSignalled.
func TestAttachLwpinfo(t *testing.T) {
	for n := 0; n <= 3; n++ {
		atfshim.RunSub(t, fmt.Sprintf("attach_lwpinfo%d", n), func(t *atfshim.T) {
			tr := tracer.New(t)
			req, _, _, _, _ := tracer.LwpRequestNames()
			l := tr.Start("launch", tracee.EnvTarget+fmt.Sprintf("=inspect%d_attached", n))
			pid := l.ReportInt("target")
			tr.Adopt(pid, "launched inspect")
			l.Report("awaiting_go")
			stop := tr.Attach(pid)
			if !expect.Same(t, "PT_ATTACH to a running process must stop it with SIGSTOP", expect.AttachStop[runtime.GOOS], stop) {
				t.FailNow()
			}
			var signalled, listed []int
			for _, x := range tr.LwpInfo(pid) {
				listed = append(listed, x.ID)
				if x.Signalled {
					signalled = append(signalled, x.ID)
				}
			}
			switch attachSignalled[runtime.GOOS] {
			case signalledAll:
				if len(signalled) != len(listed) || len(listed) == 0 {
					t.Errorf("%s at the attach stop: signalled LWPs %v of %v, want every LWP (the SIGSTOP is the process's, psi_lwpid %d)", req, signalled, listed, stop.Lwp)
				}
			case signalledOne:
				if len(signalled) != 1 || (stop.Lwp != 0 && signalled[0] != stop.Lwp) {
					t.Errorf("%s at the attach stop: signalled LWPs %v of %v, want exactly the one the SIGSTOP stopped (LWP %d)", req, signalled, listed, stop.Lwp)
				}
			default:
				t.Fatalf("no rule written down for the LWPs signalled at the attach stop on %s", runtime.GOOS)
			}
			tr.Cont(pid, 0)
			l.Go()
			if ev := tr.Wait(pid); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
				t.Fatalf("inspect%d_attached: expected the main thread's SIGSTOP, got %v", n, ev)
			}
			lwps, err := parseIDs(l.Report("lwps"))
			if err != nil {
				t.Fatalf("%v", err)
			}
			if len(lwps) != n {
				t.Fatalf("inspect%d_attached reported %d LWPs", n, len(lwps))
			}
			checkLwpinfo(t, tr, pid, lwps, l.ReportInt("main"))
			tr.Cont(pid, 0)
			evs := tr.Follow(pid, nil).ByPid[pid]
			if len(evs) == 0 || tracer.Diff(tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, evs[len(evs)-1]) != "" {
				t.Errorf("after inspection the tracee must join its LWPs and exit %d, got %v", scenarioExit, evs)
			}
			if st := l.ReportInt("target_status"); st != scenarioExit<<8 {
				t.Errorf("the tracee's own parent saw wait status %#x, want exit %d", st, scenarioExit)
			}
			expect.Same(t, "the launcher must exit 0", tracer.Event{Kind: tracer.Exited}, tr.Wait(l.Pid))
			tr.ExpectNoChildren(pid)
		})
	}
}

// TestLwpstatus: NetBSD's traceme_lwpnext0..3 with _pl_sigmask, _pl_name
// and _pl_private (and the lwpinfo*_lwpstatus variants): the status is per
// LWP. The scenario's LWPs block every signal the kernel lets them (not
// SIGKILL), its main thread blocks none of SIGUSR2; each LWP has the name
// the scenario gave it and the private pointer it set.
func TestLwpstatus(t *testing.T) {
	for n := 0; n <= 3; n++ {
		atfshim.RunSub(t, fmt.Sprintf("lwpstatus%d", n), func(t *atfshim.T) {
			tracer.Needs(t, nbabi.FeatureLwpStatus)
			tr := tracer.New(t)
			p, lwps, main := stoppedInspect(t, tr, n)
			_, req, _, _, _ := tracer.LwpRequestNames()
			got := index(t, req, tr.LwpStatus(p.Pid))
			if m, ok := got[main]; !ok {
				t.Errorf("%s did not list the main LWP %d", req, main)
			} else if m.Sigmask.Has(syscall.SIGUSR2) {
				t.Errorf("%s: the main LWP %d has SIGUSR2 blocked (mask %#x); it never blocked it", req, main, uint64(m.Sigmask))
			}
			whyNoPrivate := lwpPrivate[runtime.GOOS]
			for i, id := range lwps {
				l, ok := got[id]
				if !ok {
					t.Errorf("%s did not list LWP %d", req, id)
					continue
				}
				if !l.Sigmask.Has(syscall.SIGUSR2) || !l.Sigmask.Has(syscall.SIGTRAP) || l.Sigmask.Has(syscall.SIGKILL) {
					t.Errorf("%s: LWP %d blocks every signal but SIGKILL and SIGSTOP, got mask %#x", req, id, uint64(l.Sigmask))
				}
				if l.Name != threadName(i) {
					t.Errorf("%s: LWP %d is named %q, the scenario named it %q", req, id, l.Name, threadName(i))
				}
				if whyNoPrivate == "" && l.Private != raw.ThreadPrivate(i) {
					t.Errorf("%s: LWP %d private pointer %#x, it set %#x", req, id, l.Private, raw.ThreadPrivate(i))
				}
			}
			if whyNoPrivate != "" {
				t.Logf("private pointer not checked: %s", whyNoPrivate)
			}
			finishInspect(t, tr, p)
		})
	}
}

var _ = atfshim.Declare(TestSuspendNoDeadlock, atfshim.Meta{
	Descr:   "PT_SUSPEND of every LWP, then PT_CONTINUE fails with EDEADLK; PT_RESUME of them lets the process run to its exit",
	Timeout: caseTimeout,
})

// TestSuspendNoDeadlock: NetBSD's suspend_no_deadlock. Resuming a process
// whose every LWP is suspended would leave it stopped for ever, so the
// kernel must refuse (EDEADLK). A Go process has the runtime's LWPs besides
// the scenario's, so all of them are suspended.
func TestSuspendNoDeadlock(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why, ok := noSuspend[runtime.GOOS]; ok {
			t.Skipf("%s", why)
		}
		tr := tracer.New(t)
		p, _, _ := stoppedInspect(t, tr, 1)
		_, _, sus, res, _ := tracer.LwpRequestNames()
		all := tr.LwpInfo(p.Pid)
		for _, l := range all {
			if err := tr.Suspend(p.Pid, l.ID); err != nil {
				t.Fatalf("%s(lwp %d): %v", sus, l.ID, err)
			}
		}
		if err := tr.TryCont(p.Pid, 0); !errors.Is(err, syscall.EDEADLK) {
			t.Fatalf("continuing a process whose %d LWPs are all suspended: want EDEADLK, got %v", len(all), err)
		}
		for _, l := range all {
			if err := tr.ResumeLwp(p.Pid, l.ID); err != nil {
				t.Fatalf("%s(lwp %d): %v", res, l.ID, err)
			}
		}
		finishInspect(t, tr, p)
	})
}

// ptStop is the stop a tracer's stop request produces, per kernel. NetBSD
// PT_STOP posts SIGSTOP to the process; its si_code is not pinned (NetBSD's
// own pt_kill test checks only the signal), so Code is not compared there.
var ptStop = map[string]struct {
	sig       int
	code      int
	checkCode bool
}{
	"netbsd": {sig: int(syscall.SIGSTOP)},
	"linux":  {sig: int(syscall.SIGSTOP), code: -6, checkCode: true}, // SI_TKILL from tgkill
}

var _ = atfshim.Declare(TestPtStop, atfshim.Meta{
	Descr:   "PT_STOP (Linux: tgkill SIGSTOP to the traced thread) stops a running tracee with SIGSTOP; it is then killed",
	Timeout: caseTimeout,
})

// TestPtStop: the PT_STOP half of NetBSD's pt_kill. A debugger interrupts
// a running program with it.
func TestPtStop(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		want := kernelData(t, "PT_STOP expectations", ptStop)
		tracer.Needs(t, nbabi.FeatureStop)
		tr := tracer.New(t)
		p := tr.Spawn("running")
		tr.Cont(p.Pid, 0)
		p.Report("running")
		tr.Stop(p.Pid)
		ev := tr.Wait(p.Pid)
		if ev.Kind != tracer.Stopped || ev.Sig != want.sig || (want.checkCode && ev.Code != want.code) {
			_, _, _, _, req := tracer.LwpRequestNames()
			t.Errorf("%s of a running tracee: want a %s stop (si_code %d checked: %v), got %v",
				req, tracer.SignalName(want.sig), want.code, want.checkCode, ev)
		}
		tr.Kill(p.Pid)
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Killed || ev.Sig != int(syscall.SIGKILL) || ev.Core {
			t.Errorf("after the stop, a kill must end the tracee by SIGKILL, without a core (a SIGKILL never dumps), got %v", ev)
		}
		tr.ExpectNoChildren(p.Pid)
	})
}

var _ = atfshim.Declare(TestResume, atfshim.Meta{
	Descr:   "a PT_SUSPENDed LWP does not run while the process is continued; PT_STOP stops the process, PT_RESUME lets the LWP run and its SIGUSR2 is reported from it",
	Timeout: caseTimeout,
})

// TestResume: NetBSD's resume. A debugger freezes one thread while the
// others run; the frozen thread must do nothing until it is resumed.
func TestResume(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why, ok := noSuspend[runtime.GOOS]; ok {
			t.Skipf("%s", why)
		}
		tracer.Needs(t, nbabi.FeatureStop)
		_, _, sus, res, stopReq := tracer.LwpRequestNames()
		tr := tracer.New(t)
		p := tr.Spawn("suspend_raise")
		tr.Cont(p.Pid, 0)
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
			t.Fatalf("expected the main thread's SIGSTOP, got %v", ev)
		}
		lwps, err := parseIDs(p.Report("lwps"))
		if err != nil || len(lwps) != 1 {
			t.Fatalf("suspend_raise reported LWPs %v (%v)", lwps, err)
		}
		lwp := lwps[0]
		if err := tr.Suspend(p.Pid, lwp); err != nil {
			t.Fatalf("%s(lwp %d): %v", sus, lwp, err)
		}
		tr.Cont(p.Pid, 0)
		// For a second the released LWP must not run: no SIGUSR2 from it.
		deadline := time.Now().Add(time.Second)
		for {
			ev, ok := tr.PollUntil(p.Pid, deadline)
			if !ok {
				break
			}
			if ev.Lwp == lwp || ev.Terminal() {
				t.Fatalf("LWP %d is suspended, yet the process reported %v", lwp, ev)
			}
			tr.Cont(p.Pid, 0)
		}
		tr.Stop(p.Pid)
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
			t.Fatalf("%s: want a SIGSTOP stop, got %v", stopReq, ev)
		}
		if err := tr.ResumeLwp(p.Pid, lwp); err != nil {
			t.Fatalf("%s(lwp %d): %v", res, lwp, err)
		}
		tr.Cont(p.Pid, 0)
		for {
			ev := tr.Wait(p.Pid)
			if ev.Terminal() {
				t.Fatalf("the process ended before the resumed LWP %d raised SIGUSR2: %v", lwp, ev)
			}
			if ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGUSR2) {
				if ev.Lwp != lwp {
					t.Errorf("SIGUSR2 reported from LWP %d, the resumed LWP is %d", ev.Lwp, lwp)
				}
				break
			}
			tr.Cont(p.Pid, 0)
		}
		finishInspect(t, tr, p)
	})
}
