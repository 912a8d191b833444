// Package tracer is the tracer side of the suite: a portable API over
// ptrace(2) for NetBSD and Linux.
//
// Every ptrace request and every wait for one Tracer runs on one goroutine
// locked to one OS thread: Linux accepts requests only from the thread that
// attached (others get ESRCH), and the thread that forked a traced child is
// its tracer. NetBSD traces processes and does not care, but one code path
// keeps both kernels honest.
//
// A Tracer belongs to one test. When the test ends in any way (pass, fail,
// t.Fatal, panic, timeout) every process the tracer started or saw created
// is killed and reaped, and a process that survives that is a test failure.
package tracer

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

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
	reqs    chan func()
	done    chan struct{}
	flavour Flavour

	// Fields below are touched only on the tracer goroutine (inside do).
	pending map[int][]Event   // events a wait-any flavour returned for other pids
	pass    map[int]bool      // signals re-injected transparently
	passed  []Event           // what was passed through, for messages
	dead    map[int]bool      // pids whose termination a wait has returned
	reaped  []Event           // second reports of those (reaps as adoptive parent)
	mask    map[int]Mask      // the last mask set per pid (Linux cannot read it back)
	resumed map[int]ResumeReq // how each pid was last resumed (passthrough resumes alike)
	// inSyscall: the syscall each LWP entered under PT_SYSCALL and whose
	// exit stop is owed (checkSyscall).
	inSyscall map[sysKey]int
	reported  map[[3]int]bool // creation reports seen: kind, reporter, other
	mut       mutantState     // an injected kernel bug (mutation builds only)
	// sendPanicking: send requests withheld because they panic kernels
	// without a fix (SendPanicking).
	sendPanicking bool

	mu       sync.Mutex
	procs    []*Proc
	known    map[int]string // every pid we started or saw created → what it is
	children map[int]bool   // pids whose real parent is the test process
	pgids    []int
	closed   bool
	lastEv   map[int]Event  // each pid's last report, for hang messages
	lastReq  map[int]string // each pid's last request, for hang messages

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
	if err := checkKernel(); err != nil {
		tb.Fatalf("%v", err)
	}
	tr := &Tracer{
		tb:          tb,
		reqs:        make(chan func()),
		done:        make(chan struct{}),
		flavour:     defaultFlavour(),
		pending:     map[int][]Event{},
		pass:        map[int]bool{int(unix.SIGURG): true},
		mask:        map[int]Mask{},
		resumed:     map[int]ResumeReq{},
		dead:        map[int]bool{},
		known:       map[int]string{},
		children:    map[int]bool{},
		inSyscall:   map[sysKey]int{},
		reported:    map[[3]int]bool{},
		lastEv:      map[int]Event{},
		lastReq:     map[int]string{},
		waitTimeout: DefaultWaitTimeout,
	}
	for _, o := range opts {
		o(tr)
	}
	go tr.loop()
	tb.Cleanup(tr.cleanup)
	if h, ok := tb.(interface{ OnTimeout(func()) }); ok {
		h.OnTimeout(tr.killAll)
	}
	return tr
}

func (tr *Tracer) loop() {
	runtime.LockOSThread()
	if unlockWhenDone {
		// BSDs: exiting a locked thread is unsafe (golang/go#52394), and
		// the tracer is the process there, so the thread need not die.
		defer runtime.UnlockOSThread()
	}
	defer close(tr.done)
	for f := range tr.reqs {
		f()
	}
}

// do runs f on the tracer thread. A panic in f is re-raised in the caller.
func (tr *Tracer) do(f func()) {
	var p any
	ok := make(chan struct{})
	tr.reqs <- func() {
		defer close(ok)
		defer func() { p = recover() }()
		f()
	}
	<-ok
	if p != nil {
		panic(p)
	}
}

// Flavour returns the wait flavour in use.
func (tr *Tracer) Flavour() Flavour { return tr.flavour }

// Pass makes the tracer re-inject these signals transparently whenever a
// tracee stops for them, as NetBSD's PT_SET_SIGPASS does (the suite passes
// SIGCHLD in fork tests the same way). SIGURG, the Go runtime's preemption
// signal, is passed unless a case asks for it with Report.
func (tr *Tracer) Pass(sigs ...syscall.Signal) {
	tr.setPass(sigs, true)
}

