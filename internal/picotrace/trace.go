package picotrace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/ptrace"
)

// tracer is picotrace's state: the processes and LWPs it traces. Every
// method but interrupt runs on the core's tracer thread (inside Do).
type tracer struct {
	// th makes the stepping requests (a wait and a resume per stop) on
	// the tracer thread directly, once inside Loop (looping).
	th      ptrace.Thread
	looping bool
	c       *ptrace.Tracer
	rec     *recorder
	inherit bool
	mask    ptrace.Mask

	root   int
	status int // the root's exit status, picotrace's
	procs  map[int]*proc
	lwps   map[lwpKey]*lwpState
	tgid   map[int]int // Linux: each traced thread's process

	sysNames []string // sysName's cache, by number
	buf      []byte   // readArgs's buffer
	stack    []byte   // Linux stackImage's buffers
	strs     []byte

	last ownerCache // the last report's owner

	mu        sync.Mutex // interrupt's view of lwps
	live      map[lwpKey]bool
	detaching atomic.Bool
}

type proc struct {
	exe  string
	seen bool // a report of it has come
}

type lwpKey struct{ pid, lwp int }

// ownerCache is the owner of the last report: a tracee's stops come in
// runs (an entry, its exit, the next entry), and each would cost the
// lookups of owner, proc and lwp. An exec, an exit and gone empty it.
type ownerCache struct {
	key lwpKey // the report's Pid and Lwp
	pid int
	lwp int
	p   *proc
	st  *lwpState
}

// lwpState is one LWP's system call in progress.
type lwpState struct {
	seen  bool // a report of it has come
	in    bool // between an entry and its exit stop
	sysno int
	t0    time.Time
}

func newTracer(c *ptrace.Tracer, rec *recorder, inherit bool) *tracer {
	t := &tracer{c: c, rec: rec, inherit: inherit, procs: map[int]*proc{}, lwps: map[lwpKey]*lwpState{},
		tgid: map[int]int{}, live: map[lwpKey]bool{}}
	if inherit {
		t.mask = inheritMask()
	}
	return t
}

// spawn starts the command traced from its exec and records its start.
func (t *tracer) spawn(path string, argv, env []string) error {
	pid, ev, err := t.c.Spawn(ptrace.Cmd{Path: path, Argv: argv, Env: env,
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}, What: argv[0]})
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	t.root = pid
	if err := t.setup(pid); err != nil {
		return err
	}
	t.proc(pid).seen = true
	t.lwp(pid, ev.Lwp).seen = true
	t.start(pid, true)
	return t.resume(ev, 0)
}

// attach attaches to pid (with -i, on Linux, to each of its threads) and
// records its start.
func (t *tracer) attach(pid int) error {
	t.root = pid
	tids := []int{pid}
	if t.inherit {
		tids = threads(pid)
	}
	var last ptrace.Event
	for _, tid := range tids {
		if err := t.c.Attach(tid); err != nil {
			if tid != pid && errors.Is(err, unix.ESRCH) {
				continue // the thread ended meanwhile
			}
			return fmt.Errorf("attach to %d: %v", tid, err)
		}
		ev, err := t.awaitAttach(tid)
		if err != nil {
			return fmt.Errorf("attach to %d: %v", tid, err)
		}
		if err := t.setup(tid); err != nil {
			return err
		}
		t.lwp(pid, ev.Lwp).seen = true
		last = ev
		if tid != pid {
			t.tgid[tid] = pid
			if err := t.resume(ev, 0); err != nil {
				return err
			}
		}
	}
	t.proc(pid).seen = true
	t.start(pid, false)
	t.rec.sync() // the start is on record once the tracing runs
	last.Pid = pid
	return t.resume(last, 0)
}

// awaitAttach waits for the attach stop, the SIGSTOP PT_ATTACH sends; a
// signal that stops the process first is delivered on.
func (t *tracer) awaitAttach(tid int) (ptrace.Event, error) {
	for {
		ev, err := t.c.Wait(tid)
		if err != nil && !isBroken(err) {
			return ev, err
		}
		if ev.Terminal() {
			return ev, fmt.Errorf("the process ended: %v", ev)
		}
		if ev.Kind == ptrace.Stopped && ev.Sig == int(unix.SIGSTOP) {
			return ev, nil
		}
		if err := t.c.Cont(tid, syscall.Signal(ev.Sig)); err != nil {
			return ev, err
		}
	}
}

