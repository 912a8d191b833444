package kill

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// stopAt is, on one kernel, how the tracer reaches an event stop: the
// event mask it sets at the ready point and the report it acts at.
type stopAt struct {
	Mask tracer.Mask
	Kind tracer.Kind
	// Thread: the report comes from an LWP other than the process's first
	// (Linux reports a thread's PTRACE_EVENT_EXIT from the thread itself).
	Thread bool
	// Note says how the stop differs from NetBSD's, for the docs.
	Note string
}

// eventStop is one row of the matrix: a stop the suite reaches, per kernel.
type eventStop struct {
	name     string // case-ident suffix
	scenario string
	// syscalls: the tracer resumes with PT_SYSCALL (PTRACE_SYSCALL), so
	// every system call stops at its entry and exit.
	syscalls bool
	// holdChild: the stop announces a child that the tracer keeps at its
	// first report and kills with the same call once it has killed the
	// creator (the vforker at VFORK_DONE has no child left to hold).
	holdChild bool
	// exec: the tracer asks for the exec event (TraceExec).
	exec bool
	at   map[string]stopAt
	// race: a kernel race of PT_KILL at the stop before its fix (NetBSD):
	// the PT_KILL case runs there only with racy=true.
	race expect.RaceBefore
	// stopRace: a race of reaching the stop itself, for both cases.
	stopRace expect.RaceBefore
	// needs: features the stop needs (NetBSD revisions).
	needs []nbabi.Feature
}

// killAtCreation is the race fork_kill_forker and vfork_kill_vforker(done)
// are gated on: before NetBSD 10.0 a creator stopped in fork1() by
// sigswitch() does not always act on the SIGKILL PT_KILL leaves.
var killAtCreation = expect.RaceBefore{Fix: nbabi.FixKillAtEventStop,
	Race: "PT_KILL at a fork/vfork/vfork-done event stop kills the creator in some runs only"}

// killAtExec: PT_KILL at the TRAP_EXEC stop of 8.99.25 did not kill in 2
// of 2 runs (kill(SIGKILL) did); PT_KILL at the other sigswitch() stops of
// that kernel kills in some runs only, so this is taken for the same race.
var killAtExec = expect.RaceBefore{Fix: nbabi.FixKillAtExecStop,
	Race: "PT_KILL at the exec stop does not kill the process (in every run measured, 2)"}

// lwpExitShared is the race of the kernels whose LWP_EXIT is per-process
// state and a queued SIGTRAP (every case with LWP_EXIT in its mask is
// gated on it): measured on 8.99.25, the process killed at its LWP_EXIT
// stop was never reported again, with PT_KILL and with kill(SIGKILL).
var lwpExitShared = expect.RaceBefore{Fix: nbabi.FixLwpEventStops,
	Race: "exiting LWPs share p_lwp_exited and one queued SIGTRAP: the process hangs after its LWP_EXIT stop"}

// syscallNumber: the syscall rows find the scenario's getpid by its number
// in the stop's siginfo.
var syscallNumber = []nbabi.Feature{nbabi.FeatureSyscallSiginfo}

// linuxSpawn: Linux has no posix_spawn system call; glibc and Go spawn with
// clone(CLONE_VM|CLONE_VFORK) and exec, which the kernel reports as a
// vfork.
const linuxSpawn = "Linux has no PTRACE_POSIX_SPAWN: posix_spawn is clone(CLONE_VM|CLONE_VFORK) + exec there, reported as PTRACE_EVENT_VFORK"

