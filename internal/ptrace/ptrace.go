// Package ptrace is the suite's ptrace(2) core for NetBSD and Linux: it
// starts or attaches to processes, sends requests, waits through the
// kernel's wait flavours and decodes what the kernel reports into
// normalized events, checking at every report the promises the kernel
// makes about a report itself (checks.go). It knows nothing of tests: every
// refusal, broken promise or failed wait is an error for its caller.
// Package tracer builds the test harness on it; cmd/picotrace a tracer.
//
// Every ptrace request and every wait of one Tracer runs on one goroutine
// locked to one OS thread: Linux accepts requests only from the thread that
// attached (others get ESRCH), and the thread that forked a traced child is
// its tracer. NetBSD traces processes and does not care, but one code path
// keeps both kernels honest. A caller already on that thread (inside Do)
// makes its requests there directly, without a hop to the thread.
//
// A Tracer keeps the set of processes it started, attached to or was told
// of by a creation report, for its user's cleanup (KillAll, ReapAll); a
// process whose death a wait collected leaves it.
package ptrace

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Tracer drives tracees from one locked OS thread.
type Tracer struct {
	reqs    chan func()
	done    chan struct{}
	tid     atomic.Int64 // the tracer thread's id, once it runs
	closed  sync.Once
	flavour Flavour
	// nets: Linux's safety nets (PTRACE_O_EXITKILL, PR_SET_PDEATHSIG on
	// what Start starts) kill tracees whose tracer thread dies.
	nets bool
	// unchecked: WithChecks(false), the promises of checks.go not asserted.
	unchecked bool
	// bare: WithSyscallInfo(false), syscall stops not decoded; in is
	// each such LWP's side of its system call (true: entered).
	bare   bool
	bareIn map[int]bool
	// reuse: WithReusedReports, each report's Raw decoded into buf.
	reuse bool
	buf   *reportBuf

	// Fields below are touched only on the tracer thread.
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
	one       [1]Event        // decoded's result
	mut       mutantState     // an injected kernel bug (mutation builds only)
	// sendPanicking: send requests withheld because they panic kernels
	// without a fix (SendPanicking).
	sendPanicking bool

	mu       sync.Mutex
	known    map[int]string // every pid started, attached or reported created → what it is
	children map[int]bool   // pids whose real parent is this process
	pgids    []int
	lastEv   map[int]*Event // each pid's last report, for messages
	lastReq  map[int]string // each pid's last request, for messages
}

// Option configures New.
type Option func(*Tracer)

// WithFlavour makes every wait of the tracer use one wait(2) flavour
// (default waitpid).
func WithFlavour(f Flavour) Option { return func(tr *Tracer) { tr.flavour = f } }

// WithSafetyNets switches Linux's safety nets on or off (default off): a
// tracee then dies with the tracer thread (PTRACE_O_EXITKILL, and
// PR_SET_PDEATHSIG for what Start starts) instead of running on untraced.
// NetBSD has neither; there the option changes nothing.
func WithSafetyNets(on bool) Option { return func(tr *Tracer) { tr.nets = on && HasSafetyNets } }

// WithChecks switches the promises every report keeps (checks.go) on or
// off (default on: the suite asserts them at every report). Off, Wait and
// Poll return reports without them, for a tracer command that only
// prints what the kernel reports (cmd/picotrace): they read /proc and
// registers at creation and VFORK_DONE reports and keep per-LWP state at
// every syscall stop. The other pid of a creation report is validated
// either way before it joins the kill set (checkOther; off, on Linux,
// checkOtherOwned: a child or tracee of this process).
func WithChecks(on bool) Option { return func(tr *Tracer) { tr.unchecked = !on } }

// WithSyscallInfo switches the decoding of syscall stops on or off
// (default on). Off, a syscall stop is reported as SyscallEntry or
// SyscallExit by alternation alone, per LWP, with Sysno -1 and no
// arguments or return values: the tracer asks the kernel nothing at the
// stop (on Linux no PTRACE_GET_SYSCALL_INFO), as a minimal
// PTRACE_SYSCALL/waitpid loop does. Alternation cannot tell an entry
// from an exit for an LWP first seen inside a system call (attached
// there), so it needs WithChecks(false). NetBSD always reads the stop's
// siginfo (TRAP_SCE/TRAP_SCX tell the two apart): there the option
// changes nothing.
func WithSyscallInfo(on bool) Option { return func(tr *Tracer) { tr.bare = !on } }

