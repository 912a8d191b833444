package clone

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// cloneRule is the kernel's mapping of a clone(2) to the tracer's events,
// per kernel, from the flags and the exit signal.
var cloneRule = map[string]func(flags int, exitSignal syscall.Signal) expect.Reporting{
	// sys/kern/kern_fork.c (sys___clone → fork1): CLONE_VFORK is
	// FORK_PPWAIT, reported as PTRACE_VFORK (+ PTRACE_VFORK_DONE); every
	// other clone is PTRACE_FORK, whatever it shares and whatever its exit
	// signal. The new child stops with the same event, pointing back.
	"netbsd": func(flags int, _ syscall.Signal) expect.Reporting {
		if flags&raw.CloneVfork != 0 {
			return expect.Reporting{Kind: tracer.Vfork, Bit: tracer.MaskVfork, DoneBit: tracer.MaskVforkDone,
				ChildFirst: expect.SameEvent(tracer.Vfork), ChildFirstNeeds: nbabi.FeatureForkeeReport,
				DoneRace: expect.VforkDoneQueued,
				Rule:     "fork1(): CLONE_VFORK is FORK_PPWAIT, PTRACE_VFORK iff VFORK, PTRACE_VFORK_DONE iff VFORK_DONE"}
		}
		return expect.Reporting{Kind: tracer.Fork, Bit: tracer.MaskFork, ChildFirst: expect.SameEvent(tracer.Fork),
			ChildFirstNeeds: nbabi.FeatureForkeeReport,
			Rule:            "fork1(): a clone without CLONE_VFORK is PTRACE_FORK iff FORK, whatever it shares, never VFORK or VFORK_DONE"}
	},
	// kernel/fork.c kernel_clone: CLONE_VFORK → PTRACE_EVENT_VFORK (and
	// VFORK_DONE iff PTRACE_O_TRACEVFORKDONE, independently); else an exit
	// signal other than SIGCHLD → PTRACE_EVENT_CLONE, reported iff
	// PTRACE_O_TRACECLONE (MaskLwpCreate); else PTRACE_EVENT_FORK. The
	// auto-attached child starts with a plain SIGSTOP.
	"linux": func(flags int, sig syscall.Signal) expect.Reporting {
		switch {
		case flags&raw.CloneVfork != 0:
			return expect.Reporting{Kind: tracer.Vfork, Bit: tracer.MaskVfork, DoneBit: tracer.MaskVforkDone,
				ChildFirst: expect.LinuxAttachStop}
		case sig != syscall.SIGCHLD:
			return expect.Reporting{Kind: tracer.Clone, Bit: tracer.MaskLwpCreate, ChildFirst: expect.LinuxAttachStop}
		}
		return expect.Reporting{Kind: tracer.Fork, Bit: tracer.MaskFork, ChildFirst: expect.LinuxAttachStop}
	},
}

// eventBits are the event-mask bits that may be set while a tracee clones,
// per kernel: the process-creation events, plus Linux's
// PTRACE_O_TRACECLONE (MaskLwpCreate), which its clone rule uses. NetBSD's
// PTRACE_LWP_CREATE would also report the Go runtime's own LWPs (NetBSD
// traces the whole process), which are not this area's business. SPAWN
// has no Linux analog and must change nothing there.
var eventBits = map[string]tracer.Mask{
	"netbsd": tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone | tracer.MaskSpawn,
	"linux":  tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone | tracer.MaskSpawn | tracer.MaskLwpCreate,
}

