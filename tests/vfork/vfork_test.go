package vfork

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// linuxVfork: Linux reports vfork(2) (clone(CLONE_VM|CLONE_VFORK)) and
// clone(CLONE_VFORK) alike as PTRACE_EVENT_VFORK iff PTRACE_O_TRACEVFORK,
// and PTRACE_EVENT_VFORK_DONE iff PTRACE_O_TRACEVFORKDONE, whether or not
// the vfork event itself is traced (kernel/fork.c kernel_clone).
var linuxVfork = expect.Reporting{Kind: tracer.Vfork, Bit: tracer.MaskVfork, DoneBit: tracer.MaskVforkDone,
	ChildFirst: expect.LinuxAttachStop}

// netbsdVfork: sys/kern/kern_fork.c fork1() reports every FORK_PPWAIT
// creation (__vfork14, the 4.4BSD vfork, clone(CLONE_VFORK)) as
// PTRACE_VFORK on both sides iff PTRACE_VFORK is set, and PTRACE_VFORK_DONE
// to the parent iff that bit is set, independently.
var netbsdVfork = expect.Reporting{Kind: tracer.Vfork, Bit: tracer.MaskVfork, DoneBit: tracer.MaskVforkDone,
	ChildFirst: expect.SameEvent(tracer.Vfork), ChildFirstNeeds: nbabi.FeatureForkeeReport,
	DoneRace: expect.VforkDoneQueued}

// then returns r with the child's reports between its first and its exit.
func then(r expect.Reporting, evs ...tracer.Event) expect.Reporting {
	r.ChildThen = evs
	return r
}

var kernelReporting = map[string]map[string]expect.Reporting{
	"netbsd": {
		"vfork":      netbsdVfork,
		"vfork_novm": netbsdVfork,
		// The exec'd child stops with SIGTRAP/TRAP_EXEC.
		"vfork_exec": then(netbsdVfork, tracer.Event{Kind: tracer.Exec}),
	},
	"linux": {
		"vfork":      linuxVfork,
		"vfork_novm": linuxVfork,
		// PTRACE_O_TRACEEXEC is not set, so the exec'd child gets the
		// legacy post-execve SIGTRAP.
		"vfork_exec": then(linuxVfork, tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGTRAP), Code: expect.SIUser}),
	},
}

var _ = semantics.Add(func() []semantics.Row {
	fam := families()
	describe := func(scenario string) func(string) string {
		return func(k string) string { return kernelReporting[k][scenario].Describe(k) }
	}
	return []semantics.Row{
		semantics.Both(fam[0].matrix.Cases()+", "+fam[2].matrix.Cases()+", [unrelated_tracer_]vfork_{detach,kill}_*, vfork*_signal*, vfork_chain",
			"vfork(2) with shared VM, reports per event mask", `kernelReporting[kernel]["vfork"]`, describe("vfork")),
		semantics.Both(fam[1].matrix.Cases(), "the vfork without shared VM (NetBSD syscall 66; Linux clone(CLONE_VFORK)), reports per event mask",
			`kernelReporting[kernel]["vfork_novm"]`, describe("vfork_novm")),
		semantics.Both("vfork_exec", "a vforked child that execs: its reports after the first (the exec stop); VFORK_DONE is due at the exec",
			`kernelReporting[kernel]["vfork_exec"]`, describe("vfork_exec")),
	}
})

func rules(t *atfshim.T, creator string) expect.Reporting {
	t.Helper()
	return expect.Rules(t, kernelReporting, creator)
}

const caseTimeout = expect.CaseTimeout

// family is one of this area's 16-mask families.
type family struct {
	matrix   expect.MaskMatrix
	scenario string
	attach   bool
}

const vforkContract = ": vfork on both sides iff VFORK, VFORK_DONE to the parent iff set and only once the child has left, never fork"

