package atfshim

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// T is the per-case handle passed to bodies. It embeds *testing.T, so it
// implements testing.TB; its failure and skip methods record the first
// failure message and the skip reason, which become the ATF result reason.
// The overrides also apply to code that holds a *T as a testing.TB.
type T struct {
	*testing.T
	c *tcase

	mu          sync.Mutex // guards the fields below up to life
	firstFail   string     // first non-empty message of a real failure
	skipReason  string
	expect      string // active ExpectFail reason, "" if none
	xfailHit    bool   // a failure happened while an expectation was active
	xfailReason string
	xfailMsg    string
	context     string // appended to every failure message (SetFailureContext)

	overrun string // why the case could not end in time (see overdue); the result's reason

	life     sync.Mutex // guards done, timedOut, hooks; held while hooks run
	done     bool       // the recorder ran: the case is over
	timedOut bool
	hooks    []func()
	watchdog *time.Timer

	// The body runs on a goroutine of its own, so that the Go test can
	// end without it (see watchdog.go).
	testPkg      string        // package of the body function
	testG        atomic.Int64  // goroutine IDs, for the diagnosis
	bodyG        atomic.Int64  // 0 until the body goroutine runs
	hookG        atomic.Int64  // the goroutine running OnTimeout hooks; 0 when none runs
	bodyDone     chan struct{} // closed when the body goroutine ends
	abandoned    atomic.Bool   // the Go test went on without the body
	testReturned atomic.Bool   // the test goroutine left run
	goexited     atomic.Bool   // the body ended in runtime.Goexit, neither failed nor skipped
	mail         chan func() bool
	waitMu       sync.Mutex // guards waiting
	waiting      bool       // the test goroutine waits for the body and reads mail
	end          sync.Mutex // guards ended; held by a watchdog that exits the process
	ended        bool       // the recorder ran (set after done)
	out          sync.RWMutex
	detached     bool // under out: the Go test of an abandoned body is over
}

// Run runs body as the ATF case declared (with Declare) for the calling Go
// test; the Go test must call it as its only statement.
func Run(t *testing.T, body func(t *T)) {
	t.Helper()
	run(t, body)
}

// RunSub runs body as the subtest sub of t, the ATF case declared with
// DeclareSub(parent, sub, ...).
func RunSub(t *testing.T, sub string, body func(t *T)) {
	t.Helper()
	t.Run(sub, func(st *testing.T) {
		st.Helper()
		run(st, body)
	})
}

func run(tt *testing.T, body func(*T)) {
	tt.Helper()
	c := reg.lookup(tt.Name(), true)
	if c == nil {
		tt.Fatalf("atfshim: Go test %s is not a declared case (missing atfshim.Declare/DeclareSub, or Run/RunSub mixed up)", tt.Name())
	}
	c.markRan()
	t := &T{T: tt, c: c, testPkg: funcPkg(body), bodyDone: make(chan struct{}), mail: make(chan func() bool, 8)}
	t.testG.Store(goroutineID())
	defer t.testReturned.Store(true)
	// Registered first, so testing runs it last: it sees the final state
	// after the body and every cleanup.
	tt.Cleanup(t.record)
	t.watchdog = time.AfterFunc(c.timeout(), t.expire)

	// On the test goroutine: the skip or failure it may report names the
	// test's line, and ends the Go test the ordinary way.
	t.guard("panic", t.prepare, t.Fatalf)
	t.waitMu.Lock()
	t.waiting = true
	t.waitMu.Unlock()
	go t.runBody(body)
	t.awaitBody()
}

// runBody is the body goroutine. A FailNow or SkipNow in the body ends it
// with runtime.Goexit, which closes bodyDone too.
func (t *T) runBody(body func(*T)) {
	defer close(t.bodyDone)
	t.bodyG.Store(goroutineID())
	returned := false
	defer func() { t.goexited.Store(!returned && !t.T.Failed() && !t.T.Skipped()) }()
	t.guard("panic", func() { body(t) }, t.Fatalf)
	returned = true
}