// Report undoes Pass: stops for these signals are reported again. A case
// may ask it of SIGURG: every tracee runs with GODEBUG=asyncpreemptoff=1,
// so its runtime sends no preemption SIGURG, and a SIGURG stop is the
// scenario's own.
func (tr *Tracer) Report(sigs ...syscall.Signal) {
	tr.setPass(sigs, false)
}

func (tr *Tracer) setPass(sigs []syscall.Signal, pass bool) {
	tr.do(func() {
		for _, s := range sigs {
			tr.pass[int(s)] = pass
		}
	})
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
	if !(ev.Kind == Exec || (ev.Kind == Stopped && ev.Sig == int(unix.SIGTRAP))) {
		tr.fatalf(p, "tracee %q: first report after a traced exec must be the exec SIGTRAP, got %v", scenario, ev)
	}
	tr.do(func() { tr.check(p.Pid, "after exec", afterExec(p.Pid)) })
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
	var proc *os.Process
	// The fork must happen on the tracer thread: on Linux the forking thread
	// becomes the child's parent and, with Ptrace set, its tracer.
	tr.do(func() {
		proc, err = os.StartProcess(exe, []string{exe}, &os.ProcAttr{
			Env:   env,
			Files: []*os.File{null, out, out, repW, goR},
			Sys:   sysProcAttr(traced, leader),
		})
	})
	repW.Close()
	goR.Close()
	null.Close()
	out.Close()
	if err != nil {
		tr.tb.Fatalf("start tracee %q: %v", scenario, err)
	}
	pid := proc.Pid
	proc.Release()
	p := &Proc{Pid: pid, Scenario: scenario, tr: tr, lines: make(chan string, 64),
		reports: map[string]string{}, goW: goW, out: out.Name()}
	tr.mu.Lock()
	tr.procs = append(tr.procs, p)
	tr.known[pid] = "tracee " + scenario
	tr.children[pid] = true
	if leader {
		tr.pgids = append(tr.pgids, pid) // Setpgid: the tracee leads its own group
	}
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
// forbidden) fails the test instead.
func (tr *Tracer) Adopt(pid int, what string) {
	tr.tb.Helper()
	if why := forbidden(pid); why != "" {
		tr.tb.Fatalf("%s: pid %d is %s: not a process of this test, never signalled", what, pid, why)
	}
	tr.adopt(pid, what)
}

// adopt records a validated pid in the kill set.
func (tr *Tracer) adopt(pid int, what string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if _, ok := tr.known[pid]; !ok {
		tr.known[pid] = what
	}
}

// forbidden says why kill(2) must never be sent to pid by a tracer, or "":
// 0 and -1 name groups or every process, 1 is init, and the test process
// and its process group are the tracer itself.
func forbidden(pid int) string {
	switch {
	case pid == 0:
		return "0 (kill(0) is the caller's own process group)"
	case pid < 0:
		return "negative (kill(-1) is every process, kill(-N) a group)"
	case pid == 1:
		return "init"
	case pid == os.Getpid():
		return "the test process itself"
	case pid == unix.Getpgrp():
		return "the test process's own process group"
	}
	return ""
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
// failing the test.
func (tr *Tracer) TryWait(pid int) (Event, error) {
	tr.tb.Helper()
	var stall string
	timer := time.AfterFunc(tr.waitTimeout, func() {
		stall = tr.describeStall(pid)
		tr.timedOut.Store(true)
		tr.killAll()
	})
	var ev Event
	var err error
	var broken string
	tr.do(func() {
		for {
			ev, err = tr.waitOne(pid)
			if err == nil && ev.Terminal() {
				if tr.dead[ev.Pid] {
					// A second report of a death the tracer already
					// collected as tracer: the process's parent died
					// meanwhile and the test process, its subreaper,
					// now reaps it as adoptive parent. Not a report
					// to the tracer; keep it out of the event log.
					tr.reaped = append(tr.reaped, ev)
					continue
				}
				tr.died(ev.Pid)
			} else if err == nil {
				delete(tr.dead, ev.Pid) // alive: a pid the kernel reused
			}
			if err != nil || ev.Kind != Stopped || !tr.pass[ev.Sig] {
				if err == nil {
					broken = tr.checkReport(ev)
				}
				return
			}
			tr.passed = append(tr.passed, ev)
			// Re-inject with the request that last resumed it, so a
			// passed signal does not switch PT_SYSCALL tracing off.
			req := tr.resumed[ev.Pid]
			if req == 0 {
				req = ReqContinue
			}
			tr.sent(ev.Pid, req.String()+" (passing "+SignalName(ev.Sig)+")", req == ReqSyscall)
			if err = resumeAt(ev.Pid, req, 1, ev.Sig); err != nil {
				err = fmt.Errorf("re-injecting %v: %w", ev, err)
				return
			}
		}
	})
	timer.Stop()
	if tr.timedOut.Load() {
		tr.tb.Fatalf("%s (every tracee was killed; the wait then returned %v, %v)", stall, ev, err)
	}
	if broken != "" {
		tr.tb.Fatalf("%s", broken)
	}
	return ev, err
}

// died records that pid's death was collected. The pid is no longer the
// test's: the kernel may give it to any new process, so it leaves the kill
// set (killAll must never signal a reused pid) and the per-pid records.
// On the tracer thread.
func (tr *Tracer) died(pid int) {
	tr.dead[pid] = true
	tr.forgetSyscalls(pid)
	for k := range tr.reported {
		if k[1] == pid || k[2] == pid {
			delete(tr.reported, k)
		}
	}
	tr.mu.Lock()
	delete(tr.known, pid)
	tr.mu.Unlock()
}

// checkReport runs the promises every report keeps (checks.go) and records
// it for hang messages; on the tracer thread.
func (tr *Tracer) checkReport(ev Event) string {
	tr.mu.Lock()
	tr.lastEv[ev.Pid] = ev
	tr.mu.Unlock()
	if ev.Creates() {
		// A process is created once, so the kernel reports it once.
		key := [3]int{int(ev.Kind), ev.Pid, ev.Other}
		if tr.reported[key] {
			return fmt.Sprintf("kernel reported the creation of pid %d by pid %d twice: a second %s stop", ev.Other, ev.Pid, ev.Kind.Kernel())
		}
		tr.reported[key] = true
	}
	for _, why := range []string{tr.checkSyscall(ev), checkEventSiginfo(ev), checkVforkDone(ev), checkInCreation(ev)} {
		if why != "" {
			return why
		}
	}
	if ev.Creates() {
		switch why := tr.checkOther(ev); why {
		case "":
			tr.adopt(ev.Other, createdBy(ev))
		case errGone:
		default:
			return why
		}
	}
	return ""
}

// sent records a request to pid for hang messages; a resume other than
// PT_SYSCALL ends the syscall-exit promise (checkSyscall). On the tracer
// thread.
func (tr *Tracer) sent(pid int, req string, syscallTracing bool) {
	if !syscallTracing {
		tr.forgetSyscalls(pid)
	}
	tr.mu.Lock()
	tr.lastReq[pid] = req
	tr.mu.Unlock()
}

// describeStall says, in one line, what a wait that timed out awaited and
// where the kernel left each awaited process.
func (tr *Tracer) describeStall(pid int) string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	pids := []int{pid}
	if pid == -1 {
		pids = pids[:0]
		for p := range tr.known {
			if ev, ok := tr.lastEv[p]; !ok || !ev.Terminal() {
				pids = append(pids, p)
			}
		}
		slices.Sort(pids)
	}
	var parts []string
	for _, p := range pids {
		part := fmt.Sprintf("pid %d (%s) is %s", p, tr.known[p], procState(p))
		if ev, ok := tr.lastEv[p]; ok {
			part += fmt.Sprintf(", last report %v", ev)
		} else {
			part += ", no report yet"
		}
		if r, ok := tr.lastReq[p]; ok {
			part += ", last request " + r
		}
		parts = append(parts, part)
	}
	return fmt.Sprintf("no report within %v of %s(%d): %s", tr.waitTimeout, tr.flavour.Name, pid, strings.Join(parts, "; "))
}

// waitOne is one wait through the flavour, on the tracer thread. A flavour
// that cannot name a pid waits for any and queues the others' reports.
func (tr *Tracer) waitOne(pid int) (Event, error) {
	if pid == -1 {
		for p, q := range tr.pending {
			if len(q) > 0 {
				tr.pending[p] = q[1:]
				return q[0], nil
			}
		}
	} else if q := tr.pending[pid]; len(q) > 0 {
		tr.pending[pid] = q[1:]
		return q[0], nil
	}
	for {
		target := pid
		if !tr.flavour.HasPid {
			target = -1
		}
		wpid, status, si, err := tr.flavour.wait(target)
		if err != nil {
			return Event{}, err
		}
		evs := tr.decoded(wpid, status, si, tr.flavour.Name)
		if len(evs) == 0 {
			continue
		}
		if pid == -1 || wpid == pid {
			tr.pending[wpid] = append(evs[1:], tr.pending[wpid]...)
			return evs[0], nil
		}
		tr.pending[wpid] = append(tr.pending[wpid], evs...)
	}
}

// decoded is what a wait returned, as events: one, unless a mutation build
// injects a kernel bug (mutant_linux.go) that drops, duplicates or delays
// reports. On the tracer thread.
func (tr *Tracer) decoded(wpid int, status uint32, si []byte, flavour string) []Event {
	ev := decode(wpid, status, si)
	ev.Raw.Flavour = flavour
	if mutating {
		return tr.mutate(ev)
	}
	return []Event{ev}
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

// check fails the test from inside do (runs on the tracer goroutine, so it
// must not call FailNow); the caller's next step sees tr.tb.Failed.
func (tr *Tracer) check(pid int, what string, err error) {
	if err != nil {
		tr.tb.Errorf("pid %d: %s: %v", pid, what, err)
	}
}

// request runs one ptrace request on the tracer thread and fails the test
// with the request's name if the kernel refuses it.
func (tr *Tracer) request(name string, pid int, f func() error) {
	tr.tb.Helper()
	var err error
	tr.do(func() { err = f() })
	if err != nil {
		tr.tb.Fatalf("%s(pid %d): %v (%s)", name, pid, err, tr.whereIs(pid))
	}
}

// whereIs says, for a message, the state the kernel shows pid in and the
// last report the tracer had of it: a request refused with ESRCH right
// after a report means the report named a process that was not stopped.
func (tr *Tracer) whereIs(pid int) string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	s := fmt.Sprintf("pid %d is %s", pid, procState(pid))
	if ev, ok := tr.lastEv[pid]; ok {
		s += fmt.Sprintf(", last report %v", ev)
	}
	return s
}

// Cont resumes a stopped tracee where it stopped (NetBSD PT_CONTINUE with
// addr 1; Linux PTRACE_CONT), delivering sig (0: none).
func (tr *Tracer) Cont(pid int, sig syscall.Signal) {
	tr.tb.Helper()
	tr.request(reqName.cont, pid, func() error {
		tr.resumed[pid] = ReqContinue
		tr.sent(pid, reqName.cont, false)
		return resume(pid, int(sig))
	})
}

// TryCont is Cont that returns the kernel's error.
func (tr *Tracer) TryCont(pid int, sig syscall.Signal) error {
	var err error
	tr.do(func() {
		tr.sent(pid, reqName.cont, false)
		err = resume(pid, int(sig))
	})
	return err
}

// Detach detaches from a stopped tracee and lets it run, delivering sig.
func (tr *Tracer) Detach(pid int, sig syscall.Signal) {
	tr.tb.Helper()
	tr.request(reqName.detach, pid, func() error {
		tr.sent(pid, reqName.detach, false)
		return detach(pid, mutDetachSig(int(sig)))
	})
}

// Kill terminates a stopped tracee with SIGKILL (NetBSD PT_KILL; Linux
// kill(2), since PTRACE_KILL is deprecated and only works in a
// signal-delivery-stop).
func (tr *Tracer) Kill(pid int) {
	tr.tb.Helper()
	tr.request(reqName.kill, pid, func() error {
		tr.sent(pid, reqName.kill, false)
		return kill(pid)
	})
}

// Attach attaches to a running process and returns its attach stop.
func (tr *Tracer) Attach(pid int) Event {
	tr.tb.Helper()
	tr.Adopt(pid, "attached")
	tr.request(reqName.attach, pid, func() error {
		tr.sent(pid, reqName.attach, false)
		return attach(pid)
	})
	return tr.Wait(pid)
}

// SetEventMask sets which events the kernel reports for pid.
func (tr *Tracer) SetEventMask(pid int, m Mask) {
	tr.tb.Helper()
	tr.request(reqName.setMask, pid, func() error {
		if err := setMask(pid, m); err != nil {
			return err
		}
		tr.mask[pid] = m
		return nil
	})
}

// EventMask reads the event mask back from the kernel (NetBSD
// PT_GET_EVENT_MASK). Linux has no request to read options back; there it
// returns what was last set, ok=false.
func (tr *Tracer) EventMask(pid int) (m Mask, ok bool) {
	tr.tb.Helper()
	tr.request(reqName.getMask, pid, func() error {
		var err error
		m, ok, err = getMask(pid, tr.mask[pid])
		return err
	})
	return m, ok
}

// SigState is a process's blocked and ignored signal sets (bit n-1 is
// signal n).
type SigState struct{ Blocked, Ignored SigSet }

// SigSet is a set of signals 1..64.
type SigSet uint64

// Has reports whether sig is in the set.
func (s SigSet) Has(sig syscall.Signal) bool { return s&(1<<(uint(sig)-1)) != 0 }

// SignalState reads a process's blocked and ignored sets from the kernel's
// process table (Linux /proc/PID/status SigBlk/SigIgn; NetBSD kinfo_proc2
// p_sigmask/p_sigignore, as NetBSD's suite does).
func (tr *Tracer) SignalState(pid int) SigState {
	tr.tb.Helper()
	var st SigState
	tr.request("signal state", pid, func() error {
		var err error
		st, err = sigState(pid)
		st = tr.mutSigState(pid, st)
		return err
	})
	return st
}

// killAll SIGKILLs every process group and process the tracer knows. Safe
// from any goroutine (kill(2) is not a ptrace request).
func (tr *Tracer) killAll() {
	if mutantKeepsAll() {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	// Every pid here passed forbidden when it was recorded; checked again
	// so that no path can turn a kernel report into kill(0) or kill(-1).
	for _, g := range tr.pgids {
		if forbidden(g) == "" {
			unix.Kill(-g, unix.SIGKILL)
		}
	}
	for pid := range tr.known {
		if forbidden(pid) == "" {
			unix.Kill(pid, unix.SIGKILL)
		}
	}
}

// cleanup is the guarantee: kill everything, reap everything, and fail the
// test for any process that is still there.
func (tr *Tracer) cleanup() {
	tr.killAll()
	if !mutantKeepsAll() {
		tr.do(reapAll)
	}
	close(tr.reqs)
	<-tr.done
	tr.mu.Lock()
	known := make(map[int]string, len(tr.known))
	for k, v := range tr.known {
		known[k] = v
	}
	procs := tr.procs
	tr.mu.Unlock()
	for _, p := range procs {
		p.goW.Close()
	}
	// A SIGKILLed process is gone within milliseconds once reaped.
	deadline := time.Now().Add(2 * time.Second)
	for pid, what := range known {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if alive(pid) {
			tr.tb.Errorf("process %d (%s) left behind after the test: still alive after SIGKILL and reaping", pid, what)
		}
	}
	if tr.tb.Failed() {
		for _, p := range procs {
			if out := strings.TrimSpace(p.Output()); out != "" {
				tr.tb.Logf("tracee %q (pid %d) output:\n%s", p.Scenario, p.Pid, out)
			}
		}
		if len(tr.passed) > 0 {
			tr.tb.Logf("signals passed through to tracees: %v", tr.passed)
		}
		if len(tr.reaped) > 0 {
			tr.tb.Logf("deaths collected a second time, as adoptive parent: %v", tr.reaped)
		}
	}
}

// reapAll collects every child of the test process until none is left (or
// a few seconds pass), on the tracer thread so traced children are seen.
func reapAll() {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		pid, err := reapOne()
		if errors.Is(err, unix.ECHILD) {
			return
		}
		if err != nil && !errors.Is(err, unix.EINTR) {
			return
		}
		if pid == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
}