// setup gives a new tracee the event mask (-i) and exec events.
func (t *tracer) setup(pid int) error {
	if t.mask != 0 {
		if err := t.c.SetEventMask(pid, t.mask); err != nil {
			return fmt.Errorf("%s(pid %d): %v", ptrace.RequestNames.SetMask, pid, err)
		}
	}
	if err := t.c.TraceExec(pid); err != nil {
		return fmt.Errorf("%s(pid %d): %v", ptrace.RequestNames.TraceExec, pid, err)
	}
	return nil
}

// start records a process image's start: EXEC (when it exec'd), its
// argv, environment and auxiliary vector.
func (t *tracer) start(pid int, exec bool) {
	path, _ := exePath(pid)
	p := t.proc(pid)
	if path != "" {
		p.exe = filepath.Base(path)
	}
	if exec {
		t.rec.add(pid, 0, p.exe, evExec, path)
	}
	argv, env, auxv := t.image(pid, exec)
	for i, a := range argv {
		t.rec.addBytes(pid, 0, p.exe, evArgv, appendQuoted(append(strconv.AppendInt(t.rec.scratch(), int64(i), 10), ' '), a))
	}
	for i, e := range env {
		t.rec.addBytes(pid, 0, p.exe, evEnv, appendQuoted(append(strconv.AppendInt(t.rec.scratch(), int64(i), 10), ' '), e))
	}
	const w = int(unsafe.Sizeof(uintptr(0)))
	word := func(i int) uint64 {
		if w == 8 {
			return binary.NativeEndian.Uint64(auxv[i:])
		}
		return uint64(binary.NativeEndian.Uint32(auxv[i:]))
	}
	for i := 0; i+2*w <= len(auxv); i += 2 * w {
		typ, val := word(i), word(i+w)
		name := auxvNames[typ]
		if name == "" {
			name = "AT_" + strconv.FormatUint(typ, 10)
		}
		t.rec.addBytes(pid, 0, p.exe, evAuxv, strconv.AppendUint(append(append(t.rec.scratch(), name...), " 0x"...), val, 16))
		if typ == 0 {
			break
		}
	}
}

// procImage reads what start records the slow way, from the kernel's
// copies (Linux /proc, NetBSD kern.proc_args and PIOD_READ_AUXV), warning
// of what it cannot read.
func (t *tracer) procImage(pid int) (argv, env []string, auxv []byte) {
	argv, env, err := t.readArgs(pid)
	if err != nil {
		warn("pid %d: argv and environment: %v", pid, err)
	}
	auxv, err = t.c.ReadAuxv(pid)
	if err != nil {
		warn("pid %d: %s: %v", pid, ptrace.AuxvRequest, err)
	}
	return argv, env, auxv
}

func (t *tracer) proc(pid int) *proc {
	p := t.procs[pid]
	if p == nil {
		p = &proc{}
		if path, err := exePath(pid); err == nil {
			p.exe = filepath.Base(path)
		}
		t.procs[pid] = p
	}
	return p
}

func (t *tracer) lwp(pid, lwp int) *lwpState {
	k := lwpKey{pid, lwp}
	s := t.lwps[k]
	if s == nil {
		s = &lwpState{}
		t.lwps[k] = s
		t.mu.Lock()
		t.live[k] = true
		t.mu.Unlock()
	}
	return s
}

func (t *tracer) gone(pid, lwp int) {
	t.last = ownerCache{}
	k := lwpKey{pid, lwp}
	delete(t.lwps, k)
	t.mu.Lock()
	delete(t.live, k)
	t.mu.Unlock()
}

// interrupt (on SIGINT, from any goroutine) asks every traced LWP to stop
// with a SIGSTOP, at which the loop detaches it.
func (t *tracer) interrupt() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.detaching.Swap(true) {
		return
	}
	stop := func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		for k := range t.live {
			stopLwp(k.pid, k.lwp)
		}
	}
	if stopAfter == 0 {
		for k := range t.live {
			stopLwp(k.pid, k.lwp)
		}
		return
	}
	// Only a tracee that makes no report meanwhile (blocked in a call)
	// gets the SIGSTOP; the others are detached at their next report.
	time.AfterFunc(stopAfter, stop)
}

