package siginfo

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// maskedSignals are NetBSD's traceme_raisesignal_{masked,ignored}1..8.
var maskedSignals = []syscall.Signal{
	syscall.SIGABRT, syscall.SIGHUP, syscall.SIGCONT, syscall.SIGTRAP,
	syscall.SIGBUS, syscall.SIGILL, syscall.SIGFPE, syscall.SIGSEGV,
}

// maskedFixes are the kernel fixes a traceme_raisesignal_masked case
// checks beyond the rule, per signal (NetBSD revisions).
var maskedFixes = map[syscall.Signal][]nbabi.Feature{syscall.SIGCONT: {nbabi.FixBlockedSigcont}}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("traceme_raisesignal_masked_*", "raise(3) of a blocked signal under PT_TRACE_ME", "maskedFixes",
		func(k string) string {
			s := "not reported: a blocked signal is not delivered, so there is no stop; the tracee exits 5"
			if k != "netbsd" {
				return s // the fixes are NetBSD revisions': tracer.Lacks never reports one on Linux
			}
			for _, sig := range slices.Sorted(maps.Keys(maskedFixes)) {
				for _, f := range maskedFixes[sig] {
					s += fmt.Sprintf("\n%s: before NetBSD %s (%s) an expected failure: %s", sigName(sig), nbabi.OSRevisionString(f.Since), f.Name, f.Before)
				}
			}
			return s
		})}
})

// runtimeSignals are signals the Go runtime uses itself, which the tracer
// passes through unless told otherwise. Tracees run with
// GODEBUG=asyncpreemptoff=1, so a SIGURG stop here is the scenario's raise.
var runtimeSignals = []syscall.Signal{syscall.SIGURG}

func raiseIdent(s syscall.Signal, setup string) string {
	switch setup {
	case "_masked":
		return "traceme_raisesignal_masked_" + sigIdent(s)
	case "_ignored":
		return "traceme_raisesignal_ignored_" + sigIdent(s)
	}
	return "traceme_raise_" + sigIdent(s)
}

type raiseCase struct {
	sig   syscall.Signal
	setup string
}

func raiseCases() []raiseCase {
	var cs []raiseCase
	for _, s := range raisedSignals {
		cs = append(cs, raiseCase{s, ""})
	}
	for _, setup := range []string{"_masked", "_ignored"} {
		for _, s := range maskedSignals {
			cs = append(cs, raiseCase{s, setup})
		}
	}
	return cs
}

func init() {
	for _, c := range raiseCases() {
		descr := "raise(" + sigName(c.sig) + ") after PT_TRACE_ME stops the tracee with it, si_code SI_LWP (Linux SI_TKILL)"
		switch c.setup {
		case "_masked":
			descr = "raise(" + sigName(c.sig) + ") with the signal blocked is not reported; the tracee exits 5"
		case "_ignored":
			descr = "raise(" + sigName(c.sig) + ") with the signal ignored is still reported to the tracer, si_code SI_LWP (Linux SI_TKILL)"
		}
		atfshim.DeclareSub(TestTracemeRaise, raiseIdent(c.sig, c.setup), atfshim.Meta{Descr: descr, Timeout: caseTimeout})
	}
}

func sigName(s syscall.Signal) string { return tracer.SignalName(int(s)) }

// TestTracemeRaise is NetBSD's traceme_raise1..10 for every catchable
// signal, and traceme_raisesignal_{masked,ignored}1..8: a traced process
// sends itself a signal; the tracer sees it unless it is blocked (a
// blocked signal is not delivered, so there is no delivery to stop at),
// and sees it even when it is ignored. The tracer suppresses it and the
// tracee exits 5.
func TestTracemeRaise(t *testing.T) {
	for _, c := range raiseCases() {
		atfshim.RunSub(t, raiseIdent(c.sig, c.setup), func(t *atfshim.T) {
			code, ok := raiseCode[runtime.GOOS]
			if !ok {
				t.Fatalf("no raise(3) si_code written down for %s", runtime.GOOS)
			}
			if c.setup == "_masked" {
				expect.KnownBugs(t, maskedFixes[c.sig]...)
			}
			tr := tracer.New(t)
			if slices.Contains(runtimeSignals, c.sig) {
				tr.Report(c.sig) // only for the case that raises it: elsewhere a stray SIGURG stays the tracer's to pass
			}
			p := tr.Spawn("raise_" + sigIdent(c.sig) + c.setup)
			tr.Cont(p.Pid, 0)
			var want []tracer.Event
			if c.setup != "_masked" {
				want = append(want, tracer.Event{Kind: tracer.Stopped, Sig: int(c.sig), Code: code})
			}
			want = append(want, tracer.Event{Kind: tracer.Exited, Status: scenarioExit})
			got := toEnd(tr, p.Pid, nil)
			expect.Same(t, fmt.Sprintf("raise(%s)%s under PT_TRACE_ME", sigName(c.sig), c.setup), want, got)
		})
	}
}
