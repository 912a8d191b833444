// Package tracer is the test harness on the ptrace core (package ptrace):
// a Tracer belongs to one test, spawns its tracee scenarios (re-executions
// of the test binary, package tracee), and fails the test on every error
// the core returns, on every broken promise of a report and on a wait that
// hangs, naming what it awaited.
//
// When the test ends in any way (pass, fail, t.Fatal, panic, timeout)
// every process the tracer started or saw created is killed and reaped,
// and a process that survives that is a test failure.
package tracer

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/ptrace"
	"ptracesuite/internal/tracee"
)

// DefaultWaitTimeout bounds every wait (per kernel: defaultWaitTimeout).
// A report that is due comes within milliseconds, so a wait that outlasts
// it is a hang: every tracee is killed, the wait returns, and the test
// fails naming what it awaited, the state the kernel left each process in,
// and the last report and request of each.
const DefaultWaitTimeout = defaultWaitTimeout

// Tracer drives tracees for one test.
type Tracer struct {
	tb      testing.TB
	c       *ptrace.Tracer
	flavour ptrace.Flavour

	mu    sync.Mutex
	procs []*Proc

	waitTimeout time.Duration
	timedOut    atomic.Bool
}

// Option configures New.
type Option func(*Tracer)

// WithFlavour makes every wait of the tracer use one wait(2) flavour.
func WithFlavour(f Flavour) Option { return func(tr *Tracer) { tr.flavour = f } }

// WithWaitTimeout changes DefaultWaitTimeout.
func WithWaitTimeout(d time.Duration) Option { return func(tr *Tracer) { tr.waitTimeout = d } }

// New starts a tracer for the test. Its cleanup kills and reaps everything.
func New(tb testing.TB, opts ...Option) *Tracer {
	tb.Helper()
	prepare()
	tr := &Tracer{tb: tb, waitTimeout: DefaultWaitTimeout}
	for _, o := range opts {
		o(tr)
	}
	var err error
	if tr.flavour.Name == "" {
		// The matrix's flavour (flavour.go): the program's name, the
		// wait variable, or wait4.
		name, from, err := waitFlavour()
		if err != nil {
			tb.Fatalf("%v", err)
		}
		if tr.flavour, err = FlavourByName(name); err != nil {
			tb.Skipf("wait flavour %s (%s): %v", name, from, err)
		}
	}
	skipUnlessFlavourServes(tb, tr.flavour)
	if tr.c, err = ptrace.New(ptrace.WithFlavour(tr.flavour), ptrace.WithSafetyNets(safetyNets)); err != nil {
		tb.Fatalf("%v", err)
	}
	// SIGURG, the Go runtime's preemption signal, is passed unless a case
	// asks for it with Report.
	tr.c.SetPass(unix.SIGURG, true)
	tb.Cleanup(tr.cleanup)
	if h, ok := tb.(interface{ OnTimeout(func()) }); ok {
		h.OnTimeout(tr.c.KillAll)
	}
	return tr
}

// Flavour returns the wait flavour in use.
func (tr *Tracer) Flavour() Flavour { return tr.flavour }

// Pass makes the tracer re-inject these signals transparently whenever a
// tracee stops for them, as NetBSD's PT_SET_SIGPASS does (the suite passes
// SIGCHLD in fork tests the same way). SIGURG, the Go runtime's preemption
// signal, is passed unless a case asks for it with Report.
func (tr *Tracer) Pass(sigs ...syscall.Signal) {
	for _, s := range sigs {
		tr.c.SetPass(s, true)
	}
}

// Report undoes Pass: stops for these signals are reported again. A case
// may ask it of SIGURG: every tracee runs with GODEBUG=asyncpreemptoff=1,
// so its runtime sends no preemption SIGURG, and a SIGURG stop is the
// scenario's own.
func (tr *Tracer) Report(sigs ...syscall.Signal) {
	for _, s := range sigs {
		tr.c.SetPass(s, false)
	}
}

// Proc is a process the tracer started: a re-executed test binary running
// a tracee scenario.
type Proc struct {
	Pid      int
	Scenario string

	tr      *Tracer
	lines   chan string
	reports map[string]string
	goW     *os.File
	out     string
}

