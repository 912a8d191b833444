package fork

import (
	"fmt"
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

// spawnNeeds: posix_spawn is an event of its own on NetBSD (Linux reports
// the clone(CLONE_VM|CLONE_VFORK) + execve it is made of as a vfork).
var spawnNeeds = []nbabi.Feature{nbabi.FeatureSpawnEvent}

var spawnSurvivors = []expect.Survivor{
	{Ident: "posix_spawn_detach_spawner", Descr: "PT_DETACH of the spawner at its spawn event: the spawner runs untraced to exit 5, the spawnee stays traced and exits 0",
		Act: tracer.DetachIt, Who: "parent", Needs: spawnNeeds},
	{Ident: "posix_spawn_detach_spawnee", Descr: "PT_DETACH of the spawnee at its spawn report: the spawnee runs untraced to exit 0 (its parent sees that), the spawner stays traced and exits 5",
		Act: tracer.DetachIt, Who: "child", Needs: spawnNeeds},
	{Ident: "posix_spawn_kill_spawner", Descr: "PT_KILL of the spawner at its spawn event: the spawner dies by SIGKILL, the orphaned spawnee stays traced and exits 0",
		Act: tracer.KillIt, Who: "parent", Needs: spawnNeeds, Fixes: []nbabi.Feature{nbabi.FixKillAtEventStop}},
	{Ident: "posix_spawn_kill_spawnee", Descr: "PT_KILL of the spawnee at its spawn report: the spawnee dies by SIGKILL, its parent's wait sees that, the spawner exits 5",
		Act: tracer.KillIt, Who: "child", Needs: spawnNeeds},
}

func init() {
	expect.DeclareSurvivors(TestForkSurvivor, survivors)
	expect.DeclareSurvivors(TestPosixSpawnSurvivor, spawnSurvivors)
}

// TestForkSurvivor: NetBSD's fork_detach_forker and fork_kill_forker and
// their unrelated_tracer_ forms, and the forkee variants NetBSD's suite
// lacks. A debugger detaching from or killing one side of a fork must not
// disturb the other, whether it spawned the forker or attached to it.
func TestForkSurvivor(t *testing.T) {
	expect.RunSurvivors(t, survivors, expect.Creation{Scenario: "fork"},
		func(t *atfshim.T) expect.Reporting { return rules(t, "fork") })
}

// TestPosixSpawnSurvivor: NetBSD's posix_spawn_detach_spawner and
// posix_spawn_kill_spawner and their unrelated_tracer_ forms, and the
// spawnee variants NetBSD's suite lacks.
func TestPosixSpawnSurvivor(t *testing.T) {
	expect.RunSurvivors(t, spawnSurvivors, expect.Creation{Scenario: "spawn", What: "posix_spawn"},
		func(t *atfshim.T) expect.Reporting { return rules(t, "spawn") })
}

func unrelatedMatrix() expect.MaskMatrix {
	return expect.MaskMatrix{Test: TestUnrelatedTracerFork, Prefix: "unrelated_tracer_fork", N: 16,
		Descr: "fork1..16 seen by a tracer that attached and is not the tracee's parent (mask %v)"}
}

func unrelatedSpawnMatrix() expect.MaskMatrix {
	return expect.MaskMatrix{Test: TestUnrelatedTracerPosixSpawn, Prefix: "unrelated_tracer_posix_spawn", N: 16,
		Descr: "posix_spawn1..16 seen by a tracer that attached and is not the tracee's parent (mask %v)"}
}

func init() {
	unrelatedMatrix().Declare()
	unrelatedSpawnMatrix().Declare()
}

// TestUnrelatedTracerFork: a debugger that attaches to a running program is
// not its parent; the kernel must report the same fork events to it.
func TestUnrelatedTracerFork(t *testing.T) {
	unrelatedMatrix().Run(t, func(t *atfshim.T, m tracer.Mask) {
		creationEvents(t, tracer.New(t), expect.Creation{Scenario: "fork", Mask: m, Attach: true})
	})
}

// TestUnrelatedTracerPosixSpawn: the same for posix_spawn.
func TestUnrelatedTracerPosixSpawn(t *testing.T) {
	unrelatedSpawnMatrix().Run(t, func(t *atfshim.T, m tracer.Mask) {
		spawnEvents(t, m, true)
	})
}

func init() {
	declareSignalState(TestForkSignalState, "fork", "fork with SIGTRAP %s: events still reported, and the signal state preserved in parent and child")
}

// declareSignalState declares NetBSD's <prefix>_signalmasked and
// <prefix>_signalignored as subtests of test (descr has one %s for the
// setup).
func declareSignalState(test func(*testing.T), prefix, descr string) {
	for _, s := range expect.SigSetups {
		atfshim.DeclareSub(test, prefix+"_signal"+s.What, atfshim.Meta{Descr: fmt.Sprintf(descr, s.What), Timeout: caseTimeout})
	}
}

// runSignalState runs body for each case declareSignalState declared.
func runSignalState(t *testing.T, prefix string, body func(*atfshim.T, expect.SigSetup)) {
	for _, s := range expect.SigSetups {
		atfshim.RunSub(t, prefix+"_signal"+s.What, func(t *atfshim.T) { body(t, s) })
	}
}

// TestForkSignalState: NetBSD's fork_signalmasked / fork_signalignored.
// SIGTRAP blocked or ignored in the tracee must not hide its fork events,
// and must survive the fork in both processes.
func TestForkSignalState(t *testing.T) {
	runSignalState(t, "fork", func(t *atfshim.T, s expect.SigSetup) {
		s.SignalState(t, tracer.New(t), expect.Creation{Scenario: "fork" + s.Suffix, What: "fork", Mask: tracer.MaskFork}, rules(t, "fork"))
	})
}