// families: NetBSD's vfork1..16 and unrelated_tracer_vfork1..16, and the
// 4.4BSD vfork without shared VM.
func families() []family {
	return []family{
		{expect.MaskMatrix{Test: TestVforkEvents, Prefix: "vfork", N: 16,
			Descr: "vfork(2) with shared VM (NetBSD __vfork14) under event mask %v" + vforkContract}, "vfork", false},
		{expect.MaskMatrix{Test: TestVforkEvents, Prefix: "vfork_novm", N: 16,
			Descr: "the 4.4BSD vfork without shared VM (NetBSD syscall 66; Linux clone(CLONE_VFORK)) under event mask %v" + vforkContract}, "vfork_novm", false},
		{expect.MaskMatrix{Test: TestVforkEvents, Prefix: "unrelated_tracer_vfork", N: 16,
			Descr: "vfork(2) seen by a tracer that attached and is not the tracee's parent, under event mask %v" + vforkContract}, "vfork", true},
	}
}

func init() {
	for _, f := range families() {
		f.matrix.Declare()
	}
}

// TestVforkEvents: a traced process vforks under each of NetBSD's 16 masks.
// When the child is traced (VFORK set) it is held at its first report
// until the parent has been resumed from its vfork event, and the parent
// must stay silent meanwhile: no VFORK_DONE, no return from vfork, before
// the child has left (expect.Creation.HoldChild).
func TestVforkEvents(t *testing.T) {
	for _, f := range families() {
		f.matrix.Run(t, func(t *atfshim.T, m tracer.Mask) {
			c := expect.Creation{Scenario: f.scenario, Mask: m, Attach: f.attach, HoldChild: !f.attach}
			expect.Events(t, tracer.New(t), c, rules(t, f.scenario))
		})
	}
}

var survivors = []expect.Survivor{
	{Ident: "vfork_detach_vforker", Descr: "PT_DETACH of the vforker at its vfork event: it stays blocked until the traced vforkee has exited 0, then runs untraced to exit 5",
		Act: tracer.DetachIt, Who: "parent", Fixes: []nbabi.Feature{nbabi.FixVforkDoneStop}},
	{Ident: "vfork_detach_vforkerdone", Descr: "PT_DETACH of the vforker at its VFORK_DONE: it runs untraced to exit 5, the vforkee exited 0 before",
		Act: tracer.DetachIt, Who: "parent", At: tracer.VforkDone},
	{Ident: "vfork_kill_vforker", Descr: "PT_KILL of the vforker at its vfork event: it dies by SIGKILL, the orphaned traced vforkee runs to exit 0",
		Act: tracer.KillIt, Who: "parent", Fixes: []nbabi.Feature{nbabi.FixKillAtEventStop}},
	{Ident: "vfork_kill_vforkerdone", Descr: "PT_KILL of the vforker at its VFORK_DONE: it dies by SIGKILL after its vforkee exited 0",
		Act: tracer.KillIt, Who: "parent", At: tracer.VforkDone, Fixes: []nbabi.Feature{nbabi.FixKillAtEventStop}},
	{Ident: "vfork_detach_vforkee", Descr: "PT_DETACH of the vforkee at its vfork report: it runs untraced to exit 0, the vforker then reports VFORK_DONE and exits 5",
		Act: tracer.DetachIt, Who: "child"},
	{Ident: "vfork_kill_vforkee", Descr: "PT_KILL of the vforkee at its vfork report: its death releases the vforker, which reports VFORK_DONE, sees SIGKILL in its wait and exits 5",
		Act: tracer.KillIt, Who: "child"},
}

func init() { expect.DeclareSurvivors(TestVforkSurvivor, survivors) }

// TestVforkSurvivor: NetBSD's vfork_detach_vforker(done) and
// vfork_kill_vforker(done), and the vforkee variants NetBSD's suite lacks.
// When the tracer acts on the vforker, the vforkee is held at its first
// report, and the vforker (detached or resumed) must stay blocked meanwhile.
func TestVforkSurvivor(t *testing.T) {
	expect.RunSurvivors(t, survivors, expect.Creation{Scenario: "vfork", HoldChild: true},
		func(t *atfshim.T) expect.Reporting { return rules(t, "vfork") })
}