// WithReusedReports switches one buffer for every report's Raw (and what
// it points to) on or off (default off: each report's Raw is its own).
// On, the next report overwrites it: for a tracer command that is done with
// a report before it waits for the next (cmd/picotrace, cmd/bench), whose
// every stop then costs no allocation. A report the core keeps for later
// (another pid's from a wait-any flavour, a Peek, a passed signal,
// Requeue) is copied first.
func WithReusedReports(on bool) Option { return func(tr *Tracer) { tr.reuse = on } }

// New starts a tracer thread.
func New(opts ...Option) (*Tracer, error) {
	if err := checkKernel(); err != nil {
		return nil, err
	}
	tr := &Tracer{
		reqs:      make(chan func()),
		done:      make(chan struct{}),
		flavour:   defaultFlavour(),
		pending:   map[int][]Event{},
		pass:      map[int]bool{},
		mask:      map[int]Mask{},
		resumed:   map[int]ResumeReq{},
		dead:      map[int]bool{},
		known:     map[int]string{},
		children:  map[int]bool{},
		inSyscall: map[sysKey]int{},
		reported:  map[[3]int]bool{},
		lastEv:    map[int]*Event{},
		lastReq:   map[int]string{},
	}
	for _, o := range opts {
		o(tr)
	}
	if tr.bare && !tr.unchecked {
		return nil, fmt.Errorf("ptrace.WithSyscallInfo(false) needs WithChecks(false): the checks read every syscall stop's info")
	}
	tr.bareIn = map[int]bool{}
	if tr.reuse {
		tr.buf = &reportBuf{}
	}
	started := make(chan struct{})
	go tr.loop(started)
	<-started
	return tr, nil
}

func (tr *Tracer) loop(started chan struct{}) {
	runtime.LockOSThread()
	if unlockWhenDone {
		// BSDs: exiting a locked thread is unsafe (golang/go#52394), and
		// the tracer is the process there, so the thread need not die.
		defer runtime.UnlockOSThread()
	}
	defer close(tr.done)
	tr.tid.Store(int64(threadID()))
	close(started)
	for f := range tr.reqs {
		f()
	}
	tr.tid.Store(0)
}

// Close ends the tracer thread. It kills nothing: on Linux, with the
// safety nets on, the kernel kills the tracees with the thread; otherwise
// they are detached and run on (KillAll and ReapAll first to end them).
func (tr *Tracer) Close() {
	tr.closed.Do(func() {
		close(tr.reqs)
		<-tr.done
	})
}

