package atfshim

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// The timeout watchdog, the same under go test and in ATF mode.
//
// At the case's Timeout, expire fails the case ("timed out after 30s") and
// runs the OnTimeout hooks, which kill the tracees so that the body's waits
// return. overrunGrace later, overdue looks at a Go test that is still not
// over and names where it is stuck, from the goroutine dump: "body still
// running after its 30s timeout: blocked in chan receive at
// tests/fork/fork_test.go:123 (goroutine dump in the log)". That is the
// case's result; the dump of the stuck goroutine and of the goroutines it
// started goes to the log. Then:
//
//   - In ATF mode the process runs this one case: the result is written and
//     the process exits (a failed result exits 1, §5), before kyua's SIGKILL
//     at Timeout+timeoutSlack would lose it (§6).
//   - Under go test the body runs on a goroutine of its own (see run), so
//     the test goroutine stops waiting for it and returns: the case fails
//     with the reason, its cleanups run (the tracer's kills and reaps
//     everything) and the program goes on with the next test. Go cannot
//     stop a goroutine, so the body's stays behind, blocked; should it wake
//     up, what it reports after its Go test ended goes to stderr (testing
//     would panic on it) and its FailNow/SkipNow end it. The tracer it used
//     is closed by then.
//   - Under go test, when it is not the body that is stuck but a cleanup or
//     an OnTimeout hook (they run on goroutines the Go test cannot leave
//     behind: testing runs cleanups on the test goroutine, and the case's
//     end waits for its hooks), or when the cleanups of an abandoned body
//     are still running overrunGrace after that, the program prints the
//     test's failure, the reason and the dump on stderr and exits with
//     status 1, as the ATF path does: the alternative would be go test's
//     own -timeout panic minutes later, with no reason.

// overrunGrace is how long the Go test may go on after its timeout (and
// its OnTimeout hooks) before the watchdog gives up on it; in ATF mode it
// plus the listed slack keeps this ahead of kyua's SIGKILL (§6).
const overrunGrace = 10 * time.Second

func timeoutMsg(d time.Duration) string {
	return fmt.Sprintf("timed out after %gs", d.Seconds())
}

// expire is the watchdog: the case's Timeout has passed while the body (or
// its cleanups) still run.
func (t *T) expire() {
	t.life.Lock()
	defer t.life.Unlock()
	if t.done {
		return
	}
	t.timedOut = true
	// Armed before the hooks run, so that a hook that hangs is reported.
	time.AfterFunc(overrunGrace, t.overdue)
	// The failure is recorded before the hooks run: killing the tracees
	// usually makes the body fail as well, and the timeout is the cause.
	// While the test goroutine waits for the body it logs the line, which
	// then names the test's own file:line.
	msg := timeoutMsg(t.c.timeout())
	if !t.onTest(func() bool { t.Helper(); t.Errorf("%s", msg); return false }) {
		t.Errorf("%s", msg)
	}
	hooks := t.hooks
	t.hooks = nil
	t.hookG.Store(goroutineID())
	defer t.hookG.Store(0)
	for _, h := range hooks {
		t.callHook(h)
	}
}

// awaitBody is the test goroutine's wait for the body goroutine; meanwhile
// it runs what the watchdog mails it, until a mail asks it to stop waiting
// (the body is abandoned).
func (t *T) awaitBody() {
	t.Helper()
	for {
		select {
		case <-t.bodyDone:
			t.stopWaiting()
			if t.goexited.Load() {
				// testing fails a test goroutine that ends this way; the
				// body's goroutine must not turn it into a pass.
				t.hardFail("the body called runtime.Goexit without failing or skipping (FailNow of another test?)", false)
			}
			return
		case f := <-t.mail:
			if f() {
				t.stopWaiting()
				return
			}
		}
	}
}

// stopWaiting ends the mail service; what was mailed before still runs.
func (t *T) stopWaiting() {
	t.Helper()
	t.waitMu.Lock()
	t.waiting = false
	t.waitMu.Unlock()
	for {
		select {
		case f := <-t.mail:
			f()
		default:
			return
		}
	}
}

// onTest runs f on the test goroutine and waits for it, if the test
// goroutine is waiting for the body; it reports whether f ran. f returns
// whether the test goroutine must stop waiting.
func (t *T) onTest(f func() (stop bool)) bool {
	t.waitMu.Lock()
	if !t.waiting {
		t.waitMu.Unlock()
		return false
	}
	ran := make(chan struct{})
	// The mail channel has room for every watchdog stage: this never blocks.
	t.mail <- func() bool {
		t.Helper()
		defer close(ran)
		return f()
	}
	t.waitMu.Unlock()
	<-ran
	return true
}

