package lwp

import (
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// execRules is what a tracer sees when one LWP execs while two others wait
// (mask LWP_CREATE|LWP_EXIT), per kernel.
type execRules struct {
	sleeper func(lwp int) []tracer.Event // an LWP the exec ends
	execer  func(lwp int) []tracer.Event // the LWP that execs, before it does
	process []tracer.Event               // the process's own reports (after the creates)
}

var kernelExec = map[string]execRules{
	// NetBSD (threads_and_exec): each LWP's create, the exit of the LWPs
	// the exec ends, then SIGTRAP TRAP_EXEC; the new image exits 0.
	"netbsd": {
		sleeper: func(l int) []tracer.Event {
			return []tracer.Event{{Kind: tracer.LwpCreate, Other: l}, {Kind: tracer.LwpExit, Other: l}}
		},
		execer:  func(l int) []tracer.Event { return []tracer.Event{{Kind: tracer.LwpCreate, Other: l}} },
		process: []tracer.Event{{Kind: tracer.Exec}, {Kind: tracer.Exited}},
	},
	// Linux (ptrace(2), "execve(2) under ptrace"): the creates are the
	// main thread's PTRACE_EVENT_CLONE reports (see kernelLwps); the main thread and the
	// waiting threads, killed by de_thread, stop in PTRACE_EVENT_EXIT with
	// status 0; the waiting threads then report their death as an exit 0,
	// the main thread never does; the execing thread takes over the main thread's pid, where the
	// legacy post-execve SIGTRAP (PTRACE_O_TRACEEXEC unset) and then the
	// new image's exit are reported.
	"linux": {
		sleeper: func(l int) []tracer.Event {
			return []tracer.Event{{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: siUser},
				{Kind: tracer.ExitEvent}, {Kind: tracer.Exited}}
		},
		execer: func(l int) []tracer.Event {
			return []tracer.Event{{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: siUser}}
		},
		process: []tracer.Event{{Kind: tracer.ExitEvent},
			{Kind: tracer.Stopped, Sig: int(syscall.SIGTRAP), Code: siUser},
			{Kind: tracer.ExitEvent}, {Kind: tracer.Exited}},
	},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("threads_and_exec", "one LWP execs while two others wait, under the mask LWP_CREATE|LWP_EXIT", "kernelExec",
		func(k string) string {
			r := kernelExec[k]
			return "each waiting LWP, which the exec ends: " + evWords(k, r.sleeper(docLwp)) +
				"\nthe LWP that execs, before it does: " + evWords(k, r.execer(docLwp)) +
				"\nthe process (after the creates): " + evWords(k, r.process)
		})}
})

var _ = atfshim.Declare(TestThreadsAndExec, atfshim.Meta{
	Descr:   "an LWP execs while two other LWPs wait: each LWP's create, the end of the other LWPs, then the exec stop, and the new image runs to exit 0",
	Timeout: caseTimeout,
})

// TestThreadsAndExec: NetBSD's threads_and_exec. A debugger following
// threads must learn that an exec ended every other thread before it sees
// the new image.
func TestThreadsAndExec(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		r := kernelData(t, "exec expectations", kernelExec)
		lr := rules(t)
		lr.gateExit(t, lwpBoth)
		tr := tracer.New(t)
		p := spawnMasked(tr, "threads_exec", lwpBoth)

		// The LWP ids come over the pipe while the tracer keeps the
		// tracee running; the exec is released (go) only once every
		// scenario LWP has been reported created, so that the exec ends
		// LWPs that run, not ones still in their first stop.
		type lwpIDs struct{ sleepers, execer []int }
		idc := make(chan lwpIDs, 1)
		go func() {
			s, err1 := parseIDs(p.Report("sleepers"))
			e, err2 := parseIDs(p.Report("execer"))
			if err1 == nil && err2 == nil && len(e) == 1 {
				idc <- lwpIDs{s, e}
			}
			close(idc)
		}()
		var known *lwpIDs
		var order []tracer.Event
		released := false
		release := func() {
			if known == nil {
				select {
				case k, ok := <-idc:
					if !ok {
						t.Fatalf("threads_exec did not report its LWP ids")
					}
					known = &k
				default:
					return
				}
			}
			if released {
				return
			}
			all := append(append([]int(nil), known.sleepers...), known.execer...)
			got := byLwp(lr, order, p.Pid, all)
			for i, l := range all {
				if len(got[lwpKey(i, l)]) < len(r.execer(l)) {
					return
				}
			}
			p.Go()
			released = true
		}
		deadline := time.Now().Add(caseTimeout - 5*time.Second)
		for !t.Failed() {
			// Poll, not wait: the tracer must notice the reported ids
			// while the tracee runs.
			ev, ok := tr.PollUntil(-1, time.Now().Add(10*time.Millisecond))
			if !ok {
				if time.Now().After(deadline) {
					t.Fatalf("no report from the tracee for a long time (released %v, reports so far %v)", released, order)
				}
				release()
				continue
			}
			order = append(order, ev)
			if ev.Terminal() {
				if ev.Pid == p.Pid {
					break
				}
				continue
			}
			// An LWP the exec ends may be gone before it is resumed.
			if err := tr.TryCont(ev.Pid, 0); err != nil && !(err == syscall.ESRCH && ev.Pid != p.Pid) {
				t.Fatalf("resuming %v: %v", ev, err)
			}
			release()
		}
		if known == nil {
			t.Fatalf("the exec happened before the scenario reported its LWPs")
		}
		all := append(known.sleepers, known.execer...)
		var creates []tracer.Event
		if lr.createOnCreator {
			for _, l := range all {
				creates = append(creates, lr.create(l))
			}
		}
		want := map[string][]tracer.Event{"process": append(creates, r.process...)}
		for i, l := range all {
			if i < len(known.sleepers) {
				want[lwpKey(i, l)] = r.sleeper(l)
			} else {
				want[lwpKey(i, l)] = r.execer(l)
			}
		}
		got := byLwp(lr, order, p.Pid, all)
		if line, full := expect.RoleDiff(want, got); line != "" {
			t.Logf("reports by LWP (-want +got):\n%s", full)
			t.Errorf("exec from an LWP breaks the kernel's contract: %s", line)
		}
		// Nothing about a scenario LWP may come after the exec stop.
		execAt := -1
		for i, ev := range order {
			if ev.Pid == p.Pid && (ev.Kind == tracer.Exec || (ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGTRAP))) {
				execAt = i
				break
			}
		}
		mine := map[int]bool{}
		for _, l := range all {
			mine[l] = true
		}
		for i := execAt + 1; execAt >= 0 && i < len(order); i++ {
			if id, isLwp := lr.owner(order[i], p.Pid); isLwp && mine[id] {
				t.Errorf("%v about a pre-exec LWP came after the exec stop %v", order[i], order[execAt])
			}
		}
		tr.ExpectNoChildren(p.Pid)
	})
}