// Spawn starts the scenario traced from its exec (PT_TRACE_ME /
// PTRACE_TRACEME before execve) and returns with it stopped at its ready
// point: the thread-directed SIGSTOP the scenario sends itself once the Go
// runtime is up. Set the event mask now, then Cont.
func (tr *Tracer) Spawn(scenario string) *Proc {
	tr.tb.Helper()
	return tr.spawn(scenario, ownGroup)
}

// SpawnLeader is Spawn with the tracee leading a process group of its own
// (setpgid(0, 0) before its exec), as a shell starts a job. On Linux every
// tracee does; on NetBSD only the cases about process groups ask for it.
func (tr *Tracer) SpawnLeader(scenario string) *Proc {
	tr.tb.Helper()
	return tr.spawn(scenario, true)
}

func (tr *Tracer) spawn(scenario string, leader bool) *Proc {
	tr.tb.Helper()
	p := tr.start(scenario, true, leader, nil)
	ev := tr.Wait(p.Pid)
	if err := tr.c.AfterExec(p.Pid, ev); err != nil {
		tr.fatalf(p, "tracee %q: %v", scenario, err)
	}
	tr.Cont(p.Pid, 0)
	tr.AwaitReady(p)
	return p
}

// AwaitReady waits for the scenario's ready stop (its own SIGSTOP).
func (tr *Tracer) AwaitReady(p *Proc) Event {
	tr.tb.Helper()
	ev := tr.Wait(p.Pid)
	if ev.Kind != Stopped || ev.Sig != int(unix.SIGSTOP) {
		tr.fatalf(p, "tracee %q: expected its ready SIGSTOP, got %v", p.Scenario, ev)
	}
	return ev
}

// Start starts the scenario as an untraced child (for attach tests), with
// extra environment "KEY=value" entries.
func (tr *Tracer) Start(scenario string, env ...string) *Proc {
	tr.tb.Helper()
	return tr.start(scenario, false, ownGroup, env)
}

func (tr *Tracer) start(scenario string, traced, leader bool, extra []string) *Proc {
	tr.tb.Helper()
	if !tracee.Registered(scenario) {
		tr.tb.Fatalf("no tracee scenario %q is registered in this test binary", scenario)
	}
	exe, err := os.Executable()
	if err != nil {
		tr.tb.Fatalf("os.Executable: %v", err)
	}
	env := tracee.Env(os.Environ(), tracee.EnvScenario, scenario)
	// The runtime's asynchronous preemption signals every traced thread with
	// SIGURG; the tracer passes them through, but fewer stops are faster.
	env = tracee.Env(env, "GODEBUG", "asyncpreemptoff=1")
	// A tracee is often killed before its deferred cleanup runs: its
	// temporary files go in a directory the test removes when it ends.
	env = tracee.Env(env, "TMPDIR", tr.tb.TempDir())
	if !safetyNets {
		env = tracee.Env(env, tracee.EnvNoSafetyNets, "1")
	}
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "=")
		env = tracee.Env(env, k, v)
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		tr.tb.Fatalf("pipe: %v", err)
	}
	goR, goW, err := os.Pipe()
	if err != nil {
		tr.tb.Fatalf("pipe: %v", err)
	}
	out, err := os.CreateTemp(tr.tb.TempDir(), scenario+"-*.out")
	if err != nil {
		tr.tb.Fatalf("tracee output file: %v", err)
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		tr.tb.Fatalf("%v", err)
	}
	pid, err := tr.c.Start(ptrace.Cmd{
		Path: exe, Argv: []string{exe}, Env: env,
		Files:  []*os.File{null, out, out, repW, goR},
		Traced: traced, Leader: leader, What: "tracee " + scenario,
	})
	repW.Close()
	goR.Close()
	null.Close()
	out.Close()
	if err != nil {
		tr.tb.Fatalf("start tracee %q: %v", scenario, err)
	}
	p := &Proc{Pid: pid, Scenario: scenario, tr: tr, lines: make(chan string, 64),
		reports: map[string]string{}, goW: goW, out: out.Name()}
	tr.mu.Lock()
	tr.procs = append(tr.procs, p)
	tr.mu.Unlock()
	go func() {
		defer close(p.lines)
		s := bufio.NewScanner(repR)
		for s.Scan() {
			p.lines <- s.Text()
		}
		repR.Close()
	}()
	return p
}

