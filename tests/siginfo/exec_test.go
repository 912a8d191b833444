package siginfo

import (
	"runtime"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
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
			if !ok {
				t.Fatalf("no exec report written down for %s", runtime.GOOS)
			}
			tr := tracer.New(t)
			p := tr.Spawn("exec" + c.setup)
			tr.TraceExec(p.Pid)
			tr.Cont(p.Pid, 0)
			ev := tr.Wait(p.Pid)
			if !expect.Same(t, "execve of "+execPath+" by a traced process", want, ev) {
				t.FailNow()
			}
			st := tr.SignalState(p.Pid)
			if got, want := st.Blocked.Has(syscall.SIGTRAP), c.setup == "_masked"; got != want {
				t.Errorf("after the exec SIGTRAP blocked=%v, want %v", got, want)
			}
			if got, want := st.Ignored.Has(syscall.SIGTRAP), c.setup == "_ignored"; got != want {
				t.Errorf("after the exec SIGTRAP ignored=%v, want %v", got, want)
			}
			tr.Cont(p.Pid, 0)
			expect.Same(t, execPath+" must run to exit 0 after the exec trap", tracer.Event{Kind: tracer.Exited}, tr.Wait(p.Pid))
		})
	}
}