// Do runs f on the tracer thread and returns when it is done; a panic in f
// is re-raised in the caller. Called on the tracer thread (from inside
// another Do), it runs f at once: a caller that makes many requests in a
// row (a tracing loop) runs them inside one Do, without a hop per request.
func (tr *Tracer) Do(f func()) {
	if tr.onThread() {
		f()
		return
	}
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

// onThread: the calling goroutine is the tracer goroutine. Only the
// goroutine locked to a thread runs on it, so the thread id says so.
func (tr *Tracer) onThread() bool {
	tid := tr.tid.Load()
	return tid != 0 && int64(threadID()) == tid
}

// Flavour returns the wait flavour in use.
func (tr *Tracer) Flavour() Flavour { return tr.flavour }

// SafetyNets reports whether the safety nets are on.
func (tr *Tracer) SafetyNets() bool { return tr.nets }

// SetPass makes the tracer re-inject sig transparently whenever a tracee
// stops for it (pass), as NetBSD's PT_SET_SIGPASS does, or report such
// stops again (!pass). Nothing is passed unless asked.
func (tr *Tracer) SetPass(sig syscall.Signal, pass bool) {
	tr.Do(func() { tr.pass[int(sig)] = pass })
}

// Passed lists the stops the tracer passed through, for messages.
func (tr *Tracer) Passed() []Event {
	var out []Event
	tr.Do(func() { out = append(out, tr.passed...) })
	return out
}

// Reaped lists the second reports of deaths already collected: the
// process's parent died and this process, its subreaper, reaped it as
// adoptive parent. They are not reports to the tracer; for messages.
func (tr *Tracer) Reaped() []Event {
	var out []Event
	tr.Do(func() { out = append(out, tr.reaped...) })
	return out
}

// Cmd is a process for Start: a path, its argv and environment, the files
// it gets as fds 0, 1, 2, ... (nil: /dev/null for 0..2 alone).
type Cmd struct {
	Path  string
	Argv  []string
	Env   []string
	Files []*os.File
	// Traced: the child asks to be traced (PT_TRACE_ME / PTRACE_TRACEME)
	// before its execve, so its first report is the exec stop.
	Traced bool
	// Leader: the child leads a process group of its own (setpgid(0, 0)
	// before its execve); KillAll then kills the group.
	Leader bool
	// What names the process in messages ("tracee fork", "sh").
	What string
}

// Start starts c as a child of this process and records it. The fork
// happens on the tracer thread: on Linux the forking thread becomes the
// child's parent and, with Traced, its tracer.
func (tr *Tracer) Start(c Cmd) (int, error) {
	files := c.Files
	if files == nil {
		null, err := os.Open(os.DevNull)
		if err != nil {
			return 0, err
		}
		defer null.Close()
		files = []*os.File{null, null, null}
	}
	var proc *os.Process
	var err error
	tr.Do(func() {
		proc, err = os.StartProcess(c.Path, c.Argv, &os.ProcAttr{
			Env:   c.Env,
			Files: files,
			Sys:   sysProcAttr(c.Traced, c.Leader, tr.nets),
		})
	})
	if err != nil {
		return 0, err
	}
	pid := proc.Pid
	proc.Release()
	what := c.What
	if what == "" {
		what = c.Path
	}
	tr.mu.Lock()
	tr.known[pid] = what
	tr.children[pid] = true
	if c.Leader {
		tr.pgids = append(tr.pgids, pid) // Setpgid: the child leads its own group
	}
	tr.mu.Unlock()
	return pid, nil
}

// AfterExec takes ev, the first report of a process started traced: it
// must be the exec stop (Linux: the post-execve SIGTRAP), and the tracer
// then sets the options every tracee gets.
func (tr *Tracer) AfterExec(pid int, ev Event) error {
	if !(ev.Kind == Exec || (ev.Kind == Stopped && ev.Sig == int(unix.SIGTRAP))) {
		return fmt.Errorf("first report after a traced exec must be the exec SIGTRAP, got %v", ev)
	}
	var err error
	tr.Do(func() { err = afterExec(pid, tr.nets) })
	if err != nil {
		return fmt.Errorf("pid %d: after exec: %w", pid, err)
	}
	return nil
}

// Spawn starts c traced from its exec and returns it stopped at the exec
// stop (ev), with the options every tracee gets: set the event mask now,
// then resume it. On any error after the start, the child is killed.
func (tr *Tracer) Spawn(c Cmd) (pid int, ev Event, err error) {
	c.Traced = true
	if pid, err = tr.Start(c); err != nil {
		return 0, Event{}, err
	}
	if ev, err = tr.Wait(pid); err == nil {
		err = tr.AfterExec(pid, ev)
	}
	if err != nil {
		tr.KillAll()
		tr.ReapAll()
		return 0, ev, err
	}
	return pid, ev, nil
}

// Track records a process of this tracer's (one a test learned of, e.g.
// a launcher's child) under what, so that KillAll kills it. The caller
// vouches for pid: see Forbidden.
func (tr *Tracer) Track(pid int, what string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if _, ok := tr.known[pid]; !ok {
		tr.known[pid] = what
	}
}

// Tracked returns the processes the tracer knows and has not seen die.
func (tr *Tracer) Tracked() map[int]string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	out := make(map[int]string, len(tr.known))
	for k, v := range tr.known {
		out[k] = v
	}
	return out
}