// loop handles reports until no tracee is left; it returns the root's
// exit status (0 once detached).
func (t *tracer) loop() (int, error) {
	yielded := time.Now()
	for n := 1; ; n++ {
		if n%yieldCheck == 0 && time.Since(yielded) >= yieldAfter {
			// The loop runs on one goroutine for good, so the runtime's
			// sysmon sees its P on one scheduling tick and, after
			// 10 ms, preempts it or takes the P from the wait it is in,
			// then polls every 20 µs again: a thread of its own woken
			// thousands of times a second between the tracer and its
			// tracees (a tenth of picotrace's time on 100,000 getpid
			// calls, make bench). A yield before the 10 ms is a new
			// tick: the locked thread gets its goroutine back through
			// the scheduler, and sysmon backs off to 10 ms.
			runtime.Gosched()
			yielded = time.Now()
		}
		ev, err := t.th.Wait(-1)
		if errors.Is(err, unix.ECHILD) {
			return t.status, nil
		}
		if err != nil && !isBroken(err) {
			return 0, err
		}
		if err != nil {
			warn("the kernel broke a promise: %v", err)
		}
		if err := t.handle(ev); err != nil {
			return 0, err
		}
		if t.detaching.Load() && len(t.lwps) == 0 {
			return 0, nil
		}
	}
}

// The loop yields once yieldAfter has passed, looking every yieldCheck
// reports: inside sysmon's 10 ms (forcePreemptNS, Go's runtime/proc.go)
// at the stops of a fork+exec, and as seldom as that allows, for a yield
// of a locked thread is two thread switches (profiled: at every 4 ms,
// 2.6% of picotrace's time on 100,000 getpid calls).
const (
	yieldCheck = 8
	yieldAfter = 7 * time.Millisecond
)

func isBroken(err error) bool {
	var b *ptrace.Broken
	return errors.As(err, &b)
}

// handle records one report and resumes the tracee.
func (t *tracer) handle(ev ptrace.Event) error {
	var pid, lwp int
	var p *proc
	var st *lwpState
	if c := t.last; c.st != nil && c.key == (lwpKey{ev.Pid, ev.Lwp}) && !ev.Terminal() && ev.Kind != ptrace.Exec {
		pid, lwp, p, st = c.pid, c.lwp, c.p, c.st
	} else {
		pid, lwp = t.owner(ev)
		p = t.proc(pid)
		st = t.lwp(pid, lwp)
		t.last = ownerCache{lwpKey{ev.Pid, ev.Lwp}, pid, lwp, p, st}
		if ev.Terminal() || ev.Kind == ptrace.Exec {
			t.last = ownerCache{}
		}
	}
	pnew, lnew := !p.seen, !st.seen
	p.seen, st.seen = true, true
	if ev.Terminal() {
		if threadExit(pid, lwp) {
			// Linux: a thread of the process, not the process.
			t.rec.add(pid, lwp, p.exe, evLwpExit, strconv.Itoa(lwp))
			t.gone(pid, lwp)
			return nil
		}
		t.rec.add(pid, 0, p.exe, evExited, exitExtra(ev))
		if pid == t.root {
			t.status = exitStatus(ev)
		}
		for k := range t.lwps {
			if k.pid == pid {
				t.gone(k.pid, k.lwp)
			}
		}
		delete(t.procs, pid)
		t.last = ownerCache{}
		return nil
	}
	if t.detaching.Load() {
		return t.detachAt(ev)
	}
	if childStart(ev, pnew, lnew) {
		// A new child's or thread's first stop (Linux: the SIGSTOP of
		// its automatic attach; NetBSD: its side of the creation).
		if setMaskOnChildren {
			if err := t.setup(ev.Pid); err != nil && !errors.Is(err, unix.ESRCH) {
				return err
			}
		}
		return t.resume(ev, 0)
	}
	switch ev.Kind {
	case ptrace.SyscallEntry:
		st.in, st.sysno = true, ev.Sysno
		if t.rec.count {
			st.t0 = time.Now()
			t.rec.call(bareName(ev.Sysno))
		} else {
			t.rec.addBytes(pid, lwp, p.exe, evSCE, appendEntry(t.rec.scratch(), t.sysName(ev.Sysno), ev))
		}
	case ptrace.SyscallExit:
		sysno, known := ev.Sysno, exitHasSysno
		if st.in {
			sysno, known = st.sysno, true
		}
		if t.rec.count {
			if st.in {
				t.rec.exited(bareName(sysno), ev.Raw != nil && ev.Raw.Sys != nil && ev.Raw.Sys.IsError, time.Since(st.t0))
			}
		} else {
			name := "?"
			if known {
				name = t.sysName(sysno)
			}
			t.rec.addBytes(pid, lwp, p.exe, evSCX, appendExit(t.rec.scratch(), name, ev))
		}
		st.in = false
	case ptrace.Stopped:
		if lostSyscallStop(ev) {
			return t.resume(ev, 0)
		}
		if groupStop(ev) {
			// Linux: the group stop a delivered stop signal caused; a
			// tracee that is not PTRACE_SEIZEd cannot be kept in it.
			return t.resume(ev, 0)
		}
		t.rec.add(pid, lwp, p.exe, signalEvent(ev), signalExtra(ev))
		return t.resume(ev, syscall.Signal(ev.Sig))
	case ptrace.Fork, ptrace.Vfork, ptrace.Spawn, ptrace.Clone:
		event := map[ptrace.Kind]string{ptrace.Fork: evForked, ptrace.Vfork: evVforked, ptrace.Spawn: evSpawned, ptrace.Clone: evForked}[ev.Kind]
		if ev.Kind == ptrace.Clone && cloneIsThread(pid, ev.Other) {
			t.tgid[ev.Other] = pid
			t.rec.add(pid, lwp, p.exe, evLwpNew, strconv.Itoa(ev.Other))
			break
		}
		t.rec.add(pid, 0, p.exe, event, strconv.Itoa(ev.Other))
		if _, ok := t.procs[ev.Other]; !ok {
			t.procs[ev.Other] = &proc{exe: p.exe}
		}
	case ptrace.VforkDone:
		t.rec.add(pid, 0, p.exe, evVforkDone, strconv.Itoa(ev.Other))
	case ptrace.Exec:
		t.start(pid, true)
	case ptrace.LwpCreate:
		t.rec.add(pid, lwp, p.exe, evLwpNew, strconv.Itoa(ev.Other))
	case ptrace.LwpExit:
		t.rec.add(pid, ev.Other, p.exe, evLwpExit, strconv.Itoa(ev.Other))
		if ev.Other != lwp {
			t.gone(pid, ev.Other)
		}
	}
	return t.resume(ev, 0)
}

