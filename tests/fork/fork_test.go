package fork

import (
	"runtime"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

var kernelReporting = map[string]map[string]expect.Reporting{
	"netbsd": {
		// sys/kern/kern_fork.c: fork1() reports PTRACE_FORK on both sides.
		"fork": {Kind: tracer.Fork, Bit: tracer.MaskFork, ChildFirst: expect.SameEvent(tracer.Fork),
			ChildFirstNeeds: nbabi.FeatureForkeeReport},
		// posix_spawn is its own event, PTRACE_POSIX_SPAWN, never fork or
		// vfork (and never vfork-done).
		"spawn": {Kind: tracer.Spawn, Bit: tracer.MaskSpawn, ChildFirst: expect.SameEvent(tracer.Spawn),
			ChildFirstNeeds: nbabi.FeatureForkeeReport},
	},
	"linux": {
		"fork": {Kind: tracer.Fork, Bit: tracer.MaskFork, ChildFirst: expect.LinuxAttachStop},
		// Linux has no spawn syscall: glibc and Go spawn with
		// clone(CLONE_VM|CLONE_VFORK), which the kernel reports as a
		// vfork (+ vfork-done once the child has exec'd), and the exec'd
		// child gets the legacy post-execve SIGTRAP (PTRACE_O_TRACEEXEC
		// is not set).
		"spawn": linuxSpawn,
		// A traced process's ignored signal is still reported
		// (kernel/signal.c sig_ignored: "Tracers may want to know about
		// even ignored signal").
		"spawn_sigignored": linuxSpawn,
		// The post-execve SIGTRAP is an ordinary signal: blocked, it is
		// never delivered, and /bin/echo exits with it pending.
		"spawn_sigmasked": func(r expect.Reporting) expect.Reporting { r.ChildThen = nil; return r }(linuxSpawn),
	},
}

var linuxSpawn = expect.Reporting{Kind: tracer.Vfork, Bit: tracer.MaskVfork, DoneBit: tracer.MaskVforkDone,
	ChildFirst: expect.LinuxAttachStop,
	ChildThen:  []tracer.Event{{Kind: tracer.Stopped, Sig: int(syscall.SIGTRAP), Code: expect.SIUser}}, ThenInImage: true}

// spawnStateUnwritten: kernels whose posix_spawn signal state at the
// spawn stops nobody has measured. NetBSD spawns in the kernel
// (sys/kern/kern_exec.c do_posix_spawn), outside package raw's creating
// calls, so neither the creator's nor the spawnee's mask at its stop is
// raw.CreatingMask, and the spawnee's ignore set is execsigs()'s.
var spawnStateUnwritten = map[string]string{
	"netbsd": "the signal state at NetBSD's posix_spawn stops (do_posix_spawn, execsigs) is not written down: no kernel with PTRACE_POSIX_SPAWN events was at hand to measure it",
}

var _ = semantics.Add(func() []semantics.Row {
	flavours := func(k string) string {
		var have, lack []string
		for _, n := range tracer.FlavourNames {
			if why := tracer.FlavourMissingOn(k, n); why != "" {
				lack = append(lack, n+": "+why)
			} else {
				have = append(have, n)
			}
		}
		s := "has " + strings.Join(have, ", ")
		if len(lack) > 0 {
			s += "; lacks " + strings.Join(lack, "; ") + " (the case skips)"
		}
		return s
	}
	return []semantics.Row{
		semantics.Both(forkMatrix().Cases()+", "+unrelatedMatrix().Cases()+", fork_wait_*, fork_signal*, [unrelated_tracer_]fork_{detach,kill}_*",
			"fork(2) reports per event mask", `kernelReporting[kernel]["fork"]`,
			func(k string) string { return kernelReporting[k]["fork"].Describe(k) }),
		semantics.Both(spawnMatrix().Cases()+", "+unrelatedSpawnMatrix().Cases()+", [unrelated_tracer_]posix_spawn_{detach,kill}_*", "posix_spawn reports per event mask", `kernelReporting[kernel]["spawn"]`,
			func(k string) string { return kernelReporting[k]["spawn"].Describe(k) }),
		semantics.Both("posix_spawn_signalmasked", "posix_spawn with SIGTRAP blocked, reports per event mask", `kernelReporting[kernel]["spawn_sigmasked"], spawnStateUnwritten`,
			func(k string) string { return spawnStateDoc(k, "_sigmasked") }),
		semantics.Both("posix_spawn_signalignored", "posix_spawn with SIGTRAP ignored, reports per event mask", `kernelReporting[kernel]["spawn_sigignored"], spawnStateUnwritten`,
			func(k string) string { return spawnStateDoc(k, "_sigignored") }),
		semantics.Both("fork_wait_<flavour>", "wait flavours (wait, waitpid, waitid, wait3, wait4, wait6)", "tracer.FlavourNames, tracer.FlavourMissingOn", flavours),
	}
})

func spawnStateDoc(k, suffix string) string {
	if why := spawnStateUnwritten[k]; why != "" {
		return "the case skips: " + why
	}
	return kernelReporting[k]["spawn"+suffix].Describe(k)
}

func rules(t *atfshim.T, creator string) expect.Reporting {
	t.Helper()
	return expect.Rules(t, kernelReporting, creator)
}

const caseTimeout = expect.CaseTimeout

// creationEvents is the core case (expect.Events) for the fork or spawn
// scenario.
func creationEvents(t *atfshim.T, tr *tracer.Tracer, c expect.Creation) {
	t.Helper()
	expect.Events(t, tr, c, rules(t, c.Scenario))
}

func forkMatrix() expect.MaskMatrix {
	return expect.MaskMatrix{Test: TestFork, Prefix: "fork", N: 16,
		Descr: "fork(2) under event mask %v: reported as fork on both sides iff FORK is set"}
}

func spawnMatrix() expect.MaskMatrix {
	return expect.MaskMatrix{Test: TestPosixSpawn, Prefix: "posix_spawn", N: 16,
		Descr: "posix_spawn under event mask %v: reported per the kernel's spawn rule"}
}

func init() {
	forkMatrix().Declare()
	spawnMatrix().Declare()
}

func TestFork(t *testing.T) {
	forkMatrix().Run(t, func(t *atfshim.T, m tracer.Mask) {
		creationEvents(t, tracer.New(t), expect.Creation{Scenario: "fork", Mask: m})
	})
}

func TestPosixSpawn(t *testing.T) {
	spawnMatrix().Run(t, func(t *atfshim.T, m tracer.Mask) { spawnEvents(t, m, false) })
}

// spawnEvents is the core case for posix_spawn under mask m; attach: by an
// unrelated tracer.
func spawnEvents(t *atfshim.T, m tracer.Mask, attach bool) {
	t.Helper()
	if m&tracer.MaskSpawn != 0 {
		tracer.Needs(t, nbabi.FeatureSpawnEvent)
	}
	creationEvents(t, tracer.New(t), expect.Creation{Scenario: "spawn", What: "posix_spawn", Mask: m, Attach: attach})
}

func init() {
	declareSignalState(TestPosixSpawnSignalState, "posix_spawn", "posix_spawn with SIGTRAP %s: its events still reported, and the signal state preserved in spawner and spawnee")
}

// TestPosixSpawnSignalState: NetBSD's posix_spawn_signalmasked /
// posix_spawn_signalignored. SIGTRAP blocked or ignored in the spawner
// must not hide its spawn events, and must survive in both processes (the
// spawnee's exec'd image starts with the spawner's mask and SIG_IGN set).
func TestPosixSpawnSignalState(t *testing.T) {
	runSignalState(t, "posix_spawn", func(t *atfshim.T, s expect.SigSetup) {
		tracer.Needs(t, nbabi.FeatureSpawnEvent)
		if why := spawnStateUnwritten[runtime.GOOS]; why != "" {
			t.Skip(why)
		}
		r := rules(t, "spawn"+s.Suffix)
		s.SignalState(t, tracer.New(t), expect.Creation{Scenario: "spawn" + s.Suffix, What: "posix_spawn", Mask: r.Bit}, r)
	})
}

func init() {
	for _, name := range tracer.FlavourNames {
		atfshim.DeclareSub(TestForkWaitFlavour, "fork_wait_"+name, atfshim.Meta{
			Descr:   "the fork events of fork2 (FORK set), collected with " + name + "(2)",
			Timeout: caseTimeout,
		})
	}
}

// TestForkWaitFlavour runs the core fork-event case with every wait flavour
// the kernel has: NetBSD's suite found bugs that only one flavour showed.
func TestForkWaitFlavour(t *testing.T) {
	for _, name := range tracer.FlavourNames {
		atfshim.RunSub(t, "fork_wait_"+name, func(t *atfshim.T) {
			f, err := tracer.FlavourByName(name)
			if err != nil {
				t.Skipf("%v", err)
			}
			creationEvents(t, tracer.New(t, tracer.WithFlavour(f)), expect.Creation{Scenario: "fork", Mask: tracer.MaskFork})
		})
	}
}