// IsChild reports whether Start started pid (its real parent is this
// process).
func (tr *Tracer) IsChild(pid int) bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.children[pid]
}

// Last returns pid's last report (ok false: none yet) and last request
// ("": none), for messages.
func (tr *Tracer) Last(pid int) (ev Event, ok bool, req string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if p := tr.lastEv[pid]; p != nil {
		ev, ok = *p, true
	}
	return ev, ok, tr.lastReq[pid]
}

// WhereIs says, for a message, the state the kernel shows pid in and the
// last report the tracer had of it: a request refused with ESRCH right
// after a report means the report named a process that was not stopped.
func (tr *Tracer) WhereIs(pid int) string {
	s := fmt.Sprintf("pid %d is %s", pid, ProcState(pid))
	if ev, ok, _ := tr.Last(pid); ok {
		s += fmt.Sprintf(", last report %v", ev)
	}
	return s
}

// Forbidden says why kill(2) must never be sent to pid by a tracer, or "":
// 0 and -1 name groups or every process, 1 is init, and this process and
// its process group are the tracer itself.
func Forbidden(pid int) string {
	switch {
	case pid == 0:
		return "0 (kill(0) is the caller's own process group)"
	case pid < 0:
		return "negative (kill(-1) is every process, kill(-N) a group)"
	case pid == 1:
		return "init"
	case pid == os.Getpid():
		return "the tracer's own process"
	case pid == unix.Getpgrp():
		return "the tracer's own process group"
	}
	return ""
}

// Broken is a report that breaks one of the kernel's promises about a
// report (checks.go). Wait and Poll return the event with it.
type Broken struct {
	Event Event
	Why   string // one line, in the kernel's words
}

func (b *Broken) Error() string { return b.Why }

// Wait returns the next report for pid (-1: any traced process or child).
// Stops for passed signals are re-injected and not returned. A report that
// breaks a promise comes back with a *Broken error.
func (tr *Tracer) Wait(pid int) (Event, error) {
	if tr.onThread() {
		// Called inside Do (a tracing loop): no closure, and so no
		// allocation, per report.
		return tr.wait(pid)
	}
	var ev Event
	var err error
	tr.Do(func() { ev, err = tr.wait(pid) })
	return ev, err
}