// The clone rule's rows: each flag-set family of the matrix under each
// kernel's rule, families the rule treats alike in one row; the
// regression cases join the row of their flags.
var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	at := map[[2]string]int{}
	for _, s := range matrixSignals {
		for _, f := range flagSets {
			cases := matrix(f.prefix, f.flags, s.infix, s.sig).Cases()
			if s.sig == syscall.SIGCHLD {
				for _, sh := range sharing {
					if sh.flags == f.flags {
						cases += ", " + sh.ident
					}
				}
			}
			r := semantics.Both(cases, "", "cloneRule", func(k string) string { return cloneRule[k](f.flags, s.sig).Describe(k) })
			key := [2]string{r.NetBSD, r.Linux}
			if i, ok := at[key]; ok {
				rows[i].Cases += "; " + cases
				rows[i].Topic += "; " + describe(f.flags, s.sig)
				continue
			}
			at[key] = len(rows)
			r.Topic = describe(f.flags, s.sig)
			rows = append(rows, r)
		}
	}
	for i := range rows {
		rows[i].Topic = "reports per event mask of " + rows[i].Topic
	}
	rows = append(rows, semantics.Both("clone_random_stress, clone_exit_signal_*", "the event bits drawn (and set) around a clone",
		"eventBits", func(k string) string { return eventBits[k].On(k) }))
	for _, iv := range invalids {
		data := "invalids[].errno"
		if iv.ident == "clone_exit_signal_nsig" {
			data += ", nsigProbes"
		}
		rows = append(rows, semantics.Both(iv.ident, iv.descr, data, func(k string) string {
			what := "the kernel refuses it: -1/" + tracer.ErrnoName(iv.errno[k])
			if iv.errno[k] == 0 {
				what = "the kernel accepts it (the child is created)"
			}
			if iv.ident == "clone_exit_signal_nsig" {
				what = fmt.Sprintf("exit signal %d: %s", nsigProbes[k], what)
			}
			return what
		}))
	}
	return rows
})

func rule(t *atfshim.T, flags int, sig syscall.Signal) expect.Reporting {
	t.Helper()
	r, ok := cloneRule[runtime.GOOS]
	if !ok {
		t.Fatalf("no clone rule written down for %s", runtime.GOOS)
	}
	return r(flags, sig)
}

const caseTimeout = expect.CaseTimeout

// flagSets are the rows of the flag matrix, with NetBSD's case prefixes.
var flagSets = []struct {
	prefix string
	flags  int
}{
	{"clone", 0},
	{"clone_vm", raw.CloneVM},
	{"clone_fs", raw.CloneFS},
	{"clone_files", raw.CloneFiles},
	{"clone_sighand", raw.CloneSighand | raw.CloneVM},
	{"clone_vfork", raw.CloneVfork},
	{"clone_vm_vfork", raw.CloneVM | raw.CloneVfork},
}

// matrixSignals: SIGCHLD gives NetBSD's names (clone_vm3), another exit
// signal a suffix (clone_vm_sigusr1_3).
var matrixSignals = []struct {
	infix string
	sig   syscall.Signal
}{{"", syscall.SIGCHLD}, {"_sigusr1_", syscall.SIGUSR1}}

func flagNames(flags int) string {
	if flags == 0 {
		return "no flags"
	}
	s := ""
	for _, x := range []struct {
		f int
		n string
	}{{raw.CloneVM, "VM"}, {raw.CloneFS, "FS"}, {raw.CloneFiles, "FILES"}, {raw.CloneSighand, "SIGHAND"}, {raw.CloneVfork, "VFORK"}} {
		if flags&x.f != 0 {
			if s != "" {
				s += "|"
			}
			s += "CLONE_" + x.n
		}
	}
	return s
}

// describe says what clone a creation makes, for messages.
func describe(flags int, sig syscall.Signal) string {
	return fmt.Sprintf("clone(%s, exit signal %s)", flagNames(flags), tracer.SignalName(int(sig)))
}

// matrix is the 8-mask family of one flag set and exit signal.
func matrix(prefix string, flags int, infix string, sig syscall.Signal) expect.MaskMatrix {
	return expect.MaskMatrix{Test: TestCloneFlags, Prefix: prefix + infix, N: 8,
		Descr: describe(flags, sig) + " under event mask %v: reported per the kernel's clone rule (NetBSD: vfork iff CLONE_VFORK, else fork)"}
}

func init() {
	for _, f := range flagSets {
		for _, s := range matrixSignals {
			matrix(f.prefix, f.flags, s.infix, s.sig).Declare()
		}
	}
}