// Go releases a scenario blocked in AwaitGo.
func (p *Proc) Go() {
	p.tr.tb.Helper()
	if _, err := p.goW.Write([]byte{'g'}); err != nil {
		p.tr.tb.Fatalf("tracee %q: go pipe: %v", p.Scenario, err)
	}
}

// Report waits for the scenario to report key and returns its value. A
// scenario that reports "fail" fails the test with its message.
func (p *Proc) Report(key string) string {
	p.tr.tb.Helper()
	deadline := time.After(p.tr.waitTimeout)
	for {
		if v, ok := p.reports[key]; ok {
			return v
		}
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.tr.fatalf(p, "tracee %q exited without reporting %q", p.Scenario, key)
			}
			k, v, _ := strings.Cut(line, "=")
			if k == "fail" {
				p.tr.fatalf(p, "tracee %q failed: %s", p.Scenario, v)
			}
			p.reports[k] = v
		case <-deadline:
			p.tr.fatalf(p, "tracee %q did not report %q within %v", p.Scenario, key, p.tr.waitTimeout)
		}
	}
}

// ReportInt is Report for an integer value.
func (p *Proc) ReportInt(key string) int {
	p.tr.tb.Helper()
	v := p.Report(key)
	n, err := strconv.Atoi(v)
	if err != nil {
		p.tr.fatalf(p, "tracee %q reported %s=%q, not an integer", p.Scenario, key, v)
	}
	return n
}

// ReportedWithin reports whether the scenario has reported key, waiting up
// to d (0: only what has arrived already). Unlike Report it does not fail
// when the key does not come.
func (p *Proc) ReportedWithin(key string, d time.Duration) bool {
	p.tr.tb.Helper()
	deadline := time.Now().Add(d)
	for {
		if _, ok := p.reports[key]; ok {
			return true
		}
		var line string
		var open bool
		select {
		case line, open = <-p.lines: // whatever has arrived comes first
		default:
			left := time.Until(deadline)
			if left <= 0 {
				return false
			}
			select {
			case line, open = <-p.lines:
			case <-time.After(left):
				return false
			}
		}
		if !open {
			return false
		}
		k, v, _ := strings.Cut(line, "=")
		if k == "fail" {
			p.tr.fatalf(p, "tracee %q failed: %s", p.Scenario, v)
		}
		p.reports[k] = v
	}
}

// Output returns what the tracee wrote to stdout and stderr so far.
func (p *Proc) Output() string {
	b, _ := os.ReadFile(p.out)
	return string(b)
}

func (tr *Tracer) fatalf(p *Proc, format string, args ...any) {
	tr.tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if p != nil {
		if out := strings.TrimSpace(p.Output()); out != "" {
			tr.tb.Logf("tracee %q output:\n%s", p.Scenario, out)
		}
	}
	tr.tb.Fatal(msg)
}

// Adopt records a pid the test learned of (e.g. a launcher's child) so the
// cleanup kills and checks it. A pid the tracer may never signal (see
// ptrace.Forbidden) fails the test instead.
func (tr *Tracer) Adopt(pid int, what string) {
	tr.tb.Helper()
	if why := ptrace.Forbidden(pid); why != "" {
		tr.tb.Fatalf("%s: pid %d is %s: not a process of this test, never signalled", what, pid, why)
	}
	tr.c.Track(pid, what)
}

// Wait returns the next report for pid (-1: any traced process or child).
// Stops for passed signals are re-injected and not returned.
func (tr *Tracer) Wait(pid int) Event {
	tr.tb.Helper()
	ev, err := tr.TryWait(pid)
	if err != nil {
		tr.tb.Fatalf("%s(%d): %v", tr.flavour.Name, pid, err)
	}
	return ev
}