// wait is Wait on the tracer thread.
func (tr *Tracer) wait(pid int) (ev Event, err error) {
	for {
		ev, err = tr.waitOne(pid)
		if err == nil && ev.Terminal() {
			if tr.dead[ev.Pid] {
				// A second report of a death the tracer already
				// collected as tracer: the process's parent died
				// meanwhile and this process, its subreaper, now
				// reaps it as adoptive parent. Not a report to the
				// tracer; keep it out of the event log.
				tr.reaped = append(tr.reaped, tr.keep(ev))
				continue
			}
			tr.died(ev.Pid)
		} else if err == nil && len(tr.dead) > 0 {
			delete(tr.dead, ev.Pid) // alive: a pid the kernel reused
		}
		if err != nil || ev.Kind != Stopped || !tr.pass[ev.Sig] {
			if err == nil {
				err = tr.checkReport(ev)
			}
			return
		}
		tr.passed = append(tr.passed, tr.keep(ev))
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
}

// died records that pid's death was collected. The pid is no longer the
// tracer's: the kernel may give it to any new process, so it leaves the
// kill set (KillAll must never signal a reused pid) and the per-pid
// records. On the tracer thread.
func (tr *Tracer) died(pid int) {
	tr.dead[pid] = true
	tr.forgetSyscalls(pid)
	delete(tr.bareIn, pid)
	delete(tr.resumed, pid)
	delete(tr.mask, pid)
	for k := range tr.reported {
		if k[1] == pid || k[2] == pid {
			delete(tr.reported, k)
		}
	}
	tr.mu.Lock()
	delete(tr.known, pid)
	if tr.unchecked {
		// A tracer command traces without end (picotrace on a build):
		// what messages would say of a dead pid is not kept.
		delete(tr.lastEv, pid)
		delete(tr.lastReq, pid)
	}
	tr.dropEmptyGroups()
	tr.mu.Unlock()
}

// dropEmptyGroups removes from the kill set every process group whose
// leader's death was collected and which has no member left. While a group
// has a member its id cannot name another process or group (the kernel
// does not hand out an id still in use as a pgid), so signalling it is
// safe; once it is empty the id is free for reuse, so it must leave the
// set as a dead pid does. Probed at every collected death: a group that
// empties through members the tracer never saw die is dropped at the next
// one. With tr.mu held.
func (tr *Tracer) dropEmptyGroups() {
	kept := tr.pgids[:0]
	for _, g := range tr.pgids {
		if _, leaderKnown := tr.known[g]; !leaderKnown && unix.Kill(-g, 0) == unix.ESRCH {
			continue
		}
		kept = append(kept, g)
	}
	tr.pgids = kept
}

// checkReport runs the promises every report keeps (checks.go; only the
// validation of a created pid with WithChecks(false)), records
// the report for messages and tracks a validated created process; on the
// tracer thread.
func (tr *Tracer) checkReport(ev Event) error {
	tr.mu.Lock()
	// Kept in place: one lookup per report, not a map assignment.
	kept := ev
	if tr.reuse {
		kept.Raw = nil // the buffer is the next report's: messages keep none of it
	}
	if p := tr.lastEv[ev.Pid]; p != nil {
		*p = kept
	} else {
		tr.lastEv[ev.Pid] = &kept
	}
	tr.mu.Unlock()
	var other string
	if ev.Creates() {
		// A process is created once, so the kernel reports it once.
		key := [3]int{int(ev.Kind), ev.Pid, ev.Other}
		if tr.reported[key] && !tr.unchecked {
			return &Broken{ev, fmt.Sprintf("kernel reported the creation of pid %d by pid %d twice: a second %s stop", ev.Other, ev.Pid, ev.Kind.Kernel())}
		}
		tr.reported[key] = true
		check := tr.checkOther
		if tr.unchecked && waitOwns {
			check = tr.checkOtherOwned
		}
		switch other = check(ev); other {
		case "":
			tr.Track(ev.Other, CreatedBy(ev))
		case errGone:
			other = "" // the new thread died with its group: nothing to track
		}
	}
	if tr.unchecked {
		if other != "" {
			return &Broken{ev, other}
		}
		return nil
	}
	for _, why := range []string{tr.checkSyscall(ev), checkEventSiginfo(ev), checkVforkDone(ev), checkInCreation(ev), other} {
		if why != "" {
			return &Broken{ev, why}
		}
	}
	return nil
}

// sent records a request to pid for messages; a resume other than
// PT_SYSCALL ends the syscall-exit promise (checkSyscall). On the tracer
// thread.
func (tr *Tracer) sent(pid int, req string, syscallTracing bool) {
	if !syscallTracing {
		tr.forgetSyscalls(pid)
		delete(tr.bareIn, pid) // alternation starts afresh at the next entry
	}
	tr.mu.Lock()
	if tr.lastReq[pid] != req {
		tr.lastReq[pid] = req
	}
	tr.mu.Unlock()
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
			if q := tr.pending[wpid]; len(evs) > 1 || len(q) > 0 {
				tr.pending[wpid] = append(tr.keepAll(evs[1:]), q...)
			}
			return evs[0], nil
		}
		tr.pending[wpid] = append(tr.pending[wpid], tr.keepAll(evs)...)
	}
}

// decoded is what a wait returned, as events: one, unless a mutation build
// injects a kernel bug (mutant_linux.go) that drops, duplicates or delays
// reports. On the tracer thread.
func (tr *Tracer) decoded(wpid int, status uint32, si []byte, flavour string) []Event {
	var ev Event
	if tr.bare && bareSyscallStop(status) {
		// Entry or exit by alternation: nothing asked of the kernel.
		ev = Event{Pid: wpid, Lwp: wpid, Kind: SyscallEntry, Sysno: -1, Raw: tr.buf.newRaw(status)}
		if tr.bareIn[wpid] {
			ev.Kind = SyscallExit
		}
		tr.bareIn[wpid] = ev.Kind == SyscallEntry
	} else {
		ev = decode(wpid, status, si, tr.buf)
	}
	ev.Raw.Flavour = flavour
	if mutating {
		return mutKill(tr.mutate(tr.keep(ev))) // a mutant may hold reports back
	}
	tr.one[0] = ev // no allocation per report; callers copy out of it
	return tr.one[:]
}