var eventStops = []eventStop{
	{name: "fork", scenario: "fork", holdChild: true, race: killAtCreation, at: map[string]stopAt{
		"netbsd": {Mask: tracer.MaskFork, Kind: tracer.Fork},
		"linux":  {Mask: tracer.MaskFork, Kind: tracer.Fork}}},
	{name: "vfork", scenario: "vfork", holdChild: true, race: killAtCreation, at: map[string]stopAt{
		"netbsd": {Mask: tracer.MaskVfork, Kind: tracer.Vfork},
		"linux":  {Mask: tracer.MaskVfork, Kind: tracer.Vfork}}},
	{name: "vfork_done", scenario: "vfork", race: killAtCreation, stopRace: expect.VforkDoneQueued, at: map[string]stopAt{
		"netbsd": {Mask: tracer.MaskVforkDone, Kind: tracer.VforkDone},
		"linux":  {Mask: tracer.MaskVforkDone, Kind: tracer.VforkDone}}},
	{name: "spawn", scenario: "spawn", holdChild: true, needs: []nbabi.Feature{nbabi.FeatureSpawnEvent}, at: map[string]stopAt{
		"netbsd": {Mask: tracer.MaskSpawn, Kind: tracer.Spawn},
		"linux":  {Mask: tracer.MaskVfork, Kind: tracer.Vfork, Note: linuxSpawn}}},
	{name: "lwp_create", scenario: "lwp", at: map[string]stopAt{
		"netbsd": {Mask: tracer.MaskLwpCreate, Kind: tracer.LwpCreate},
		"linux":  {Mask: tracer.MaskLwpCreate, Kind: tracer.Clone, Note: "PTRACE_EVENT_CLONE of the creating thread (PTRACE_O_TRACECLONE)"}}},
	{name: "lwp_exit", scenario: "lwp", stopRace: lwpExitShared, at: map[string]stopAt{
		"netbsd": {Mask: tracer.MaskLwpExit, Kind: tracer.LwpExit},
		"linux": {Mask: tracer.MaskLwpCreate | tracer.MaskLwpExit, Kind: tracer.ExitEvent, Thread: true,
			Note: "PTRACE_EVENT_EXIT of the exiting thread, traced from its creation (PTRACE_O_TRACECLONE|PTRACE_O_TRACEEXIT)"}}},
	{name: "exec", scenario: "exec", exec: true, race: killAtExec, at: map[string]stopAt{
		"netbsd": {Kind: tracer.Exec, Note: "TRAP_EXEC is always reported"},
		"linux":  {Kind: tracer.Exec, Note: "PTRACE_O_TRACEEXEC"}}},
	{name: "syscall_entry", scenario: "syscall", syscalls: true, needs: syscallNumber, at: map[string]stopAt{
		"netbsd": {Kind: tracer.SyscallEntry},
		"linux":  {Kind: tracer.SyscallEntry}}},
	{name: "syscall_exit", scenario: "syscall", syscalls: true, needs: syscallNumber, at: map[string]stopAt{
		"netbsd": {Kind: tracer.SyscallExit},
		"linux":  {Kind: tracer.SyscallExit}}},
}

// killedExitStop: a thread killed while it is not at its exit stop stops
// once more at PTRACE_EVENT_EXIT, its pending wait status that of death by
// SIGKILL, when the tracer asked for exit stops (Linux: ptrace(2), "Stop
// before exit (including death from exit_group(2), signal death, or exit
// caused by execve(2) in a multithreaded process)"; measured on 6.18).
// NetBSD's PTRACE_LWP_EXIT is no stop of a killed process.
var killedExitStop = map[string]bool{"linux": true, "netbsd": false}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("kill_at_lwp_exit, sigkill_at_lwp_exit", "what a process killed while LWP exit events are on reports", "killedExitStop",
		func(k string) string {
			if killedExitStop[k] {
				return "each thread not already at its exit stop stops at PTRACE_EVENT_EXIT (status SIGKILL) once more, then is reported killed by SIGKILL"
			}
			return "killed by SIGKILL, no PTRACE_LWP_EXIT stop"
		})}
})

// killRequestRule is where each kernel's own kill request kills a stopped
// tracee: Linux's ptrace(2) calls PTRACE_KILL deprecated and documents it
// only at a signal-delivery-stop; on 6.18 it killed at every stop of the
// matrix (measured), which is what the kill_at_* cases hold it to.
var killRequestRule = map[string]string{
	"netbsd": "PT_KILL kills at every stop (sys/kern/sys_ptrace_common.c: PT_KILL is PT_CONTINUE with SIGKILL)",
	"linux":  "PTRACE_KILL kills at every stop (measured on 6.18; ptrace(2) documents it only at a signal-delivery-stop and calls it deprecated)",
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("kill1, kill_at_*", "where the kernel's own kill request works", "killRequestRule",
		func(k string) string { return killRequestRule[k] })}
})

// The kill calls of the matrix: the kernel's request and kill(2).
var stopMethods = []method{ptKill, sigKill}

func stopIdent(m method, s eventStop) string { return m.name + "_at_" + s.name }

var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	for _, s := range eventStops {
		rows = append(rows, semantics.Both(stopIdent(ptKill, s)+", "+stopIdent(sigKill, s), "the stop PT_KILL (PTRACE_KILL) and kill(SIGKILL) act at: "+s.name, "eventStops",
			func(k string) string {
				a := s.at[k]
				v := a.Kind.On(k) + " stop, event mask " + a.Mask.On(k) + "; then killed by SIGKILL, nothing else"
				if a.Note != "" {
					v += " (" + a.Note + ")"
				}
				if k == "netbsd" && s.race.Fix.Name != "" {
					v += fmt.Sprintf("; before NetBSD %s (%s): a race, run only with racy=true", nbabi.OSRevisionString(s.race.Fix.Since), s.race.Fix.Name)
				}
				return v
			}))
	}
	return rows
})

func init() {
	for _, m := range stopMethods {
		for _, s := range eventStops {
			atfshim.DeclareSub(TestKillAtStop, stopIdent(m, s), atfshim.Meta{
				Descr:   fmt.Sprintf("%s of a tracee at its %s event stop: the tracer sees it (and a child the stop announces) killed by SIGKILL, without a core, and nothing else", m.what, s.name),
				Timeout: expect.CaseTimeout,
			})
		}
	}
}

