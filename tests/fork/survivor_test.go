package fork

import (
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

var survivors = []expect.Survivor{
	{Ident: "fork_detach_forker", Descr: "PT_DETACH of the forker at its fork event: the forker runs untraced to exit 5, the forkee stays traced and exits 0",
		Act: tracer.DetachIt, Who: "parent"},
	{Ident: "fork_detach_forkee", Descr: "PT_DETACH of the forkee at its fork report: the forkee runs untraced to exit 0 (its parent sees that), the forker stays traced and exits 5",
		Act: tracer.DetachIt, Who: "child"},
	{Ident: "fork_kill_forker", Descr: "PT_KILL of the forker at its fork event: the forker dies by SIGKILL, the orphaned forkee stays traced and exits 0",
		// On 8.99.25 PT_KILL at the fork stop killed the forker in 1 of 6
		// measured runs (2026-12-01): a race, not a certain failure.
		Act: tracer.KillIt, Who: "parent", Fixes: []nbabi.Feature{nbabi.FixKillAtEventStop},
		Race: expect.RaceBefore{Fix: nbabi.FixKillAtEventStop, Race: "PT_KILL at the forker's fork event stop kills it in some runs only"}},
	{Ident: "fork_kill_forkee", Descr: "PT_KILL of the forkee at its fork report: the forkee dies by SIGKILL, its parent's wait sees that, the forker exits 5",
		Act: tracer.KillIt, Who: "child"},
}

func init() { expect.DeclareSurvivors(TestForkSurvivor, survivors) }

// TestForkSurvivor: NetBSD's fork_detach_forker and fork_kill_forker, and
// the forkee variants NetBSD's suite lacks. A debugger detaching from or
// killing one side of a fork must not disturb the other.
func TestForkSurvivor(t *testing.T) {
	expect.RunSurvivors(t, survivors, expect.Creation{Scenario: "fork"},
		func(t *atfshim.T) expect.Reporting { return rules(t, "fork") })
}

func unrelatedMatrix() expect.MaskMatrix {
	return expect.MaskMatrix{Test: TestUnrelatedTracerFork, Prefix: "unrelated_tracer_fork", N: 16,
		Descr: "fork1..16 seen by a tracer that attached and is not the tracee's parent (mask %v)"}
}

func init() { unrelatedMatrix().Declare() }

// TestUnrelatedTracerFork: a debugger that attaches to a running program is
// not its parent; the kernel must report the same fork events to it.
func TestUnrelatedTracerFork(t *testing.T) {
	unrelatedMatrix().Run(t, func(t *atfshim.T, m tracer.Mask) {
		creationEvents(t, tracer.New(t), expect.Creation{Scenario: "fork", Mask: m, Attach: true})
	})
}

func init() {
	for _, s := range expect.SigSetups {
		atfshim.DeclareSub(TestForkSignalState, "fork_signal"+s.What, atfshim.Meta{
			Descr:   "fork with SIGTRAP " + s.What + ": events still reported, and the signal state preserved in parent and child",
			Timeout: caseTimeout,
		})
	}
}

// TestForkSignalState: NetBSD's fork_signalmasked / fork_signalignored.
// SIGTRAP blocked or ignored in the tracee must not hide its fork events,
// and must survive the fork in both processes.
func TestForkSignalState(t *testing.T) {
	for _, s := range expect.SigSetups {
		atfshim.RunSub(t, "fork_signal"+s.What, func(t *atfshim.T) {
			s.SignalState(t, tracer.New(t), expect.Creation{Scenario: "fork" + s.Suffix, What: "fork", Mask: tracer.MaskFork}, rules(t, "fork"))
		})
	}
}