// keep is ev as the core may hold it past the next report: with
// WithReusedReports, its Raw copied out of the buffer.
func (tr *Tracer) keep(ev Event) Event {
	if tr.reuse && ev.Raw != nil {
		ev.Raw = ev.Raw.clone()
	}
	return ev
}

// keepAll is keep of each of evs, in a new slice.
func (tr *Tracer) keepAll(evs []Event) []Event {
	out := make([]Event, len(evs))
	for i, ev := range evs {
		out[i] = tr.keep(ev)
	}
	return out
}

// Requeue puts reports back, each at the end of its pid's queue, for the
// next Wait (a caller that took reports it does not handle). A death put
// back is still owed: the Wait that returns it again must not take it for
// a second report of the same death (Wait's adoptive-parent reaps).
func (tr *Tracer) Requeue(evs ...Event) {
	tr.Do(func() {
		for _, ev := range evs {
			tr.pending[ev.Pid] = append(tr.pending[ev.Pid], tr.keep(ev))
			if ev.Terminal() {
				delete(tr.dead, ev.Pid)
			}
		}
	})
}

// Cont resumes a stopped tracee where it stopped (NetBSD PT_CONTINUE with
// addr 1; Linux PTRACE_CONT), delivering sig (0: none).
func (tr *Tracer) Cont(pid int, sig syscall.Signal) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, RequestNames.Cont, false)
		if err = resume(pid, tr.mutResumeSig(pid, int(sig))); err == nil {
			tr.resumed[pid] = ReqContinue
		}
	})
	return err
}

// Syscall resumes a stopped tracee where it stopped so that it stops again
// at its next system call entry or exit (NetBSD PT_SYSCALL with addr 1;
// Linux PTRACE_SYSCALL), delivering sig (0: none).
func (tr *Tracer) Syscall(pid int, sig syscall.Signal) error {
	if tr.onThread() {
		return tr.syscall(pid, sig) // inside Do: no closure per resume
	}
	var err error
	tr.Do(func() { err = tr.syscall(pid, sig) })
	return err
}

func (tr *Tracer) syscall(pid int, sig syscall.Signal) error {
	tr.sent(pid, resumeNames[ReqSyscall], true)
	err := resumeAt(pid, ReqSyscall, 1, int(sig))
	if err == nil && tr.resumed[pid] != ReqSyscall {
		tr.resumed[pid] = ReqSyscall
	}
	return err
}

// Detach detaches from a stopped tracee and lets it run, delivering sig.
func (tr *Tracer) Detach(pid int, sig syscall.Signal) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, RequestNames.Detach, false)
		err = detach(pid, mutDetachSig(int(sig)))
	})
	return err
}

// Kill terminates a stopped tracee with SIGKILL (NetBSD PT_KILL; Linux
// kill(2), since PTRACE_KILL is deprecated and only works in a
// signal-delivery-stop).
func (tr *Tracer) Kill(pid int) error {
	var err error
	tr.Do(func() {
		tr.sent(pid, RequestNames.Kill, false)
		err = kill(pid)
	})
	return err
}

// Attach attaches to a running process and records it; its attach stop is
// the next report (Wait), after which SetEventMask sets the options every
// tracee gets. The caller vouches for pid: see Forbidden.
func (tr *Tracer) Attach(pid int) error {
	tr.Track(pid, "attached")
	var err error
	tr.Do(func() {
		tr.sent(pid, RequestNames.Attach, false)
		err = mutAttach(pid, attach(pid))
	})
	return err
}

// SetEventMask sets which events the kernel reports for pid.
func (tr *Tracer) SetEventMask(pid int, m Mask) error {
	var err error
	tr.Do(func() {
		if err = setMask(pid, mutMaskSet(m), tr.nets); err == nil {
			tr.mask[pid] = m
		}
	})
	return err
}