// prepare applies the case's metadata before the body runs.
func (t *T) prepare() {
	t.Helper()
	m := t.c.meta
	racy, err := configBool(racyVar, false)
	if err == nil {
		err = checkDeclaredVars()
	}
	if err != nil {
		// A malformed known variable fails every case, loudly.
		t.hardFail(err.Error(), true)
	}
	if m.Racy != "" && !racy {
		t.Skipf("racy: set racy=true to run: %s", m.Racy)
	}
	if m.HasCleanup && !inATFMode() {
		// kyua runs the cleanup as a separate process in the body's fresh
		// work directory (§7); under go test it is the last t.Cleanup,
		// in a fresh directory too, so state files behave the same. (Chdir
		// panics in parallel tests; guard turns that into a failure.)
		t.Chdir(t.TempDir())
		t.Cleanup(func() {
			if err := callCleanup(m.Cleanup); err != nil {
				t.hardFail("cleanup: "+err.Error(), false)
			}
		})
	}
	if m.ExpectFail != "" {
		t.ExpectFail(m.ExpectFail)
	}
}

// guard runs f; a panic is logged with its stack and reported through fail,
// so cleanups still run and both modes report a failure where Go would
// crash with exit status 2 (which kyua calls broken, §5).
func (t *T) guard(what string, f func(), fail func(format string, args ...any)) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Helper()
			t.tlog(fmt.Sprintf("%s: %v\n%s", what, r, debug.Stack()))
			fail("%s: %v", what, r)
		}
	}()
	f()
}