// detachAt: once interrupted, every stop is resumed without syscall stops
// (a signal delivered on) until the LWP's SIGSTOP, where it is detached;
// or, where the kernel may have discarded that SIGSTOP (detachHere), at
// the first stop that delivers no signal. It is detached with
// detachSignal.
func (t *tracer) detachAt(ev ptrace.Event) error {
	pid, lwp := t.owner(ev)
	sig := 0
	if ev.Kind == ptrace.Stopped && !groupStop(ev) {
		sig = ev.Sig
	}
	sigstop := ev.Kind == ptrace.Stopped && ev.Sig == int(unix.SIGSTOP)
	if sigstop || detachHere && sig == 0 {
		t.gone(pid, lwp)
		if err := t.c.Detach(ev.Pid, detachSignal); err != nil && !errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("%s(pid %d): %v", ptrace.RequestNames.Detach, ev.Pid, err)
		}
		return nil
	}
	if err := t.c.Cont(ev.Pid, syscall.Signal(sig)); err != nil && !errors.Is(err, unix.ESRCH) {
		return fmt.Errorf("%s(pid %d): %v", ptrace.RequestNames.Cont, ev.Pid, err)
	}
	return nil
}

// resume lets the tracee run on to its next system call stop, delivering
// sig. A tracee that was killed meanwhile (ESRCH) reports its death next.
func (t *tracer) resume(ev ptrace.Event, sig syscall.Signal) error {
	var err error
	if t.looping {
		err = t.th.Syscall(ev.Pid, sig)
	} else {
		err = t.c.Syscall(ev.Pid, sig)
	}
	if err != nil && !errors.Is(err, unix.ESRCH) {
		return fmt.Errorf("%s(pid %d): %v", ptrace.ReqSyscall, ev.Pid, err)
	}
	return nil
}

// sysName is a call's name and number as records show them, made once
// per number.
func (t *tracer) sysName(n int) string {
	if n < 0 || n >= maxCachedSysno {
		return sysName(n)
	}
	if n >= len(t.sysNames) {
		t.sysNames = append(t.sysNames, make([]string, n+1-len(t.sysNames))...)
	}
	if t.sysNames[n] == "" {
		t.sysNames[n] = sysName(n)
	}
	return t.sysNames[n]
}