// EventMask reads the event mask back from the kernel (NetBSD
// PT_GET_EVENT_MASK). Linux has no request to read options back; there it
// returns what was last set, ok=false.
func (tr *Tracer) EventMask(pid int) (m Mask, ok bool, err error) {
	tr.Do(func() { m, ok, err = getMask(pid, tr.mask[pid]) })
	return m, ok, err
}

// TraceExec makes the kernel report a successful execve as an Exec event:
// NetBSD always does (SIGTRAP with TRAP_EXEC); Linux does with
// PTRACE_O_TRACEEXEC (PTRACE_EVENT_EXEC), which unlike its legacy
// post-exec SIGTRAP is a ptrace event that a blocked SIGTRAP cannot hide.
func (tr *Tracer) TraceExec(pid int) error {
	var err error
	tr.Do(func() { err = traceExec(pid, tr.mask[pid], tr.nets) })
	return err
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
func (tr *Tracer) SignalState(pid int) (st SigState, err error) {
	tr.Do(func() {
		st, err = sigState(pid)
		st = tr.mutSigState(pid, st)
		st = mutExecSigState(pid, st)
	})
	return st, err
}

// KillAll SIGKILLs every process group and process the tracer knows. Safe
// from any goroutine (kill(2) is not a ptrace request).
func (tr *Tracer) KillAll() {
	if mutantKeepsAll() {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	// Every pid here passed Forbidden when its user vouched for it;
	// checked again so that no path can turn a kernel report into kill(0)
	// or kill(-1).
	for _, g := range tr.pgids {
		if Forbidden(g) == "" {
			unix.Kill(-g, unix.SIGKILL)
		}
	}
	for pid := range tr.known {
		if Forbidden(pid) == "" && tr.ours(pid) {
			unix.Kill(pid, unix.SIGKILL)
		}
	}
}

// ours: pid still names a process of this tracer, checked right before it
// is signalled: a child of this process or of another pid it tracks, one
// of this process's tracees, or a member of a process group it made. A pid
// the tracer learned of (Adopt, a creation report) whose process died and
// was reaped by another parent may have been given to any process since;
// that one is none of these. Called with tr.mu held.
func (tr *Tracer) ours(pid int) bool {
	ppid, err := procParent(pid)
	if err != nil {
		return false // gone
	}
	if _, known := tr.known[ppid]; known || ppid == os.Getpid() || tracedByUs(pid) {
		return true
	}
	if g, err := unix.Getpgid(pid); err == nil {
		for _, mine := range tr.pgids {
			if g == mine {
				return true
			}
		}
	}
	return false
}

// Ours is ours for a caller outside the core (the harness's leftover
// check).
func (tr *Tracer) Ours(pid int) bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.ours(pid)
}

// ReapAll collects every child of this process until none is left (or a
// few seconds pass), on the tracer thread so traced children are seen.
func (tr *Tracer) ReapAll() {
	if mutantKeepsAll() {
		return
	}
	tr.Do(func() {
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
	})
}

// Alive reports whether pid exists and is not a zombie.
func Alive(pid int) bool { return alive(pid) }

// ProcState describes a process for a message: its state in the kernel's
// words and what it sleeps in ("gone" when there is no such process).
func ProcState(pid int) string { return procState(pid) }

// WaitsForChild reports whether pid sleeps in wait(2) for a child, as the
// kernel shows it (NetBSD: an LWP's wmesg "wait"; Linux: wchan do_wait).
func WaitsForChild(pid int) bool { return waitsForChild(pid) }

// TracedOrStopped reports whether pid is traced by any process, and whether
// it is stopped (a ptrace or a job-control stop), as the kernel shows it.
func TracedOrStopped(pid int) (traced, stopped bool, err error) { return tracedOrStopped(pid) }

// ExitHeld says, in one line, that pid has begun its exit but cannot
// finish it because LWPs of it stay stopped (NetBSD: P_WEXIT with an LWP in
// LSSTOP, exit1() waiting in lwpwait), or "" when it is not so.
func ExitHeld(pid int) string { return exitHeld(pid) }
