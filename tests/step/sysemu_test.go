package step

import (
	"runtime"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/insn"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

var _ = atfshim.Declare(TestSyscallemu1, atfshim.Meta{
	Descr:   "PT_SYSCALLEMU (Linux PTRACE_SYSEMU) makes the kernel skip the call: exit(100) has no effect and the tracee exits 5; PT_SYSCALL after it stops at the skipped call's exit",
	Timeout: caseTimeout,
})

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("syscallemu1", "skipping a system call (system call emulation)", "ptrace.SysEmuOn",
		func(k string) string { return tracer.SysEmuOn[k].Rule })}
})

// exitSysno is the number a syscall exit stop carries, per kernel: NetBSD
// names the call (si_sysnum; a kernel without that siginfo names none,
// -1); Linux's exit stop has no number, which the core leaves 0.
var exitSysno = map[string]int{"netbsd": exitNamesCall, "linux": 0}

// exitNamesCall: the exit stop carries the call's own number.
const exitNamesCall = -2

// syscallEmuLwps: on 8.99.25 the emulation did not take in a Go tracee
// (seen once; whether always is unverified), so there the case runs only
// with racy=true.
var syscallEmuLwps = expect.RaceBefore{Fix: nbabi.FixSyscallEmuLwps,
	Race: "PT_SYSCALLEMU at the entry stop of one LWP of several: the call ran anyway (exit(100)) and the tracee hung exiting"}

// TestSyscallemu1 is NetBSD's syscallemu1: the tracee stops itself and at
// once calls exit(100) (Linux exit_group); the tracer has the kernel skip
// that call, so the tracee lives on to report and exit 5. What the tracer
// sees around the skipped call is each kernel's (ptrace.SysEmuOn).
func TestSyscallemu1(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why := insn.Missing(); why != "" {
			t.Skipf("%s", why)
		}
		syscallEmuLwps.Gate(t)
		rule, ok := tracer.SysEmuOn[runtime.GOOS]
		if !ok {
			t.Fatalf("no system call emulation rule written down for %s", runtime.GOOS)
		}
		tr := tracer.New(t)
		p := tr.Spawn("syscallemu")
		tr.Cont(p.Pid, 0)
		ev := tr.Wait(p.Pid)
		if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
			t.Fatalf("the tracee must stop itself with SIGSTOP before exit(100); got %v", ev)
		}
		lwp := p.ReportInt("lwp")
		exitName := tracer.SyscallName(int(insn.ExitProcessTrap))
		// next is the scenario LWP's next report: on NetBSD the Go
		// runtime's other LWPs stop at their system calls too under
		// PT_SYSCALL (the whole process is traced) and are resumed, not
		// counted; Linux traces only the scenario's thread.
		next := func() tracer.Event {
			t.Helper()
			for {
				ev := tr.Wait(p.Pid)
				if (ev.Kind != tracer.SyscallEntry && ev.Kind != tracer.SyscallExit) || ev.Lwp == lwp {
					return ev
				}
				tr.Syscall(p.Pid, 0)
			}
		}
		// A kernel without the syscall siginfo (si_sysnum) reports no
		// number (-1): there the LWP's next entry stop is taken as the call's, as
		// the scenario makes no other call between its stop and exit.
		noSysnum := tracer.Lacks(nbabi.FeatureSyscallSiginfo)
		if noSysnum != "" {
			t.Logf("syscall stops carry no number here (%s): the LWP's next entry stop is taken as %s's", noSysnum, exitName)
		}
		entry := func(how string) {
			t.Helper()
			ev := next()
			if ev.Kind != tracer.SyscallEntry || (ev.Sysno != int(insn.ExitProcessTrap) && noSysnum == "") {
				t.Fatalf("%s: the next stop must be the entry of %s; got %v", how, exitName, ev)
			}
		}
		if rule.Resumes {
			tr.SyscallEmu(p.Pid)
			entry(tracer.SyscallEmuName)
		} else {
			tr.Syscall(p.Pid, 0)
			entry(tracer.ReqSyscall.String())
			tr.SyscallEmu(p.Pid)
		}
		// After the skipped call both kernels stop at its exit under
		// PT_SYSCALL, with the call's effect undone: the tracee lives on.
		// The exit stop's number is each kernel's (exitSysno).
		tr.Syscall(p.Pid, 0)
		ev = next()
		wantSysno := exitSysno[runtime.GOOS]
		if wantSysno == exitNamesCall {
			wantSysno = int(insn.ExitProcessTrap)
			if noSysnum != "" {
				wantSysno = -1
			}
		}
		if ev.Kind != tracer.SyscallExit || ev.Sysno != wantSysno {
			t.Fatalf("%s of %s, argument 100: the call must be skipped and %s then stop at its exit; got %v", tracer.SyscallEmuName, exitName, tracer.ReqSyscall, ev)
		}
		if ev.Raw != nil && ev.Raw.Sys != nil {
			t.Logf("the skipped call's exit stop: return %d, error %d", ev.Raw.Sys.Ret[0], ev.Raw.Sys.Errno)
		}
		tr.Cont(p.Pid, 0)
		if !expect.Same(t, "the tracee must live on past the skipped exit(100) and exit 5", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid)) {
			t.FailNow()
		}
	})
}