// TestCloneFlags: NetBSD's clone1..8, clone_vm*, clone_fs*, clone_files*,
// clone_vfork* (and the clone_sighand* it has disabled), with SIGCHLD and
// with another exit signal. A CLONE_VFORK child is held at its first
// report: its parent must stay blocked meanwhile, as a vforker does.
func TestCloneFlags(t *testing.T) {
	for _, f := range flagSets {
		for _, s := range matrixSignals {
			matrix(f.prefix, f.flags, s.infix, s.sig).Run(t, func(t *atfshim.T, m tracer.Mask) {
				c := expect.Creation{Scenario: scenario(f.flags, s.sig), What: describe(f.flags, s.sig),
					Mask: m, Pass: []syscall.Signal{s.sig}, HoldChild: f.flags&raw.CloneVfork != 0}
				expect.Events(t, tracer.New(t), c, rule(t, f.flags, s.sig))
			})
		}
	}
}

// sharing are the clone flags that made fork1() report a vfork.
var sharing = []struct {
	ident string
	flags int
}{
	{"clone_vm_is_fork_not_vfork", raw.CloneVM},
	{"clone_fs_is_fork_not_vfork", raw.CloneFS},
	{"clone_files_is_fork_not_vfork", raw.CloneFiles},
	{"clone_sighand_is_fork_not_vfork", raw.CloneSighand | raw.CloneVM},
}

func init() {
	for _, s := range sharing {
		atfshim.DeclareSub(TestCloneSharingIsForkNotVfork, s.ident, atfshim.Meta{
			Descr: fmt.Sprintf("regression (fork1 `flags && FORK_PPWAIT`): %s without CLONE_VFORK under FORK|VFORK|VFORK_DONE gives exactly one fork event on each side, no vfork, no vfork-done",
				flagNames(s.flags)),
			Timeout: caseTimeout,
		})
	}
}

// TestCloneSharingIsForkNotVfork pins down the regression by name. With
// `flags && FORK_PPWAIT` every clone that shared anything (non-zero fork1
// flags) counted as a vfork: the tracer got PTRACE_VFORK on both sides and
// a PTRACE_VFORK_DONE instead of one PTRACE_FORK each.
func TestCloneSharingIsForkNotVfork(t *testing.T) {
	const mask = tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone
	for _, s := range sharing {
		atfshim.RunSub(t, s.ident, func(t *atfshim.T) {
			sig := syscall.SIGCHLD
			o := expect.Events(t, tracer.New(t), expect.Creation{Scenario: scenario(s.flags, sig), What: describe(s.flags, sig), Mask: mask},
				rule(t, s.flags, sig))
			// The child's side is the rule's ChildFirst, compared above
			// (NetBSD: a fork event; Linux: a plain SIGSTOP).
			forks := 0
			for _, ev := range o.Trace.Order {
				switch {
				case ev.Kind == tracer.Vfork || ev.Kind == tracer.VforkDone:
					t.Errorf("%s reported %v: a clone without CLONE_VFORK is never a vfork (the fork1() `&&` bug)", describe(s.flags, sig), ev)
				case ev.Kind == tracer.Fork && ev.Pid == o.Parent:
					forks++
				}
			}
			if forks != 1 {
				t.Errorf("%s: the cloning process reported %d fork events, want exactly one", describe(s.flags, sig), forks)
			}
		})
	}
}

func init() {
	for _, iv := range invalids {
		atfshim.DeclareSub(TestCloneInvalid, iv.ident, atfshim.Meta{Descr: iv.descr, Timeout: caseTimeout})
	}
}

// TestCloneInvalid: requests the kernel must refuse (or, written down per
// kernel, accept), issued by a traced tracee with no events set.
func TestCloneInvalid(t *testing.T) {
	for _, iv := range invalids {
		atfshim.RunSub(t, iv.ident, func(t *atfshim.T) {
			want, ok := iv.errno[runtime.GOOS]
			if !ok {
				t.Fatalf("no expected errno written down for %s on %s", iv.ident, runtime.GOOS)
			}
			tr := tracer.New(t)
			tr.Pass(syscall.SIGCHLD)
			p := tr.Spawn(iv.ident)
			tr.SetEventMask(p.Pid, 0)
			tr.Cont(p.Pid, 0)
			trace := tr.Follow(p.Pid, nil)
			if got := syscall.Errno(p.ReportInt("errno")); got != want {
				t.Errorf("%s: the kernel answered %q (errno %d), want %q (errno %d)", iv.ident, errText(got), int(got), errText(want), int(want))
			}
			// The tracee is the "parent" role, any other process a stranger.
			wantLog := map[string][]tracer.Event{"parent": {{Kind: tracer.Exited, Status: expect.ParentExit}}}
			if line, full := expect.RoleDiff(wantLog, expect.ByRole(trace, p.Pid, 0)); line != "" {
				t.Logf("reports (-want +got):\n%s", full)
				t.Errorf("%s: the tracee must just exit %d: %s", iv.ident, expect.ParentExit, line)
			}
			tr.ExpectNoChildren(p.Pid)
		})
	}
}

