//go:build linux || netbsd

package raw

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Raw threads (LWPs) of the calling process. A raw thread runs no Go code:
// like the children of rawFork it executes only the system calls of its step
// list and ends with the kernel's thread exit (Linux exit(2), NetBSD
// _lwp_exit), which ends the thread and not the process. It starts with every
// signal blocked, so no Go signal handler can ever run on it, and it never
// touches its stack, so every raw thread can share one.
//
// Linux: clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|
// CLONE_SYSVSEM) issued by rawFork; the thread's first step is
// set_tid_address on a word of its plan, which the kernel clears and
// futex-wakes when the thread is gone: that is the join. A thread created by
// a traced thread under PTRACE_O_TRACECLONE is traced too.
//
// NetBSD: _lwp_create with a ucontext taken by getcontext and aimed at the
// step loop (lwpStart), as the Go runtime starts its own LWPs; joined with
// _lwp_wait. NetBSD traces the whole process, so every raw LWP is traced.

// ThreadProg is what every thread of a StartThreads call does.
type ThreadProg int

const (
	// ThreadExit: exit at once.
	ThreadExit ThreadProg = iota
	// ThreadAwaitExit: block until Release, then exit.
	ThreadAwaitExit
	// ThreadAwaitRaise: block until Release, unblock Sig, send Sig to
	// itself (Linux tgkill, NetBSD _lwp_kill), then exit. The tracer must
	// discard the signal (continue with 0): a Go handler cannot run on a
	// raw thread.
	ThreadAwaitRaise
	// ThreadAwaitExec: block until Release, restore the signal mask the
	// creating thread had, then execve(Path, Argv, Envv); exit 127 if that
	// fails.
	ThreadAwaitExec
)

// ThreadSpec describes the threads of one StartThreads call.
type ThreadSpec struct {
	Prog ThreadProg
	Sig  int // ThreadAwaitRaise
	// Code is the exit code of the thread's exit (Linux exit(2); NetBSD's
	// _lwp_exit takes none).
	Code int

	Path       string // ThreadAwaitExec
	Argv, Envv []string
}

// threadPlan is everything one raw thread reads and the kernel writes for
// it. It is on the heap, referenced by Threads until the thread is joined,
// so nothing it points to moves or is freed under the thread.
type threadPlan struct {
	steps   [8]sysStep
	clear   uint32 // Linux: cleared by the kernel when the thread is gone
	scratch [8]byte
	unblock sigset
	mask    sigset
	killAt  int // index of the step whose thread-id argument is filled in
	path    *byte
	argv    []*byte
	envv    []*byte
	uc      []uint64 // NetBSD: the ucontext the LWP starts from
	private uintptr  // NetBSD: what the thread sets as its private pointer
}

// Threads is a set of raw threads made by one StartThreads call.
type Threads struct {
	spec   ThreadSpec
	plans  []*threadPlan
	ids    []int
	gate   [2]int // the read and write end of the release pipe
	joined bool
}

// StartThreads creates n raw threads that run spec, from the calling
// thread, and returns once they all exist (they may already have run).
// Threads that await a release block in a read of a pipe whose write end
// Release closes, so they all go at once.
func StartThreads(n int, spec ThreadSpec) (*Threads, error) {
	ts := &Threads{spec: spec, gate: [2]int{-1, -1}}
	if spec.Prog != ThreadExit {
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			return nil, fmt.Errorf("release pipe: %w", err)
		}
		ts.gate = p
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for i := 0; i < n; i++ {
		p, err := ts.plan(i)
		if err != nil {
			ts.abort()
			return nil, err
		}
		id, err := newThread(p)
		if err != nil {
			ts.abort()
			return nil, fmt.Errorf("creating thread %d of %d: %w", i+1, n, err)
		}
		if p.killAt >= 0 {
			// The thread reads this step only after Release.
			p.steps[p.killAt] = killThreadStep(id, spec.Sig)
		}
		ts.plans = append(ts.plans, p)
		ts.ids = append(ts.ids, id)
	}
	return ts, nil
}

func (ts *Threads) plan(i int) (*threadPlan, error) {
	p := &threadPlan{killAt: -1, private: ThreadPrivate(i)}
	p.clear = 1
	s := p.steps[:0]
	s = append(s, threadPrologue(p)...)
	if ts.spec.Prog != ThreadExit {
		s = append(s, sysStep{trap: sysRead, a1: uintptr(ts.gate[0]),
			a2: uintptr(unsafe.Pointer(&p.scratch[0])), a3: 1})
	}
	switch ts.spec.Prog {
	case ThreadAwaitRaise:
		if err := validSignal(ts.spec.Sig); err != nil {
			return nil, err
		}
		sigaddset(&p.unblock, ts.spec.Sig)
		s = append(s, maskStep(sigUnblock, &p.unblock))
		p.killAt = len(s)
		s = append(s, sysStep{trap: sysThreadExit}) // replaced once the id is known
	case ThreadAwaitExec:
		var err error
		if p.path, err = unix.BytePtrFromString(ts.spec.Path); err != nil {
			return nil, err
		}
		if p.argv, err = cStrings(ts.spec.Argv); err != nil {
			return nil, err
		}
		if p.envv, err = cStrings(ts.spec.Envv); err != nil {
			return nil, err
		}
		if err := sigprocmask(sigBlock, nil, &p.mask); err != nil {
			return nil, err
		}
		s = append(s, maskStep(sigSetmask, &p.mask), sysStep{
			trap: sysExecve,
			a1:   uintptr(unsafe.Pointer(p.path)),
			a2:   uintptr(unsafe.Pointer(&p.argv[0])),
			a3:   uintptr(unsafe.Pointer(&p.envv[0])),
		}, exitStep(127))
	}
	s = append(s, sysStep{trap: sysThreadExit, a1: uintptr(ts.spec.Code)})
	if len(s) > len(p.steps) {
		panic("raw: thread step list overflow")
	}
	return p, nil
}

// ThreadPrivate is the private pointer (NetBSD _lwp_setprivate, the
// LWP's TLS base, which PT_LWPSTATUS reports as pl_private) that the i-th
// thread of a StartThreads call sets as its first step on NetBSD. Linux has
// no such per-thread pointer a tracer can read through ptrace.
func ThreadPrivate(i int) uintptr { return 0x7e570000 + uintptr(i)*0x100 }

// IDs returns the threads' ids (Linux tids, NetBSD LWP ids) in creation
// order.
func (ts *Threads) IDs() []int { return append([]int(nil), ts.ids...) }

// Release lets every waiting thread go on.
func (ts *Threads) Release() error {
	if ts.gate[1] < 0 {
		return nil
	}
	err := unix.Close(ts.gate[1])
	ts.gate[1] = -1
	return err
}

// Join releases the threads if they wait, and waits until every one of
// them is gone (Linux: the kernel cleared its word; NetBSD: _lwp_wait).
func (ts *Threads) Join() error {
	if err := ts.Release(); err != nil {
		return err
	}
	var first error
	for i, p := range ts.plans {
		if err := joinThread(p, ts.ids[i]); err != nil && first == nil {
			first = fmt.Errorf("joining thread %d: %w", ts.ids[i], err)
		}
	}
	ts.joined = true
	if ts.gate[0] >= 0 {
		unix.Close(ts.gate[0])
		ts.gate[0] = -1
	}
	runtime.KeepAlive(ts.plans)
	return first
}

// abort releases and joins what was created when creation failed half way.
func (ts *Threads) abort() { _ = ts.Join() }
