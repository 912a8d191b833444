package expect

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

// Reporting is how one kernel reports one way of creating a process to a
// tracer: the contract a creation area pins down, written as data per
// kernel.
type Reporting struct {
	Kind    tracer.Kind // the event the creator and the new child report
	Bit     tracer.Mask // the event-mask bit that makes the kernel report it
	DoneBit tracer.Mask // if set: the creator also reports VforkDone when this bit is set
	// ChildFirst is the new child's first report to the tracer.
	ChildFirst func(parent int) tracer.Event
	// ChildFirstNeeds, when set, is the feature without which the kernel
	// never stops the new child for its creation: on a kernel that lacks
	// it the child's log has no ChildFirst.
	ChildFirstNeeds nbabi.Feature
	// ChildThen are the child's reports after that and before its exit.
	ChildThen []tracer.Event
	// ThenInImage: the ChildThen reports come from the image the child
	// exec'd, which starts with the creator's own mask and ignore set
	// (raw.VforkExec restores the mask before its execve; execve keeps
	// SIG_IGN), not with the mask held inside the creating call
	// (SigSetup.SignalState).
	ThenInImage bool
	// DoneRace: a kernel where the VforkDone report races with the
	// creator's other stops (cases whose mask has DoneBit).
	DoneRace RaceBefore
	// Rule is the rule in the kernel's words, for failure messages.
	Rule string
}

// SameEvent: NetBSD stops the new child with the creator's event, the other
// pid pointing back at the creator (pe_other_pid = parent), on kernels
// that have nbabi.FeatureForkeeReport (see Reporting.ChildFirstNeeds).
func SameEvent(k tracer.Kind) func(int) tracer.Event {
	return func(parent int) tracer.Event { return tracer.Event{Kind: k, Other: parent} }
}

// VforkDoneQueued is the race of NetBSD kernels whose VFORK_DONE is a
// queued SIGTRAP (nbabi.FixVforkDoneStop): its process state lives in
// p_vfpid_done, which the resume of any stop reported first (the passed
// SIGCHLD of the child's exit) clears, and the VFORK_DONE stop then reads
// as a plain SIGTRAP. Measured on 8.99.25: in about one run of three while
// the vforkee exited at once; in 45 of 45 (each kernel) with racy=true
// since the vforkee waits before its exit there (internal/raw childExit).
var VforkDoneQueued = RaceBefore{Fix: nbabi.FixVforkDoneStop,
	Race: "VFORK_DONE's state (p_vfpid_done) is cleared by the resume of a stop reported before it, leaving a plain SIGTRAP"}

// LinuxAttachStop: Linux starts an auto-attached child with a plain SIGSTOP
// (ptrace(2) "PTRACE_O_TRACEFORK ... automatically attached ... SIGSTOP");
// the child carries no event and no pointer to its parent.
func LinuxAttachStop(int) tracer.Event {
	return tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: SIUser}
}

// SIUser is SI_USER on both kernels.
const SIUser = 0

// ParentExit is the exit code of every creation scenario's parent: the
// tracer must see exactly this code, distinct from the child's 0.
const ParentExit = 5

// CaseTimeout is the timeout of a creation case.
const CaseTimeout = 30 * time.Second

// AllFour is the mask NetBSD's *_detach_* / *_kill_* families set: every
// process-creation event.
const AllFour = tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone | tracer.MaskSpawn

// Rules returns this kernel's row of a per-kernel table, or fails the case
// when nobody wrote the expectations down.
func Rules(t *atfshim.T, table map[string]map[string]Reporting, creator string) Reporting {
	t.Helper()
	r, ok := table[runtime.GOOS][creator]
	if !ok {
		t.Fatalf("no expectations written down for %s on %s", creator, runtime.GOOS)
	}
	return r
}

// MaskN is NetBSD's numbering of the 16 event-mask combinations of its
// fork1..fork16 (and vfork*, posix_spawn*, clone1..8) cases: bit 0 of N-1
// is FORK, bit 1 VFORK, bit 2 VFORK_DONE, bit 3 POSIX_SPAWN.
func MaskN(n int) tracer.Mask {
	var m tracer.Mask
	for i, bit := range []tracer.Mask{tracer.MaskFork, tracer.MaskVfork, tracer.MaskVforkDone, tracer.MaskSpawn} {
		if (n-1)&(1<<i) != 0 {
			m |= bit
		}
	}
	return m
}

// Want is the per-process event log the kernel must produce when a traced
// process creates one child under mask m and both exit normally.
func (r Reporting) Want(m tracer.Mask, parent, child int) map[string][]tracer.Event {
	w := map[string][]tracer.Event{}
	if m&r.Bit != 0 {
		w["parent"] = append(w["parent"], tracer.Event{Kind: r.Kind, Other: child})
		var first []tracer.Event
		if r.ChildFirstNeeds.Name == "" || tracer.Lacks(r.ChildFirstNeeds) == "" {
			first = []tracer.Event{r.ChildFirst(parent)}
		}
		w["child"] = append(append(first, r.ChildThen...), tracer.Event{Kind: tracer.Exited, Status: 0})
	}
	if r.DoneBit != 0 && m&r.DoneBit != 0 {
		w["parent"] = append(w["parent"], tracer.Event{Kind: tracer.VforkDone, Other: child})
	}
	w["parent"] = append(w["parent"], tracer.Event{Kind: tracer.Exited, Status: ParentExit})
	return w
}