// callCleanup runs a Meta.Cleanup, turning a panic into an error.
func callCleanup(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// Ident returns the case's ATF ident.
func (t *T) Ident() string { return t.c.ident }

// Config returns the configuration variable name: ATF `-v name=value`
// (unknown names are accepted), or the environment variable PTRACE_<NAME>
// under go test.
func (t *T) Config(name string) (value string, ok bool) { return lookupConfig(name) }

// ConfigBool returns the boolean variable name (true/false/yes/no/1/0, any
// case) or def if it is unset; any other value fails the case.
func (t *T) ConfigBool(name string, def bool) bool {
	t.Helper()
	v, err := configBool(name, def)
	return mustConfig(t, v, err)
}

// ConfigInt returns the decimal integer variable name or def if it is
// unset; any other value fails the case.
func (t *T) ConfigInt(name string, def int) int {
	t.Helper()
	v, err := configInt(name, def)
	return mustConfig(t, v, err)
}

func mustConfig[V any](t *T, v V, err error) V {
	t.Helper()
	if err != nil {
		t.hardFail(err.Error(), true)
	}
	return v
}

// ExpectFail declares, like atf_tc_expect_fail, that the rest of the case
// hits a known bug: a later failure makes the ATF result
// `expected_failure: <reason>: <message>` (exit 0) and, under go test, a
// skip with the same text; a case that then passes fails with "expected
// failure did not happen". A later call replaces the reason. Failures that
// happened before the call stay failures. An expected failure does not make
// Failed report true: under go test the case ends as skipped.
func (t *T) ExpectFail(reason string) {
	t.Helper()
	if reason == "" {
		reason = noMessage
	}
	if t.T.Failed() {
		t.tlog(fmt.Sprintf("atfshim: ExpectFail(%q) ignored: the case has already failed", reason))
		return
	}
	t.mu.Lock()
	t.expect = reason
	t.mu.Unlock()
}

// RacyHere is Meta.Racy decided at run time, for a race that only some
// kernels (or revisions) have: unless the racy variable is true the case is
// skipped with the same words as a case declared racy.
func (t *T) RacyHere(race string) {
	t.Helper()
	if race == "" || Racy() {
		return
	}
	t.Skipf("racy: set racy=true to run: %s", race)
}

// OnTimeout registers f to run once, in registration order with the other
// hooks, when the case's Timeout expires (under go test and ATF alike), so
// that e.g. stuck tracees can be killed and the body can return. Hooks run
// on the watchdog's goroutine and must not call OnTimeout themselves.
func (t *T) OnTimeout(f func()) {
	t.life.Lock()
	expired := t.timedOut
	if !expired {
		t.hooks = append(t.hooks, f)
	}
	t.life.Unlock()
	if expired {
		t.callHook(f)
	}
}

func (t *T) callHook(f func()) {
	t.guard("panic in OnTimeout hook", f, t.hardErrorf)
}

// Cleanup is testing.T.Cleanup with a panicking f reported as a failure
// instead of crashing the program, which would lose the ATF result.
func (t *T) Cleanup(f func()) {
	t.Helper()
	t.T.Cleanup(func() {
		t.Helper()
		t.guard("panic in cleanup", f, t.hardErrorf)
	})
}

// Log is testing.T.Log.
func (t *T) Log(args ...any) { t.Helper(); t.tlog(sprintln(args...)) }

// Logf is testing.T.Logf.
func (t *T) Logf(format string, args ...any) { t.Helper(); t.tlog(fmt.Sprintf(format, args...)) }

// Errorf is testing.T.Errorf; the message is recorded (see failure).
func (t *T) Errorf(format string, args ...any) {
	t.Helper()
	t.failure(fmt.Sprintf(format, args...), false)
}

// SetFailureContext makes every later failure message of the case, also
// those raised inside helpers such as the tracer, end with ctx (e.g. the
// seed that replays a randomized case); "" clears it.
func (t *T) SetFailureContext(ctx string) {
	t.mu.Lock()
	t.context = ctx
	t.mu.Unlock()
}

// Fatalf is testing.T.Fatalf; the message is recorded (see failure).
func (t *T) Fatalf(format string, args ...any) {
	t.Helper()
	t.failure(fmt.Sprintf(format, args...), true)
}

// Skipf is testing.T.Skipf; the message becomes the `skipped:` reason.
func (t *T) Skipf(format string, args ...any) {
	t.Helper()
	t.skip(fmt.Sprintf(format, args...))
}

// Error is testing.T.Error, recorded like Errorf.
func (t *T) Error(args ...any) { t.Helper(); t.Errorf("%s", sprintln(args...)) }

// Fatal is testing.T.Fatal, recorded like Fatalf.
func (t *T) Fatal(args ...any) { t.Helper(); t.Fatalf("%s", sprintln(args...)) }

// Skip is testing.T.Skip, recorded like Skipf.
func (t *T) Skip(args ...any) { t.Helper(); t.Skipf("%s", sprintln(args...)) }

// Fail is testing.T.Fail; a failure without a message.
func (t *T) Fail() { t.Helper(); t.failure("", false) }

// FailNow is testing.T.FailNow; a fatal failure without a message.
func (t *T) FailNow() { t.Helper(); t.failure("", true) }

// SkipNow is testing.T.SkipNow; a skip without a reason.
func (t *T) SkipNow() { t.Helper(); t.skip("") }

// sprintln formats like testing's Error/Fatal/Skip do.
func sprintln(args ...any) string { return strings.TrimSuffix(fmt.Sprintln(args...), "\n") }

// failure records a failure. While an ExpectFail is active it is the
// expected failure: it is logged, and a fatal one ends the case as skipped
// (the go test face of expected_failure); otherwise it is a real failure.
func (t *T) failure(msg string, now bool) {
	t.Helper()
	t.mu.Lock()
	if t.context != "" && !strings.Contains(msg, t.context) {
		msg += " " + t.context
	}
	expected := t.expect != ""
	if expected && !t.xfailHit {
		t.xfailHit, t.xfailReason, t.xfailMsg = true, t.expect, msg
	} else if expected && t.xfailMsg == "" {
		t.xfailMsg = msg
	}
	xfail := t.xfailReasonLocked()
	t.mu.Unlock()
	if !expected {
		t.hardFail(msg, now)
		return
	}
	if msg != "" {
		t.tlog("failure expected by ExpectFail: " + msg)
	}
	if now {
		t.tskip(xfailSkipPrefix + xfail)
	}
}

// hardFail records a failure that no ExpectFail covers: bad configuration,
// failing or panicking cleanups.
func (t *T) hardFail(msg string, now bool) {
	t.Helper()
	t.remember(&t.firstFail, msg)
	t.tfail(now)
}

// remember logs msg and keeps it in *first unless that already holds one.
func (t *T) remember(first *string, msg string) {
	t.Helper()
	t.mu.Lock()
	if *first == "" {
		*first = msg
	}
	t.mu.Unlock()
	if msg != "" {
		t.tlog(msg)
	}
}

func (t *T) hardErrorf(format string, args ...any) {
	t.Helper()
	t.hardFail(fmt.Sprintf(format, args...), false)
}

func (t *T) skip(msg string) {
	t.Helper()
	t.remember(&t.skipReason, msg)
	t.tskip("")
}

// The leaves below are the only calls of the embedded testing.T that log,
// fail or skip. Once the Go test of an abandoned body is over (see
// watchdog.go), testing would panic on them, crashing the program: the
// body goroutine may still wake up, so they then go to stderr instead, and
// FailNow and SkipNow just end the calling goroutine.

func (t *T) tlog(msg string) {
	t.Helper()
	t.out.RLock()
	defer t.out.RUnlock()
	if t.detached {
		t.late(msg)
		return
	}
	t.T.Log(msg)
}

func (t *T) tfail(now bool) {
	t.Helper()
	t.out.RLock()
	if t.detached {
		t.out.RUnlock()
		if now {
			runtime.Goexit()
		}
		return
	}
	defer t.out.RUnlock()
	if now {
		t.T.FailNow()
	}
	t.T.Fail()
}

// tskip is SkipNow after logging msg, if any.
func (t *T) tskip(msg string) {
	t.Helper()
	t.out.RLock()
	if t.detached {
		t.out.RUnlock()
		if msg != "" {
			t.late(msg)
		}
		runtime.Goexit()
	}
	defer t.out.RUnlock()
	if msg != "" {
		t.T.Skip(msg)
	}
	t.T.SkipNow()
}

// lateOut receives what an abandoned body reports after its Go test, one
// write at a time (lateMu).
var (
	lateMu  sync.Mutex
	lateOut io.Writer = os.Stderr
)

func (t *T) late(msg string) {
	msg = strings.ReplaceAll(strings.TrimSuffix(msg, "\n"), "\n", "\n    ")
	lateMu.Lock()
	defer lateMu.Unlock()
	fmt.Fprintf(lateOut, "atfshim: %s: after the Go test ended (its body was abandoned at the timeout): %s\n", t.T.Name(), msg)
}

// xfailSkipPrefix starts the skip message that is expected_failure's face
// under go test.
const xfailSkipPrefix = "expected failure: "

// xfailReasonLocked is the expected_failure reason: upstream's
// `<expect reason>: <failure message>` (§4).
func (t *T) xfailReasonLocked() string {
	msg := t.xfailMsg
	if t.overrun != "" {
		msg = t.overrun
	}
	if strings.TrimSpace(msg) == "" {
		msg = noMessage
	}
	return t.xfailReason + ": " + msg
}

// record computes the case's result once the Go test is over; it is the
// last cleanup to run.
func (t *T) record() {
	t.Helper()
	t.life.Lock()
	t.done = true
	t.life.Unlock()
	t.end.Lock()
	t.ended = true
	t.end.Unlock()
	t.watchdog.Stop()
	r := t.outcome()
	t.c.setResult(r)
	if t.abandoned.Load() {
		// The Go test ends with this cleanup; what the body still does
		// goes to stderr (see tlog).
		t.out.Lock()
		t.detached = true
		t.out.Unlock()
	}
	switch {
	case r.status == statusExpectedFailure && !t.T.Skipped():
		// Only non-fatal expected failures get here; SkipNow in the last
		// cleanup is how go test shows them.
		t.T.Skip(xfailSkipPrefix + r.reason)
	case r.status == statusFailed && !t.T.Failed():
		t.T.Error(r.reason) // "expected failure did not happen"
	}
}

// outcome maps the case's state to an ATF result; failures beat expected
// failures beat skips, as in atf-c.
func (t *T) outcome() result {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.T.Failed() && t.overrun != "":
		return result{statusFailed, t.overrun}
	case t.T.Failed():
		return result{statusFailed, t.firstFail}
	case t.xfailHit:
		return result{statusExpectedFailure, t.xfailReasonLocked()}
	case t.T.Skipped():
		return result{statusSkipped, t.skipReason}
	case t.expect != "":
		return result{statusFailed, "expected failure did not happen: " + t.expect}
	}
	return result{status: statusPassed}
}