// TryWait is Wait that returns the wait's error (e.g. ECHILD) instead of
// failing the test. A report that breaks one of the kernel's promises
// (ptrace's checks) and a wait that hangs still fail it.
func (tr *Tracer) TryWait(pid int) (Event, error) {
	tr.tb.Helper()
	var stall, held string
	timer := time.AfterFunc(tr.waitTimeout, func() {
		stall, held = tr.describeStall(pid)
		tr.timedOut.Store(true)
		tr.c.KillAll()
	})
	ev, err := tr.c.Wait(pid)
	timer.Stop()
	if tr.timedOut.Load() {
		KnownHang(tr.tb, held)
		tr.tb.Fatalf("%s (every tracee was killed; the wait then returned %v, %v)", stall, ev, err)
	}
	tr.failBroken(err)
	return ev, err
}

// failBroken fails the test on a report that broke a promise.
func (tr *Tracer) failBroken(err error) {
	tr.tb.Helper()
	var b *ptrace.Broken
	if errors.As(err, &b) {
		tr.tb.Fatalf("%s", b.Why)
	}
}

// KnownHang makes a hang an expected failure when it is a kernel bug the
// kernel under test predates the fix of: held (ptrace.ExitHeld) is an exit
// that stopped LWPs keep from finishing (FixExitWithStoppedLwps). On a
// kernel with the fix, or any other hang (held ""), the case fails. tb
// must be an *atfshim.T for the expectation to be recorded.
func KnownHang(tb testing.TB, held string) {
	why := Lacks(nbabi.FixExitWithStoppedLwps)
	x, ok := tb.(interface{ ExpectFail(string) })
	if held == "" || why == "" || !ok {
		return
	}
	x.ExpectFail("kernel bug, fixed later: " + why + ": " + held)
}

// describeStall says, in one line, what a wait that timed out awaited and
// where the kernel left each awaited process; held is the first of them
// whose exit cannot finish (ptrace.ExitHeld), and "" when another of them
// is stuck otherwise (neither held nor waiting for a child).
func (tr *Tracer) describeStall(pid int) (line, held string) {
	other := false
	known := tr.c.Tracked()
	pids := []int{pid}
	if pid == -1 {
		pids = pids[:0]
		for p := range known {
			if ev, ok, _ := tr.c.Last(p); !ok || !ev.Terminal() {
				pids = append(pids, p)
			}
		}
		slices.Sort(pids)
	}
	var parts []string
	for _, p := range pids {
		part := fmt.Sprintf("pid %d (%s) is %s", p, known[p], ptrace.ProcState(p))
		switch h := ptrace.ExitHeld(p); {
		case h != "" && held == "":
			held = h
		case h == "" && !ptrace.WaitsForChild(p):
			// A process neither held nor waiting for a child (the held
			// one, its launcher's wait) hangs for its own reason: the
			// hang is not the known bug's alone.
			other = true
		}
		ev, ok, req := tr.c.Last(p)
		if ok {
			part += fmt.Sprintf(", last report %v", ev)
		} else {
			part += ", no report yet"
		}
		if req != "" {
			part += ", last request " + req
		}
		parts = append(parts, part)
	}
	if other {
		held = ""
	}
	return fmt.Sprintf("no report within %v of %s(%d): %s", tr.waitTimeout, tr.flavour.Name, pid, strings.Join(parts, "; ")), held
}

// ExpectNoChildren asserts that a wait (for pid, or any child for flavours
// without a pid) fails with ECHILD: nothing of the scenario is left for the
// test process to collect.
func (tr *Tracer) ExpectNoChildren(pid int) {
	tr.tb.Helper()
	ev, err := tr.TryWait(pid)
	if !errors.Is(err, unix.ECHILD) {
		tr.tb.Errorf("final %s(%d): want ECHILD, got event %v, error %v", tr.flavour.Name, pid, ev, err)
	}
}

// request fails the test with the request's name if the kernel refused it.
func (tr *Tracer) request(name string, pid int, err error) {
	tr.tb.Helper()
	if err != nil {
		tr.tb.Fatalf("%s(pid %d): %v (%s)", name, pid, err, tr.c.WhereIs(pid))
	}
}