// ByRole names the processes of a trace: the creator is "parent", the pid
// it reported as its child is "child", anything else is a stranger.
func ByRole(tr tracer.Trace, parent, child int) map[string][]tracer.Event {
	got := map[string][]tracer.Event{}
	for pid, evs := range tr.ByPid {
		role := fmt.Sprintf("unexpected pid %d", pid)
		switch pid {
		case parent:
			role = "parent"
		case child:
			role = "child"
		}
		got[role] = evs
	}
	return got
}

// RoleDiff compares per-role event logs and, where they differ, returns one
// line in the kernel's words, role by role ("parent: want [Fork(other 7)
// Exited(5)], got [Vfork(other 7) VforkDone(other 7) Exited(5)]"), and the
// full go-cmp diff for the log. Both are "" when the logs agree, and the
// line is never "" when they do not.
func RoleDiff(want, got map[string][]tracer.Event) (line, full string) {
	full = tracer.Diff(want, got)
	if full == "" {
		return "", ""
	}
	roles := map[string]bool{}
	for r := range want {
		roles[r] = true
	}
	for r := range got {
		roles[r] = true
	}
	var names []string
	for r := range roles {
		names = append(names, r)
	}
	slices.Sort(names)
	var parts []string
	for _, r := range names {
		if l, _ := differ(plain(want[r]), plain(got[r])); l != "" {
			parts = append(parts, r+": "+l)
		}
	}
	if len(parts) == 0 {
		// The logs differ only in a role that one side lists with no event.
		return "the roles differ only in one with an empty log", full
	}
	return strings.Join(parts, "; "), full
}

// Same reports whether got is what the kernel must report (want: one
// event or a log), compared with tracer.Cmp. When it is not, it logs the
// go-cmp diff and fails the case (Errorf) with one line in RoleDiff's
// words, the pids the kernel reported from shown:
//
//	PT_KILL at the crash stop: want Killed(SIGKILL, core false), got Stopped(SIGSEGV, SEGV_MAPERR)@123
//
// A caller that cannot go on after a mismatch calls t.FailNow() when it
// returns false.
func Same[L tracer.Event | []tracer.Event](t testing.TB, what string, want, got L) bool {
	t.Helper()
	line, full := differ(want, got)
	if full == "" {
		return true
	}
	t.Logf("%s (-want +got):\n%s", what, full)
	t.Errorf("%s: %s", what, line)
	return false
}

// differ is the one-line form of a difference, "want X, got Y" (each event
// as Event.String, a log in brackets), and the go-cmp diff; both "" when
// want and got agree under tracer.Cmp.
func differ[L tracer.Event | []tracer.Event](want, got L) (line, full string) {
	full = tracer.Diff(want, got)
	if full == "" {
		return "", ""
	}
	return fmt.Sprintf("want %v, got %v", want, got), full
}

// plain drops the pids the kernel reported from, so that want and got read
// alike.
func plain(evs []tracer.Event) []tracer.Event {
	out := make([]tracer.Event, len(evs))
	for i, ev := range evs {
		ev.Pid = 0
		out[i] = ev
	}
	return out
}

// The pids Describe gives Want, to say whom an event names.
const (
	docCreator = -1
	docChild   = -2
)

// Describe states r in kernel's words, for docs/SEMANTICS.md, from what
// Want makes the cases assert: one line per setting of Bit (and DoneBit)
// with what the creator and the child report (their exits left out), then
// the revision notes (ChildFirstNeeds, DoneRace) and Rule.
func (r Reporting) Describe(kernel string) string {
	type setting struct {
		m    tracer.Mask
		what string
	}
	on := func(b tracer.Mask, set bool) string {
		if set {
			return b.On(kernel) + " set"
		}
		return b.On(kernel) + " clear"
	}
	var settings []setting
	for _, bit := range []bool{true, false} {
		if r.DoneBit == 0 || r.DoneBit == r.Bit {
			settings = append(settings, setting{maskIf(r.Bit, bit), on(r.Bit, bit)})
			continue
		}
		for _, done := range []bool{true, false} {
			settings = append(settings, setting{maskIf(r.Bit, bit) | maskIf(r.DoneBit, done), on(r.Bit, bit) + ", " + on(r.DoneBit, done)})
		}
	}
	var lines []string
	for _, s := range settings {
		w := r.Want(s.m, docCreator, docChild)
		lines = append(lines, fmt.Sprintf("%s: the creator reports %s; the child %s", s.what,
			docLog(kernel, w["parent"], "nothing"), docLog(kernel, w["child"], "is not traced")))
	}
	if f := r.ChildFirstNeeds; f.Name != "" {
		lines = append(lines, fmt.Sprintf("the child's first report needs %s (NetBSD %s); before: %s", f.Name, nbabi.OSRevisionString(f.Since), f.Before))
	}
	if t := r.DoneRace.Text(); t != "" {
		lines = append(lines, "with "+r.DoneBit.On(kernel)+": "+t)
	}
	if r.Rule != "" {
		lines = append(lines, "rule: "+r.Rule)
	}
	return strings.Join(lines, "\n")
}

func maskIf(b tracer.Mask, set bool) tracer.Mask {
	if set {
		return b
	}
	return 0
}

// docLog is one process's reports for the docs: its events in kernel's
// words, whom each names, its exit left out; none when it has no report
// before its exit, and untraced when it has no log at all.
func docLog(kernel string, evs []tracer.Event, untraced string) string {
	if evs == nil {
		return untraced
	}
	var parts []string
	for _, ev := range evs {
		if ev.Terminal() {
			continue
		}
		s := ev.On(kernel)
		switch ev.Other {
		case docCreator:
			s += " naming the creator"
		case docChild:
			s += " naming the child"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "nothing before its exit"
	}
	return strings.Join(parts, ", then ")
}