// TestKillAtStop is PT_KILL (Linux PTRACE_KILL) and kill(SIGKILL) at every
// event stop the suite reaches. SIGKILL cannot be caught, blocked or held
// back by a stop: whatever stop the tracee is in, once the tracer kills it
// its next and last report is its termination by SIGKILL, with no core,
// and a child the stop announced, killed at its first report, dies the
// same way. NetBSD's suite checks this only at the creation events
// (fork_kill_forker, vfork_kill_vforker, vfork_kill_vforkerdone,
// posix_spawn_kill_spawner, which let the other side survive) and at a
// syscall entry (syscall_killed_on_sce).
func TestKillAtStop(t *testing.T) {
	for _, m := range stopMethods {
		for _, s := range eventStops {
			atfshim.RunSub(t, stopIdent(m, s), func(t *atfshim.T) {
				at, ok := s.at[runtime.GOOS]
				if !ok {
					t.Fatalf("no %s stop written down for %s", s.name, runtime.GOOS)
				}
				tracer.Needs(t, s.needs...)
				s.stopRace.Gate(t)
				if m.name == ptKill.name {
					s.race.Gate(t)
				}
				killAt(t, tracer.New(t), m, s, at)
			})
		}
	}
}

func killAt(t *atfshim.T, tr *tracer.Tracer, m method, s eventStop, at stopAt) {
	t.Helper()
	tr.Pass(syscall.SIGCHLD)
	p := tr.Spawn(s.scenario)
	root := p.Pid
	resume := func(pid int) {
		if s.syscalls {
			tr.Syscall(pid, 0)
		} else {
			tr.Cont(pid, 0)
		}
	}
	tr.SetEventMask(root, at.Mask)
	if s.exec {
		tr.TraceExec(root)
	}
	resume(root)

	var (
		acted   *tracer.Event
		live    = map[int]bool{root: true}
		threads = map[int]bool{} // Linux: the tracee's other threads
		held    []int            // children kept at their first report
		victims = map[int]bool{} // processes the case killed
		after   = map[int][]tracer.Event{}
		entered bool // syscall rows: the traced thread is inside getpid
	)
	isAt := func(ev tracer.Event) bool {
		if ev.Kind != at.Kind || (ev.Pid != root) != at.Thread {
			return false
		}
		switch ev.Kind {
		case tracer.SyscallEntry:
			return ev.Sysno == unix.SYS_GETPID
		case tracer.SyscallExit:
			return entered
		}
		return true
	}
	kill := func(pid int) {
		m.kill(tr, p, pid)
		victims[pid] = true
	}
	for len(live) > 0 && !t.Failed() {
		ev := tr.Wait(-1)
		if acted != nil && (victims[ev.Pid] || threads[ev.Pid]) {
			after[ev.Pid] = append(after[ev.Pid], ev)
		}
		if ev.Terminal() {
			delete(live, ev.Pid)
			continue
		}
		live[ev.Pid] = true
		if ev.Creates() {
			live[ev.Other] = true
			if ev.Kind == tracer.Clone {
				threads[ev.Other] = true
			}
		}
		switch {
		case acted != nil && (victims[ev.Pid] || threads[ev.Pid]) && ev.Kind == tracer.ExitEvent:
			tr.Cont(ev.Pid, 0) // the exit stop of a killed thread: on to its end
		case acted != nil && (victims[ev.Pid] || threads[ev.Pid]):
			// A stop after the kill: recorded for the check below; the
			// core's kill ends it so that the case ends.
			tr.Kill(ev.Pid)
		case acted != nil:
			kill(ev.Pid) // a child first reported after its creator was killed
		case isAt(ev):
			acted = &ev
			kill(ev.Pid)
			if ev.Pid != root {
				victims[root] = true // the thread's kill is its process's
			}
			for _, c := range held {
				kill(c)
			}
		case ev.Pid != root && !threads[ev.Pid] && s.holdChild:
			held = append(held, ev.Pid)
		default:
			if ev.Kind == tracer.SyscallEntry && ev.Pid == root {
				entered = ev.Sysno == unix.SYS_GETPID
			}
			resume(ev.Pid)
		}
	}
	if t.Failed() {
		return
	}
	if acted == nil {
		t.Fatalf("pid %d ended without the %s stop (event mask %v)", root, at.Kind.On(runtime.GOOS), at.Mask)
	}
	ended := maps.Clone(victims)
	maps.Copy(ended, threads)
	for _, pid := range slices.Sorted(maps.Keys(ended)) {
		want := []tracer.Event{killed}
		if at.Mask&tracer.MaskLwpExit != 0 && killedExitStop[runtime.GOOS] && pid != acted.Pid {
			want = []tracer.Event{{Kind: tracer.ExitEvent, Status: int(syscall.SIGKILL)}, killed}
		}
		what := fmt.Sprintf("%s of pid %d at its %s stop %v: the reports of %d after it", m.what, acted.Pid, s.name, *acted, pid)
		expect.Same(t, what, want, after[pid])
	}
	tr.ExpectNoChildren(root)
}
