package lwp

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"ptracesuite/atfshim"
)

// racyRepeatVar is the config variable that runs a racy case K times and
// reports its failure rate: ATF -v racy_repeat=K, kyua
// test_suites.ptrace.racy_repeat=K, go test PTRACE_RACY_REPEAT=K.
const racyRepeatVar = "racy_repeat"

var _ = atfshim.DeclareVar(racyRepeatVar, atfshim.IntRange(1, 1_000_000))

// run is one repetition of a racy case. It is a testing.TB (it embeds the
// case's *atfshim.T) whose failures, cleanups and timeout hooks belong to
// the repetition alone, so that a tracer made in it is cleaned up at the
// end of the repetition and a failure counts once towards the rate.
type run struct {
	*atfshim.T
	mu       sync.Mutex
	failed   bool
	first    string
	cleanups []func()
	hooks    []func()
}

func (r *run) fail(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.failed {
		r.first = msg
	}
	r.failed = true
}

func (r *run) Errorf(format string, args ...any) { r.fail(fmt.Sprintf(format, args...)) }
func (r *run) Error(args ...any)                 { r.fail(strings.TrimSpace(fmt.Sprintln(args...))) }
func (r *run) Fail()                             { r.fail("") }
func (r *run) Fatalf(format string, args ...any) { r.Errorf(format, args...); runtime.Goexit() }
func (r *run) Fatal(args ...any)                 { r.Error(args...); runtime.Goexit() }
func (r *run) FailNow()                          { r.Fail(); runtime.Goexit() }
func (r *run) Failed() bool                      { r.mu.Lock(); defer r.mu.Unlock(); return r.failed }
func (r *run) Cleanup(f func())                  { r.mu.Lock(); r.cleanups = append(r.cleanups, f); r.mu.Unlock() }
func (r *run) OnTimeout(f func())                { r.mu.Lock(); r.hooks = append(r.hooks, f); r.mu.Unlock() }

func (r *run) timeoutHooks() {
	r.mu.Lock()
	hooks := append([]func(){}, r.hooks...)
	r.mu.Unlock()
	for _, h := range hooks {
		h()
	}
}

// once runs body as one repetition on its own goroutine, then its cleanups
// in reverse order, and returns its first failure ("" if none).
func (r *run) once(body func(r *run)) (failed bool, msg string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				r.fail(fmt.Sprintf("panic: %v", p))
			}
		}()
		body(r)
	}()
	<-done
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		c := make(chan struct{})
		go func() { defer close(c); r.cleanups[i]() }()
		<-c
	}
	return r.Failed(), r.first
}

// repeatRacy runs body racy_repeat times (default 1) within the case's
// time budget and fails the case with the measured rate, e.g. "lost
// LWP_EXIT in 7/200 runs (first: ...)"; a clean series is logged as
// "0/200 runs". Repetitions that would not fit in the budget are not
// started, and the reason says how many ran.
func repeatRacy(t *atfshim.T, budget time.Duration, what string, body func(r *run)) {
	k := t.ConfigInt(racyRepeatVar, 1)
	if k < 1 {
		t.Fatalf("config variable %s=%d: must be at least 1", racyRepeatVar, k)
	}
	var cur struct {
		sync.Mutex
		r *run
	}
	t.OnTimeout(func() {
		cur.Lock()
		defer cur.Unlock()
		if cur.r != nil {
			cur.r.timeoutHooks()
		}
	})
	start := time.Now()
	deadline := start.Add(budget)
	fails, runs := 0, 0
	first := ""
	var slowest time.Duration
	for runs < k {
		if left := time.Until(deadline); runs > 0 && left < 2*slowest {
			break
		}
		r := &run{T: t}
		cur.Lock()
		cur.r = r
		cur.Unlock()
		began := time.Now()
		failed, msg := r.once(body)
		slowest = max(slowest, time.Since(began))
		runs++
		if failed {
			fails++
			if first == "" {
				first = msg
			}
		}
	}
	cur.Lock()
	cur.r = nil
	cur.Unlock()
	cut := ""
	if runs < k {
		cut = fmt.Sprintf("; only %d of %d runs fit in the case's time budget of %v", runs, k, budget)
	}
	if fails > 0 {
		t.Errorf("%s in %d/%d runs%s (first: %s)", what, fails, runs, cut, first)
		return
	}
	t.Logf("%s in 0/%d runs (%v)%s", what, runs, time.Since(start).Round(time.Millisecond), cut)
}
