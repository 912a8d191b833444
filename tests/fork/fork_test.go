package fork

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// reporting is how one kernel reports one way of creating a process to a
// tracer: the contract this area pins down, written as data per kernel.
type reporting struct {
	kind    tracer.Kind // the event the creator and the new child report
	bit     tracer.Mask // the event-mask bit that makes the kernel report it
	doneBit tracer.Mask // if set: the creator also reports VforkDone when this bit is set
	// childFirst is the new child's first report to the tracer.
	childFirst func(parent int) tracer.Event
	// childThen are the child's reports after that and before its exit.
	childThen []tracer.Event
}

// sameEvent: NetBSD stops the new child with the creator's event, the other
// pid pointing back at the creator (pe_other_pid = parent).
func sameEvent(k tracer.Kind) func(int) tracer.Event {
	return func(parent int) tracer.Event { return tracer.Event{Kind: k, Other: parent} }
}

// linuxAttachStop: Linux starts an auto-attached child with a plain SIGSTOP
// (ptrace(2) "PTRACE_O_TRACEFORK ... automatically attached ... SIGSTOP");
// the child carries no event and no pointer to its parent.
func linuxAttachStop(int) tracer.Event {
	return tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: siUser}
}

const siUser = 0 // SI_USER on both kernels

var kernelReporting = map[string]map[string]reporting{
	"netbsd": {
		// sys/kern/kern_fork.c: fork1() reports PTRACE_FORK on both sides.
		"fork": {kind: tracer.Fork, bit: tracer.MaskFork, childFirst: sameEvent(tracer.Fork)},
		// posix_spawn is its own event, PTRACE_POSIX_SPAWN, never fork or
		// vfork (and never vfork-done).
		"spawn": {kind: tracer.Spawn, bit: tracer.MaskSpawn, childFirst: sameEvent(tracer.Spawn)},
	},
	"linux": {
		"fork": {kind: tracer.Fork, bit: tracer.MaskFork, childFirst: linuxAttachStop},
		// Linux has no spawn syscall: glibc and Go spawn with
		// clone(CLONE_VM|CLONE_VFORK), which the kernel reports as a
		// vfork (+ vfork-done once the child has exec'd), and the exec'd
		// child gets the legacy post-execve SIGTRAP (PTRACE_O_TRACEEXEC
		// is not set).
		"spawn": {kind: tracer.Vfork, bit: tracer.MaskVfork, doneBit: tracer.MaskVforkDone,
			childFirst: linuxAttachStop,
			childThen:  []tracer.Event{{Kind: tracer.Stopped, Sig: int(syscall.SIGTRAP), Code: siUser}}},
	},
}

func rules(t *atfshim.T, creator string) reporting {
	r, ok := kernelReporting[runtime.GOOS][creator]
	if !ok {
		t.Fatalf("no expectations written down for %s on %s", creator, runtime.GOOS)
	}
	return r
}

// maskN is NetBSD's numbering of the 16 event-mask combinations of its
// fork1..fork16 (and vfork*, posix_spawn*) cases: bit 0 of N-1 is FORK,
// bit 1 VFORK, bit 2 VFORK_DONE, bit 3 POSIX_SPAWN.
func maskN(n int) tracer.Mask {
	var m tracer.Mask
	for i, bit := range []tracer.Mask{tracer.MaskFork, tracer.MaskVfork, tracer.MaskVforkDone, tracer.MaskSpawn} {
		if (n-1)&(1<<i) != 0 {
			m |= bit
		}
	}
	return m
}

const caseTimeout = 30 * time.Second

// want is the per-process event log the kernel must produce when a traced
// process creates one child under mask m and both exit normally.
func (r reporting) want(m tracer.Mask, parent, child int) map[string][]tracer.Event {
	w := map[string][]tracer.Event{}
	if m&r.bit != 0 {
		w["parent"] = append(w["parent"], tracer.Event{Kind: r.kind, Other: child})
		w["child"] = append(append([]tracer.Event{r.childFirst(parent)}, r.childThen...),
			tracer.Event{Kind: tracer.Exited, Status: 0})
	}
	if r.doneBit != 0 && m&r.doneBit != 0 {
		w["parent"] = append(w["parent"], tracer.Event{Kind: tracer.VforkDone, Other: child})
	}
	w["parent"] = append(w["parent"], tracer.Event{Kind: tracer.Exited, Status: parentExit})
	return w
}