// sigMasks: NetBSD's vfork_signal* trace the vfork event, its
// vforkdone_signal* the vfork-done event as well.
// A blocked SIGTRAP held back VFORK_DONE while it was a queued SIGTRAP.
var sigMasks = []struct {
	prefix string
	mask   tracer.Mask
	fixes  map[string][]nbabi.Feature // by SigSetup.What
}{
	{"vfork", tracer.MaskVfork, nil},
	{"vforkdone", tracer.MaskVfork | tracer.MaskVforkDone, map[string][]nbabi.Feature{"masked": {nbabi.FixVforkDoneStop}}},
}

func init() {
	for _, m := range sigMasks {
		for _, s := range expect.SigSetups {
			atfshim.DeclareSub(TestVforkSignalState, m.prefix+"_signal"+s.What, atfshim.Meta{
				Descr:   fmt.Sprintf("vfork under mask %v with SIGTRAP %s: events still reported, and the signal state preserved in parent and child", m.mask, s.What),
				Timeout: caseTimeout,
			})
		}
	}
}

// TestVforkSignalState: SIGTRAP blocked or ignored in the vforker must not
// hide its vfork events (SIGTRAP stops on NetBSD), and must survive the
// vfork in both processes.
func TestVforkSignalState(t *testing.T) {
	for _, m := range sigMasks {
		for _, s := range expect.SigSetups {
			atfshim.RunSub(t, m.prefix+"_signal"+s.What, func(t *atfshim.T) {
				c := expect.Creation{Scenario: "vfork" + s.Suffix, What: "vfork", Mask: m.mask, EventFixes: m.fixes[s.What]}
				s.SignalState(t, tracer.New(t), c, rules(t, "vfork"))
			})
		}
	}
}

// ExecWait bounds how long the parent's VFORK_DONE may take once the child
// is stopped after its exec.
const execWait = 5 * time.Second

var _ = atfshim.Declare(TestVforkExec, atfshim.Meta{
	Descr:   "a vforked child that execs: VFORK_DONE reaches the parent at the exec (while the child is held at its exec stop), the child reports its exec stop",
	Timeout: caseTimeout,
})

// TestVforkExec: NetBSD's traceme_vfork_exec seen from a tracer of both
// sides. Exec releases the vforker (the child no longer uses its memory),
// so the kernel must report VFORK_DONE while the child, stopped after its
// exec, has not run a single instruction of the new image. (When the
// tracer happens to collect VFORK_DONE first, the child was still short of
// its exit too: it stays at its exec stop until the tracer has seen it.)
func TestVforkExec(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		expect.KnownBugs(t, nbabi.FixVforkDoneStop)
		tr := tracer.New(t)
		r := rules(t, "vfork_exec")
		execStop := r.ChildThen[0]
		seen := map[int]int{}
		doneSeen := false
		c := expect.Creation{Scenario: "vfork_exec", Mask: tracer.MaskVfork | tracer.MaskVforkDone, HoldChild: true,
			On: func(ev tracer.Event, parent int) tracer.Action {
				seen[ev.Pid]++
				if ev.Kind == tracer.VforkDone {
					doneSeen = true
				}
				if ev.Pid == parent || doneSeen || seen[ev.Pid] != 2 || tracer.Diff(execStop, ev) != "" {
					return tracer.Resume
				}
				switch done, ok := tr.Peek(parent, execWait); {
				case !ok:
					t.Errorf("the vforked child is stopped after its exec (%v), but its parent reported nothing within %v: VFORK_DONE is due at the exec, not at the child's exit", ev, execWait)
				case done.Kind != tracer.VforkDone:
					t.Errorf("the vforked child is stopped after its exec (%v), but its parent reported %v instead of VFORK_DONE", ev, done)
				}
				return tracer.Resume
			}}
		expect.Events(t, tr, c, r)
	})
}
