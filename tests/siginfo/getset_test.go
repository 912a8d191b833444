package siginfo

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

// sendPanickingVar is the config variable that makes the tracer send
// PT_SET_SIGINFO to a kernel that predates the fix anyway: one that has the
// bug panics (the qemu runner records the case as broken with the panic),
// one that does not fails the expected failure, showing the fix is there.
const sendPanickingVar = "send_panicking"

var _ = atfshim.DeclareVar(sendPanickingVar, atfshim.Bool)

// sendPanickingIfAsked makes the tracer send the withheld request when
// send_panicking=true.
func sendPanickingIfAsked(t *atfshim.T, tr *tracer.Tracer) {
	if t.ConfigBool(sendPanickingVar, false) {
		tr.SendPanicking()
	}
}

// expectSetPanics declares the known panic of kernels before the
// PT_SET_SIGINFO fix, right before the request: the tracer does not send
// it there (unless send_panicking=true), and the rest of the case fails,
// expectedly, naming the fix. What the case checked before stays checked.
func expectSetPanics(t *atfshim.T) {
	if why := tracer.Lacks(nbabi.FixSetSiginfoLwp); why != "" {
		t.ExpectFail("the kernel predates a fix (request withheld, it would panic; " + sendPanickingVar + "=true sends it): " + why)
	}
}

// atRaisedSIGINT spawns raise_int and returns it stopped for its SIGINT.
func atRaisedSIGINT(t *atfshim.T, tr *tracer.Tracer) *tracer.Proc {
	p := tr.Spawn("raise_int")
	tr.Cont(p.Pid, 0)
	ev := tr.Wait(p.Pid)
	if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGINT) {
		t.Fatalf("raise(SIGINT) must stop the tracee with SIGINT, got %v", ev)
	}
	return p
}

// getSI reads the stop's siginfo or fails the case.
func getSI(t *atfshim.T, tr *tracer.Tracer, pid int, when string) tracer.Siginfo {
	t.Helper()
	si, err := tr.TryGetSiginfo(pid)
	if err != nil {
		t.Fatalf("%s %s: %v", tracer.GetSiginfoName, when, err)
	}
	return si
}

// setSI replaces the stop's siginfo or fails the case.
func setSI(t *atfshim.T, tr *tracer.Tracer, pid int, si tracer.Siginfo, what string) {
	t.Helper()
	if err := tr.TrySetSiginfo(pid, si); err != nil {
		t.Fatalf("%s of %s: %v", tracer.SetSiginfoName, what, err)
	}
}

var _ = atfshim.Declare(TestSiginfoSetUnmodified, atfshim.Meta{
	Descr:   "PT_GET_SIGINFO, PT_SET_SIGINFO of the same bytes, PT_GET_SIGINFO: the siginfo reads back unchanged",
	Timeout: caseTimeout,
})

// TestSiginfoSetUnmodified is NetBSD's siginfo_set_unmodified.
func TestSiginfoSetUnmodified(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr := tracer.New(t)
		sendPanickingIfAsked(t, tr)
		p := atRaisedSIGINT(t, tr)
		si := getSI(t, tr, p.Pid, "at the SIGINT stop")
		if si.Signo() != int(syscall.SIGINT) {
			t.Errorf("%s: si_signo %d, the stop is for SIGINT", tracer.GetSiginfoName, si.Signo())
		}
		expectSetPanics(t)
		setSI(t, tr, p.Pid, si, "what "+tracer.GetSiginfoName+" returned")
		again := getSI(t, tr, p.Pid, "after "+tracer.SetSiginfoName)
		if !bytes.Equal(si.Bytes, again.Bytes) || si.Lwp != again.Lwp {
			t.Logf("siginfo before % x (lwp %d)", si.Bytes, si.Lwp)
			t.Logf("siginfo after  % x (lwp %d)", again.Bytes, again.Lwp)
			t.Errorf("siginfo changed by an unmodified %s: %s", tracer.SetSiginfoName, siginfoChange(si, again))
		}
		tr.Cont(p.Pid, 0) // SIGINT suppressed
		expect.Same(t, fmt.Sprintf("with SIGINT suppressed the tracee must exit %d", scenarioExit), tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
	})
}

// siginfoChange says in one line how after differs from before: the first
// byte that changed and the LWP (the bytes in full go to the log).
func siginfoChange(before, after tracer.Siginfo) string {
	i := 0
	for i < len(before.Bytes) && i < len(after.Bytes) && before.Bytes[i] == after.Bytes[i] {
		i++
	}
	return fmt.Sprintf("%d bytes became %d, first difference at offset %d (%s -> %s), lwp %d became %d",
		len(before.Bytes), len(after.Bytes), i, byteAt(before.Bytes, i), byteAt(after.Bytes, i), before.Lwp, after.Lwp)
}

func byteAt(b []byte, i int) string {
	if i >= len(b) {
		return "none"
	}
	return fmt.Sprintf("%#02x", b[i])
}

// handlerReport is the Go runtime's fatal-signal report in one line: its
// first line ("SIGTRAP: trace trap") and the line with the sigcode.
func handlerReport(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines[1:] {
		if strings.Contains(l, "sigcode=") {
			return lines[0] + " ... " + l
		}
	}
	return lines[0]
}

// sigcodeBrkpt is how the Go runtime's fatal-signal report shows si_code 1.
var sigcodeBrkpt = regexp.MustCompile(`sigcode=1\b`)

var _ = atfshim.Declare(TestSiginfoSetFaked, atfshim.Meta{
	Descr:   "PT_SET_SIGINFO of a faked SIGTRAP/TRAP_BRKPT over a pending SIGINT: the tracee's handler receives the faked signal and code",
	Timeout: caseTimeout,
})

// TestSiginfoSetFaked is NetBSD's siginfo_set_faked. The tracee's SIGTRAP
// handler is the Go runtime's: it reports the signal and si_code it was
// given ("SIGTRAP: trace trap", "sigcode=N") and exits 2.
func TestSiginfoSetFaked(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr := tracer.New(t)
		sendPanickingIfAsked(t, tr)
		p := atRaisedSIGINT(t, tr)
		si := getSI(t, tr, p.Pid, "at the SIGINT stop")
		si.SetSignal(int(syscall.SIGTRAP), trapBrkpt)
		expectSetPanics(t)
		setSI(t, tr, p.Pid, si, "a faked SIGTRAP/TRAP_BRKPT")
		if got := getSI(t, tr, p.Pid, "after faking"); got.Signo() != int(syscall.SIGTRAP) || got.Code() != trapBrkpt {
			t.Fatalf("%s after faking: signo %d code %d, want SIGTRAP/TRAP_BRKPT", tracer.GetSiginfoName, got.Signo(), got.Code())
		}
		// NetBSD requires the continue signal to match the faked one.
		tr.Cont(p.Pid, syscall.SIGTRAP)
		if !expect.Same(t, "the faked SIGTRAP must reach the tracee's handler, which exits 2", tracer.Event{Kind: tracer.Exited, Status: 2}, tr.Wait(p.Pid)) {
			t.FailNow()
		}
		out := p.Output()
		if !strings.Contains(out, "SIGTRAP") || !sigcodeBrkpt.MatchString(out) {
			t.Logf("the tracee wrote:\n%s", out)
			t.Errorf("the tracee's handler did not report SIGTRAP with sigcode=1 (TRAP_BRKPT); it wrote %q (all of it in the log)", handlerReport(out))
		}
	})
}