// byRole names the processes of a trace: the creator is "parent", the pid
// it reported as its child is "child", anything else is a stranger.
func byRole(tr tracer.Trace, parent, child int) map[string][]tracer.Event {
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

// creation is one run of a creation scenario under a tracer.
type creation struct {
	creator string      // "fork" or "spawn": which kernelReporting row applies
	setup   string      // scenario suffix: "", "_sigmasked", "_sigignored"
	mask    tracer.Mask // the event mask set at the tracee's ready point
	// attach: the tracer is unrelated to the tracee. A launcher process
	// starts it, the tracer PT_ATTACHes to it and only then lets it run.
	attach bool
	// on decides what to do with each stop (nil: resume everything).
	on func(ev tracer.Event, parent int) tracer.Action
}

// outcome is what a creation run saw.
type outcome struct {
	parent, child int
	got           map[string][]tracer.Event
	reports       *tracer.Proc // the process whose pipe carries the scenario's reports
}

// attachStop is the stop PT_ATTACH / PTRACE_ATTACH produces, per kernel:
// NetBSD posts SIGSTOP as from a user (SI_USER); Linux sends it with
// SEND_SIG_PRIV, which reads back as SI_KERNEL.
var attachStop = map[string]tracer.Event{
	"netbsd": {Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: siUser},
	"linux":  {Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: 0x80},
}

func (c creation) run(t *atfshim.T, tr *tracer.Tracer) outcome {
	tr.Pass(syscall.SIGCHLD) // the child's exit signal to the parent is not an event
	scenario := c.creator + c.setup
	var o outcome
	if c.attach {
		l := tr.Start("launch", tracee.EnvTarget+"="+scenario+"_attached")
		o.parent, o.reports = l.ReportInt("target"), l
		tr.Adopt(o.parent, "launched "+scenario)
		l.Report("awaiting_go")
		if d := tracer.Diff(attachStop[runtime.GOOS], tr.Attach(o.parent)); d != "" {
			t.Fatalf("PT_ATTACH to a running process must stop it with SIGSTOP (-want +got):\n%s", d)
		}
		tr.SetEventMask(o.parent, c.mask)
		tr.Cont(o.parent, 0)
		l.Go()
	} else {
		p := tr.Spawn(scenario)
		o.parent, o.reports = p.Pid, p
		tr.SetEventMask(p.Pid, c.mask)
		tr.Cont(p.Pid, 0)
	}
	var on func(tracer.Event) tracer.Action
	if c.on != nil {
		on = func(ev tracer.Event) tracer.Action { return c.on(ev, o.parent) }
	}
	trace := tr.Follow(o.parent, on)
	t.Logf("%s%s under mask %v: reports in wait order: %v", c.creator, c.setup, c.mask, trace.Order)
	// The child's pid: from the creator's event if the kernel reported one
	// (the creator may not live to report it), else from the scenario.
	for _, ev := range trace.ByPid[o.parent] {
		if ev.Creates() {
			o.child = ev.Other
			break
		}
	}
	if o.child == 0 {
		o.child = o.reports.ReportInt("child")
	}
	o.got = byRole(trace, o.parent, o.child)
	return o
}

// finish checks what the scenario's parent reported (when it survived to
// report) and that nothing is left to wait for.
func (o outcome) finish(t *atfshim.T, tr *tracer.Tracer, attach bool, wantChildStatus int) {
	if c := o.reports.ReportInt("child"); c != o.child {
		t.Errorf("the kernel reported child pid %d, the parent's fork returned %d", o.child, c)
	}
	if st := o.reports.ReportInt("child_status"); st != wantChildStatus {
		t.Errorf("the parent's wait for its child gave status %#x, want %#x", st, wantChildStatus)
	}
	if attach {
		if st := o.reports.ReportInt("target_status"); st != parentExit<<8 {
			t.Errorf("the tracee's own parent saw status %#x, want exit %d", st, parentExit)
		}
		if d := tracer.Diff(tracer.Event{Kind: tracer.Exited}, tr.Wait(o.reports.Pid)); d != "" {
			t.Errorf("launcher exit (-want +got):\n%s", d)
		}
	}
	tr.ExpectNoChildren(o.parent)
}

// creationEvents is the core case: a traced process creates one child under
// mask m. The kernel must report the creation to the tracer on both sides
// iff the mask says so, with the other pid cross-linked, as nothing else;
// the child then exits 0, the parent exits parentExit, and nothing is left
// to wait for.
func creationEvents(t *atfshim.T, tr *tracer.Tracer, c creation) {
	o := c.run(t, tr)
	if d := tracer.Diff(rules(t, c.creator).want(c.mask, o.parent, o.child), o.got); d != "" {
		t.Errorf("%s under event mask %v: reports differ from the kernel's contract (-want +got):\n%s", c.creator, c.mask, d)
	}
	o.finish(t, tr, c.attach, 0)
}

// maskMatrix is one of NetBSD's 16-case families (fork1..fork16 and so on):
// the same body under each of the 16 event masks, case name prefix+N.
type maskMatrix struct {
	test   func(*testing.T)
	prefix string
	descr  string // with one %v for the mask
}

func (mm maskMatrix) declare() {
	for n := 1; n <= 16; n++ {
		atfshim.DeclareSub(mm.test, fmt.Sprintf("%s%d", mm.prefix, n), atfshim.Meta{
			Descr: fmt.Sprintf(mm.descr, maskN(n)), Timeout: caseTimeout,
		})
	}
}

func (mm maskMatrix) run(t *testing.T, body func(t *atfshim.T, m tracer.Mask)) {
	for n := 1; n <= 16; n++ {
		atfshim.RunSub(t, fmt.Sprintf("%s%d", mm.prefix, n), func(t *atfshim.T) { body(t, maskN(n)) })
	}
}

func forkMatrix() maskMatrix {
	return maskMatrix{TestFork, "fork", "fork(2) under event mask %v: reported as fork on both sides iff FORK is set"}
}

func spawnMatrix() maskMatrix {
	return maskMatrix{TestPosixSpawn, "posix_spawn", "posix_spawn under event mask %v: reported per the kernel's spawn rule"}
}

func init() {
	forkMatrix().declare()
	spawnMatrix().declare()
}

func TestFork(t *testing.T) {
	forkMatrix().run(t, func(t *atfshim.T, m tracer.Mask) {
		creationEvents(t, tracer.New(t), creation{creator: "fork", mask: m})
	})
}

func TestPosixSpawn(t *testing.T) {
	spawnMatrix().run(t, func(t *atfshim.T, m tracer.Mask) {
		creationEvents(t, tracer.New(t), creation{creator: "spawn", mask: m})
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
			creationEvents(t, tracer.New(t, tracer.WithFlavour(f)), creation{creator: "fork", mask: tracer.MaskFork})
		})
	}
}