// maxCachedSysno bounds the cache of sysName: every table's numbers are
// below it (Linux arm's private calls start at 0xf0000).
const maxCachedSysno = 4096

func sysName(n int) string {
	if n < 0 {
		return "?" // the kernel's report has no number (FeatureSyscallSiginfo)
	}
	if s, ok := ptrace.SysName(n); ok {
		return s + " (" + strconv.Itoa(n) + ")"
	}
	return "syscall " + strconv.Itoa(n)
}

// bareName is a call's name alone, for the summary.
func bareName(n int) string {
	if n < 0 {
		return "?"
	}
	if s, ok := ptrace.SysName(n); ok {
		return s
	}
	return "syscall " + strconv.Itoa(n)
}

// appendEntry appends an entry stop's extra column: the call, then its
// arguments in hex.
func appendEntry(b []byte, name string, ev ptrace.Event) []byte {
	b = append(b, name...)
	if ev.Raw != nil && ev.Raw.Sys != nil {
		for _, a := range ev.Raw.Sys.Args[:syscallArgs] {
			b = append(b, " 0x"...)
			b = strconv.AppendUint(b, a, 16)
		}
	}
	return b
}

// appendExit appends an exit stop's extra column: the call, then its
// return values, or -1 and the error's name and number.
func appendExit(b []byte, name string, ev ptrace.Event) []byte {
	b = append(b, name...)
	if ev.Raw == nil || ev.Raw.Sys == nil {
		return b
	}
	s := ev.Raw.Sys
	if s.IsError {
		b = append(b, " = -1 "...)
		b = append(b, errnoName(s.Errno)...)
		b = append(b, " ("...)
		b = strconv.AppendInt(b, int64(s.Errno), 10)
		return append(b, ')')
	}
	b = append(b, " = "...)
	b = strconv.AppendInt(b, s.Ret[0], 10)
	for _, r := range s.Ret[1:syscallRets] {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, r, 10)
	}
	return b
}

// errnoName names an error: x/sys's names, and the kernel's own that a
// tracer sees at an interrupted call's exit stop (kernelErrnos).
func errnoName(n int) string {
	if s := unix.ErrnoName(syscall.Errno(n)); s != "" {
		return s
	}
	if s, ok := kernelErrnos[n]; ok {
		return s
	}
	return "E" + strconv.Itoa(n)
}

// signalEvent classifies a signal-delivery stop: a fault the CPU raised
// (a kernel si_code, > 0) is a crash; the stop signals and SIGCONT are
// job control.
func signalEvent(ev ptrace.Event) string {
	switch syscall.Signal(ev.Sig) {
	case unix.SIGSEGV, unix.SIGBUS, unix.SIGILL, unix.SIGFPE, unix.SIGTRAP:
		if ev.Code > 0 {
			return evCrashed
		}
	case unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU:
		return evStopped
	case unix.SIGCONT:
		return evContinued
	}
	return evSignaled
}

func signalExtra(ev ptrace.Event) string {
	s := ptrace.SignalName(ev.Sig) + " " + ptrace.CodeName(ev.Sig, ev.Code)
	if signalEvent(ev) == evCrashed && ev.Raw != nil {
		s += " addr 0x" + strconv.FormatUint(uint64(ptrace.Siginfo{Bytes: ev.Raw.Siginfo}.Addr()), 16)
	}
	return s
}

func exitExtra(ev ptrace.Event) string {
	if ev.Kind == ptrace.Exited {
		return "status " + strconv.Itoa(ev.Status)
	}
	return fmt.Sprintf("signal %s core %v", ptrace.SignalName(ev.Sig), ev.Core)
}

// exitStatus is a shell's: the exit code, or 128 + the killing signal.
func exitStatus(ev ptrace.Event) int {
	if ev.Kind == ptrace.Exited {
		return ev.Status
	}
	return 128 + ev.Sig
}

// warnTo is where warn writes: Run's stderr.
var warnTo io.Writer = os.Stderr

func warn(format string, args ...any) {
	fmt.Fprintf(warnTo, "picotrace: %s\n", oneLine(fmt.Sprintf(format, args...)))
}

// appendQuoted is strconv.AppendQuote, without its rune-by-rune escaping
// for what argv and environments mostly are: printable ASCII with no quote
// or backslash, which it leaves as is.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// fields splits NUL-separated strings (argv, environ).
func fields(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}