func errText(e syscall.Errno) string {
	if e == 0 {
		return "success"
	}
	return e.Error()
}

// sigRows are NetBSD's clone*_signalmasked / _signalignored flag sets.
var sigRows = []struct {
	prefix string
	flags  int
}{
	{"clone", 0}, {"clone_vm", raw.CloneVM}, {"clone_fs", raw.CloneFS},
	{"clone_files", raw.CloneFiles}, {"clone_vfork", raw.CloneVfork},
}

func init() {
	for _, r := range sigRows {
		for _, s := range expect.SigSetups {
			atfshim.DeclareSub(TestCloneSignalState, r.prefix+"_signal"+s.What, atfshim.Meta{
				Descr: fmt.Sprintf("%s with SIGTRAP %s under FORK|VFORK|VFORK_DONE: events still reported, the signal state preserved in parent and child",
					describe(r.flags, syscall.SIGCHLD), s.What),
				Timeout: caseTimeout,
			})
		}
	}
}

// TestCloneSignalState: SIGTRAP blocked or ignored in the tracee must not
// hide its clone events and must survive the clone in both processes.
// (NetBSD's own suite registers these names swapped: its
// clone_signalignored runs the masked case.)
func TestCloneSignalState(t *testing.T) {
	const mask = tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone
	for _, r := range sigRows {
		for _, s := range expect.SigSetups {
			atfshim.RunSub(t, r.prefix+"_signal"+s.What, func(t *atfshim.T) {
				sig := syscall.SIGCHLD
				c := expect.Creation{Scenario: scenario(r.flags, sig) + s.Suffix, What: describe(r.flags, sig), Mask: mask}
				s.SignalState(t, tracer.New(t), c, rule(t, r.flags, sig))
			})
		}
	}
}

// exitSignalRows: the exit signal a clone child was given must reach its
// parent when it exits, traced or not.
var exitSignalRows = []struct {
	ident string
	flags int
	sig   syscall.Signal
}{
	{"clone_exit_signal_sigusr1", 0, syscall.SIGUSR1},
	{"clone_vm_exit_signal_sigusr1", raw.CloneVM, syscall.SIGUSR1},
	{"clone_exit_signal_sigchld", 0, syscall.SIGCHLD},
}

func init() {
	for _, r := range exitSignalRows {
		atfshim.DeclareSub(TestCloneExitSignal, r.ident, atfshim.Meta{
			Descr: fmt.Sprintf("%s, traced with every creation event this kernel has: the child's exit signal reaches the parent",
				describe(r.flags, r.sig)),
			Timeout: caseTimeout,
		})
	}
}

// TestCloneExitSignal: the child is traced (its exit goes to the tracer
// first); once the tracer has collected it, the kernel must still send the
// clone's exit signal to the real parent, which the scenario observes.
func TestCloneExitSignal(t *testing.T) {
	for _, r := range exitSignalRows {
		atfshim.RunSub(t, r.ident, func(t *atfshim.T) {
			tr := tracer.New(t)
			c := expect.Creation{Scenario: scenario(r.flags, r.sig), What: describe(r.flags, r.sig),
				Mask: eventBits[runtime.GOOS], Pass: []syscall.Signal{r.sig}}
			o := expect.Events(t, tr, c, rule(t, r.flags, r.sig))
			if o.Reports.ReportInt("exit_signal_received") != 1 {
				t.Errorf("%s: the parent did not receive %s within %v of reaping its child", describe(r.flags, r.sig),
					tracer.SignalName(int(r.sig)), exitSignalWait)
			}
		})
	}
}