// Cont resumes a stopped tracee where it stopped (NetBSD PT_CONTINUE with
// addr 1; Linux PTRACE_CONT), delivering sig (0: none).
func (tr *Tracer) Cont(pid int, sig syscall.Signal) {
	tr.tb.Helper()
	tr.request(ptrace.RequestNames.Cont, pid, tr.c.Cont(pid, sig))
}

// TryCont is Cont that returns the kernel's error.
func (tr *Tracer) TryCont(pid int, sig syscall.Signal) error { return tr.c.Cont(pid, sig) }

// Syscall resumes a stopped tracee where it stopped so that it stops again
// at its next system call entry or exit (NetBSD PT_SYSCALL with addr 1;
// Linux PTRACE_SYSCALL), delivering sig (0: none).
func (tr *Tracer) Syscall(pid int, sig syscall.Signal) {
	tr.tb.Helper()
	tr.request(ReqSyscall.String(), pid, tr.c.Syscall(pid, sig))
}

// TryResumeAt issues r for the stopped tracee pid with an explicit resume
// address addr and signal sig, and returns the kernel's error.
func (tr *Tracer) TryResumeAt(pid int, r ResumeReq, addr uintptr, sig syscall.Signal) error {
	return tr.c.ResumeAt(pid, r, addr, sig)
}

// TryResumeLwpAt resumes a stopped tracee with r at addr, the new PC being
// that of LWP lwp where the kernel lets the tracer name it (see
// ptrace.Tracer.ResumeLwpAt).
func (tr *Tracer) TryResumeLwpAt(pid, lwp int, r ResumeReq, addr uintptr) error {
	return tr.c.ResumeLwpAt(pid, lwp, r, addr)
}

// Detach detaches from a stopped tracee and lets it run, delivering sig.
func (tr *Tracer) Detach(pid int, sig syscall.Signal) {
	tr.tb.Helper()
	tr.request(ptrace.RequestNames.Detach, pid, tr.c.Detach(pid, sig))
}

// Kill terminates a stopped tracee with SIGKILL (NetBSD PT_KILL; Linux
// kill(2), since PTRACE_KILL is deprecated and only works in a
// signal-delivery-stop).
func (tr *Tracer) Kill(pid int) {
	tr.tb.Helper()
	tr.request(ptrace.RequestNames.Kill, pid, tr.c.Kill(pid))
}

// Attach attaches to a running process and returns its attach stop.
func (tr *Tracer) Attach(pid int) Event {
	tr.tb.Helper()
	tr.Adopt(pid, "attached")
	tr.request(ptrace.RequestNames.Attach, pid, tr.c.Attach(pid))
	return tr.Wait(pid)
}

// SetEventMask sets which events the kernel reports for pid.
func (tr *Tracer) SetEventMask(pid int, m Mask) {
	tr.tb.Helper()
	tr.request(ptrace.RequestNames.SetMask, pid, tr.c.SetEventMask(pid, m))
}

// EventMask reads the event mask back from the kernel (NetBSD
// PT_GET_EVENT_MASK). Linux has no request to read options back; there it
// returns what was last set, ok=false.
func (tr *Tracer) EventMask(pid int) (m Mask, ok bool) {
	tr.tb.Helper()
	m, ok, err := tr.c.EventMask(pid)
	tr.request(ptrace.RequestNames.GetMask, pid, err)
	return m, ok
}

// TraceExec makes the kernel report a successful execve as an Exec event
// (see ptrace.Tracer.TraceExec).
func (tr *Tracer) TraceExec(pid int) {
	tr.tb.Helper()
	tr.request(ptrace.RequestNames.TraceExec, pid, tr.c.TraceExec(pid))
}

// SignalState reads a process's blocked and ignored sets from the kernel's
// process table (Linux /proc/PID/status SigBlk/SigIgn; NetBSD kinfo_proc2
// p_sigmask/p_sigignore, as NetBSD's suite does).
func (tr *Tracer) SignalState(pid int) SigState {
	tr.tb.Helper()
	st, err := tr.c.SignalState(pid)
	tr.request("signal state", pid, err)
	return st
}