// overdue is the watchdog's second stage (see the top of the file).
func (t *T) overdue() {
	t.end.Lock()
	if t.ended {
		t.end.Unlock()
		return
	}
	what, id, canAbandon := t.stuck()
	reason, dump := t.diagnose(what, id)
	if sink := activeSink(t.c); sink != nil {
		// end stays locked: the normal end of the case must not write a
		// second result.
		reason = t.setOverrun(reason)
		fmt.Fprintf(os.Stderr, "%s\n%s\n", reason, dump)
		r := t.outcome()
		if r.status != statusFailed && r.status != statusExpectedFailure {
			r = result{statusFailed, reason}
		}
		if code, won := sink.finish(r); won {
			osExit(code)
		}
		t.end.Unlock()
		return
	}
	t.end.Unlock()
	if canAbandon && t.onTest(func() bool { t.Helper(); return t.abandon(reason, dump) }) {
		// The cleanups run now, on the test goroutine; they get as long.
		time.AfterFunc(overrunGrace, t.lastResort)
		return
	}
	t.end.Lock()
	defer t.end.Unlock()
	if !t.ended {
		t.exitOverrun(reason, dump)
	}
}

// lastResort is the third stage under go test: the cleanups of an
// abandoned body did not end either.
func (t *T) lastResort() {
	t.end.Lock()
	defer t.end.Unlock()
	if t.ended {
		return
	}
	what, id, _ := t.stuck()
	t.exitOverrun(t.diagnose(what, id))
}

// stuck says what keeps the Go test from ending, on which goroutine, and
// whether the test goroutine can leave it behind.
func (t *T) stuck() (what string, id int64, canAbandon bool) {
	bodyRunning := false
	select {
	case <-t.bodyDone:
	default:
		bodyRunning = t.bodyG.Load() != 0 && !t.abandoned.Load()
	}
	switch {
	case bodyRunning:
		return "body", t.bodyG.Load(), true
	case t.hookG.Load() != 0:
		return "OnTimeout hook", t.hookG.Load(), false
	case !t.testReturned.Load():
		// Still preparing the body, on the test goroutine.
		return "body", t.testG.Load(), false
	}
	return "cleanup", t.testG.Load(), false
}

// diagnose is the one-line reason and the dump of goroutine id and of the
// goroutines it started.
func (t *T) diagnose(what string, id int64) (reason, dump string) {
	gs := allGoroutines()
	where := fmt.Sprintf("goroutine %d is not in the dump", id)
	if g := findGoroutine(gs, id); g != nil {
		where = thisCode().where(g, t.testPkg)
	}
	reason = fmt.Sprintf("%s still running after its %gs timeout: %s (goroutine dump in the log)",
		what, t.c.timeout().Seconds(), where)
	dump = fmt.Sprintf("goroutine dump of the %s of %s (goroutine %d and the goroutines it started):\n\n%s",
		what, t.T.Name(), id, family(gs, id))
	return reason, dump
}

// setOverrun makes reason, with the failure context, the case's result
// reason in place of the timeout message.
func (t *T) setOverrun(reason string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.context != "" && !strings.Contains(reason, t.context) {
		reason += " " + t.context
	}
	t.overrun = reason
	return reason
}

// abandon runs on the test goroutine: unless the body has just returned,
// the case fails with reason and the test goroutine stops waiting.
func (t *T) abandon(reason, dump string) bool {
	t.Helper()
	select {
	case <-t.bodyDone:
		return false
	default:
	}
	t.abandoned.Store(true)
	t.Errorf("%s", t.setOverrun(reason))
	t.tlog(dump)
	return true
}

// exitOverrun ends a go test program whose Go test cannot end, with the
// test's failure and the reason on stderr (its log may be buffered and
// lost). The caller holds end.
func (t *T) exitOverrun(reason, dump string) {
	reason = t.setOverrun(reason)
	fmt.Fprintf(os.Stderr, "--- FAIL: %s\n    %s\n    %s\natfshim: exit status 1: the Go test %s cannot end, so no later test runs\n",
		t.T.Name(), reason, strings.ReplaceAll(dump, "\n", "\n    "), t.T.Name())
	osExit(1)
}
