package siginfo

import (
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// execStop is how each kernel reports a traced execve: NetBSD SIGTRAP with
// TRAP_EXEC (always); Linux PTRACE_EVENT_EXEC, with PTRACE_O_TRACEEXEC set
// (its legacy post-exec SIGTRAP is an ordinary signal that a blocked
// SIGTRAP would hold back, so the event is the analog of TRAP_EXEC).
var execStop = map[string]tracer.Event{
	"netbsd": {Kind: tracer.Exec},
	"linux":  {Kind: tracer.Exec},
}

// execIgnoreSet is the ignore set the kernel must show at the exec stop of
// a process that had ignore set ign and caught the signals caught: execve
// keeps SIG_IGN and turns every handler into SIG_DFL, and each kernel
// lists its ignore set its own way. Linux (fs/exec.c
// flush_signal_handlers; /proc SigIgn lists SIG_IGN only): ign. NetBSD
// (sys/kern/kern_sig.c execsigs; p_sigignore also holds SIG_DFL signals
// whose default is to ignore them, sigprop SA_IGNORE without SA_CONT):
// ign plus the caught SIGURG (16), SIGCHLD (20), SIGIO (23), SIGWINCH
// (28), SIGINFO (29) and SIGPWR (32), NetBSD's numbers.
var execIgnoreSet = map[string]func(ign, caught tracer.SigSet) tracer.SigSet{
	"linux":  func(ign, _ tracer.SigSet) tracer.SigSet { return ign },
	"netbsd": func(ign, caught tracer.SigSet) tracer.SigSet { return ign | caught&netbsdDefaultIgnore },
}

const netbsdDefaultIgnore tracer.SigSet = 1<<(16-1) | 1<<(20-1) | 1<<(23-1) | 1<<(28-1) | 1<<(29-1) | 1<<(32-1)

var _ = semantics.Add(func() []semantics.Row {
	var cases []string
	for _, c := range execCases {
		cases = append(cases, c.ident)
	}
	// With nothing ignored and every signal caught, the ignore set at the
	// exec stop is what the kernel adds to SIG_IGN.
	added := func(k string) string {
		set := execIgnoreSet[k](0, ^tracer.SigSet(0))
		if set == 0 {
			return "exactly the SIG_IGN signals (execve keeps SIG_IGN, turns handlers into SIG_DFL)"
		}
		var n []string
		for sig := 1; sig <= 64; sig++ {
			if set&(1<<(sig-1)) != 0 {
				n = append(n, strconv.Itoa(sig))
			}
		}
		return "the SIG_IGN signals, plus the caught signals among " + strings.Join(n, ", ") + " (this kernel's numbers): execve makes them SIG_DFL, whose action for them is to ignore"
	}
	return []semantics.Row{
		semantics.Both(strings.Join(cases, ", "), "the stop a traced execve reports", "execStop",
			func(k string) string { return execStop[k].On(k) }),
		semantics.Both(strings.Join(cases, ", "), "the ignore set at the exec stop", "execIgnoreSet", added),
	}
})

var execCases = []struct{ ident, setup, descr string }{
	{"traceme_exec", "", "execve after PT_TRACE_ME stops the tracee with SIGTRAP/TRAP_EXEC (Linux PTRACE_EVENT_EXEC); it then runs to exit 0"},
	{"traceme_signalmasked_exec", "_masked", "the exec trap is reported with SIGTRAP blocked, and the mask survives the exec"},
	{"traceme_signalignored_exec", "_ignored", "the exec trap is reported with SIGTRAP ignored, and SIG_IGN survives the exec"},
}

func init() {
	for _, c := range execCases {
		atfshim.DeclareSub(TestTracemeExec, c.ident, atfshim.Meta{Descr: c.descr, Timeout: caseTimeout})
	}
}

// TestTracemeExec is NetBSD's traceme_exec, traceme_signalmasked_exec and
// traceme_signalignored_exec. The scenario is traced from its own exec and
// execs /bin/echo; the exec must be reported whatever it did to SIGTRAP,
// and a blocked or ignored SIGTRAP stays so in the new image (execve keeps
// the mask and SIG_IGN).
func TestTracemeExec(t *testing.T) {
	for _, c := range execCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			want, ok := execStop[runtime.GOOS]
			if _, rule := execIgnoreSet[runtime.GOOS]; !ok || !rule {
				t.Fatalf("no exec report written down for %s", runtime.GOOS)
			}
			tr := tracer.New(t)
			p := tr.Spawn("exec" + c.setup)
			// The state the scenario set up, at its ready stop and again
			// at the exec stop: execve keeps the mask and SIG_IGN and
			// resets handlers to SIG_DFL (execIgnoreSet).
			setup, _ := readyState(t, tr, p, c.ident, syscall.SIGTRAP, c.setup)
			tr.TraceExec(p.Pid)
			tr.Cont(p.Pid, 0)
			ev := tr.Wait(p.Pid)
			if !expect.Same(t, "execve of "+execPath+" by a traced process", want, ev) {
				t.FailNow()
			}
			afterExec := setup
			afterExec.Ignored = execIgnoreSet[runtime.GOOS](setup.Ignored, expect.ReportedMask(t, p, "sigcaught"))
			expect.CheckStopState(t, tr, c.ident, "", ev, afterExec)
			tr.Cont(p.Pid, 0)
			expect.Same(t, execPath+" must run to exit 0 after the exec trap", tracer.Event{Kind: tracer.Exited}, tr.Wait(p.Pid))
		})
	}
}