// PC reads the program counter of LWP lwp of the stopped tracee pid (see
// ptrace.Tracer.PC). Event.Lwp of a stop is the LWP to pass.
func (tr *Tracer) PC(pid, lwp int) uintptr {
	tr.tb.Helper()
	pc, err := tr.c.PC(pid, lwp)
	tr.request(ptrace.RequestNames.GetRegs, pid, err)
	return pc
}

// TryGetSiginfo reads the siginfo of pid's current stop (NetBSD
// PT_GET_SIGINFO; Linux PTRACE_GETSIGINFO).
func (tr *Tracer) TryGetSiginfo(pid int) (Siginfo, error) { return tr.c.GetSiginfo(pid) }

// TrySetSiginfo replaces the siginfo of pid's current stop (NetBSD
// PT_SET_SIGINFO; Linux PTRACE_SETSIGINFO).
func (tr *Tracer) TrySetSiginfo(pid int, si Siginfo) error { return tr.c.SetSiginfo(pid, si) }

// SendPanicking makes the tracer send the requests it withholds from
// kernels that predate a fix because the bug takes the kernel down (see
// nbabi.FixSetSiginfoLwp): for a kernel developer who wants to see whether
// a kernel between the known revisions has the bug. A kernel that has it
// panics; the qemu runner records the case as broken with the panic.
func (tr *Tracer) SendPanicking() { tr.c.SendPanicking() }

// TryReadMem reads len(buf) bytes at addr of the stopped tracee pid with m and
// returns how many bytes the kernel says it moved and its error. A Word
// request needs len(buf) == WordSize().
func (tr *Tracer) TryReadMem(pid int, m Mem, addr uintptr, buf []byte) (int, error) {
	return tr.c.ReadMem(pid, m, addr, buf)
}

// TryWriteMem writes buf at addr of the stopped tracee pid with m.
func (tr *Tracer) TryWriteMem(pid int, m Mem, addr uintptr, buf []byte) (int, error) {
	return tr.c.WriteMem(pid, m, addr, buf)
}

// TryReadAuxv reads the tracee's ELF auxiliary vector (NetBSD PT_IO with
// PIOD_READ_AUXV; Linux has no request for it and reads /proc/PID/auxv).
func (tr *Tracer) TryReadAuxv(pid int) ([]byte, error) { return tr.c.ReadAuxv(pid) }

// TryReadAuxvAt reads len(buf) bytes of the tracee's auxiliary vector
// from byte offset off and returns how many the kernel gave.
func (tr *Tracer) TryReadAuxvAt(pid, off int, buf []byte) (int, error) {
	return tr.c.ReadAuxvAt(pid, off, buf)
}

// cleanup is the guarantee: kill everything, reap everything, and fail the
// test for any process that is still there.
func (tr *Tracer) cleanup() {
	tr.c.KillAll()
	tr.c.ReapAll()
	passed, reaped := tr.c.Passed(), tr.c.Reaped()
	tr.c.Close()
	known := tr.c.Tracked()
	tr.mu.Lock()
	procs := tr.procs
	tr.mu.Unlock()
	for _, p := range procs {
		p.goW.Close()
	}
	// A SIGKILLed process is gone within milliseconds once reaped.
	deadline := time.Now().Add(2 * time.Second)
	for pid, what := range known {
		for ptrace.Alive(pid) && tr.c.Ours(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		// A pid reaped by another parent meanwhile is no longer the
		// test's: whatever has it now is not a leftover.
		if ptrace.Alive(pid) && tr.c.Ours(pid) {
			tr.tb.Errorf("process %d (%s) left behind after the test: still alive after SIGKILL and reaping", pid, what)
		}
	}
	if tr.tb.Failed() {
		for _, p := range procs {
			if out := strings.TrimSpace(p.Output()); out != "" {
				tr.tb.Logf("tracee %q (pid %d) output:\n%s", p.Scenario, p.Pid, out)
			}
		}
		if len(passed) > 0 {
			tr.tb.Logf("signals passed through to tracees: %v", passed)
		}
		if len(reaped) > 0 {
			tr.tb.Logf("deaths collected a second time, as adoptive parent: %v", reaped)
		}
	}
}
