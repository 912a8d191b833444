package ptio

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// resumeRule is what a kernel does with the addr argument of PT_CONTINUE,
// PT_SYSCALL, PT_DETACH and PT_STEP.
type resumeRule struct {
	// zeroRejected: addr 0 fails with EINVAL and leaves the tracee stopped
	// ("a popular mistake to set Program Counter to 0x0",
	// sys_ptrace_common.c 1.53), while vm.user_va0_disable is set.
	zeroRejected bool
	// setsPC: an addr other than 1 becomes the tracee's PC.
	setsPC bool
}

var resumeRules = map[string]resumeRule{
	"netbsd": {zeroRejected: true, setsPC: true},
	// Linux's ptrace_resume (kernel/ptrace.c) reads only data, the
	// signal: addr is ignored, 0 and 1 and any other value alike, and the
	// tracee resumes where it stopped.
	"linux": {zeroRejected: false, setsPC: false},
}

// killAfterLwpResume: on kernels without the fix, the process that the
// resumed LWP stopped at the breakpoint survives PT_KILL and kill(2) SIGKILL
// in some runs (measured on 8.99.25; the trap and the PC were right in every
// run), so those cases, which end with PT_KILL, run there only with
// racy=true.
var killAfterLwpResume = expect.RaceBefore{Fix: nbabi.FixKillAfterLwpResume,
	Race: "a process stopped by an LWP resumed alone survives PT_KILL and SIGKILL in some runs"}

// The resume rules as docs/SEMANTICS.md rows, the requests in each
// kernel's words; PT_STEP per machine from tracer.ResumeMissingOn.
var _ = semantics.Add(func() []semantics.Row {
	reqs := func(k string) string {
		var n []string
		for _, r := range tracer.ResumeReqs {
			n = append(n, r.On(k))
		}
		return strings.Join(n, ", ")
	}
	cases := func(prefix string) string { return prefix + "pt_{continue,syscall,detach,step}" }
	return []semantics.Row{
		semantics.Both(cases("user_va0_disable_"), "resuming with addr 0", "resumeRules[kernel].zeroRejected", func(k string) string {
			if resumeRules[k].zeroRejected {
				return reqs(k) + " with addr 0: -1/EINVAL, the tracee still stopped at the same PC, while vm.user_va0_disable is set (else the case skips)"
			}
			return reqs(k) + " ignore addr: addr 0 resumes the tracee where it stopped"
		}),
		semantics.Both(cases("resume_addr_sets_pc_"), "resuming with an addr other than 0 and 1", "resumeRules[kernel].setsPC, killAfterLwpResume",
			func(k string) string {
				if !resumeRules[k].setsPC {
					return reqs(k) + " ignore addr: the tracee resumes where it stopped and runs on to its exit"
				}
				s := reqs(k) + ": addr becomes the PC of the LWP resumed: at a breakpoint there the tracee stops with SIGTRAP; " +
					tracer.ReqDetach.On(k) + " there kills the untraced tracee with SIGTRAP"
				if t := killAfterLwpResume.Text(); t != "" {
					s += "\nthe cases but " + tracer.ReqDetach.On(k) + "'s, which end with PT_KILL: " + t
				}
				return s
			}),
		semantics.Both("*_pt_step", "single step, per machine (amd64, arm64, 386, arm)", "tracer.ResumeMissingOn", func(k string) string {
			var have, lack []string
			for _, arch := range []string{"amd64", "arm64", "386", "arm"} {
				if why := tracer.ResumeMissingOn(k, arch, tracer.ReqStep); why != "" {
					lack = append(lack, arch+" (the case skips: "+why+")")
				} else {
					have = append(have, arch)
				}
			}
			s := tracer.ReqStep.On(k) + " on " + strings.Join(have, ", ")
			if len(lack) > 0 {
				s += "; none on " + strings.Join(lack, ", ")
			}
			return s
		}),
	}
})

func rulesHere(t *atfshim.T) resumeRule {
	r, ok := resumeRules[runtime.GOOS]
	if !ok {
		t.Fatalf("no resume-address rule written down for %s", runtime.GOOS)
	}
	return r
}

func requireResume(t *atfshim.T, r tracer.ResumeReq) {
	if why := tracer.ResumeMissing(r); why != "" {
		t.Skipf("%s", why)
	}
}

// runOn lets the memory scenario run to its end after a resume: the stops
// that resume asks for (syscall stops after PT_SYSCALL, the trace trap
// after a step) are continued, any other stop is a broken promise (a fault
// there means the tracee did not resume where it stopped: continuing it
// would fault again forever); it must exit 0 with its memory as it was.
func (s *stopped) runOn(t *atfshim.T, r tracer.ResumeReq) {
	for {
		ev := s.tr.Wait(s.p.Pid)
		if ev.Kind == tracer.Exited && ev.Status == 0 {
			break
		}
		if ev.Terminal() {
			t.Fatalf("after %s the tracee must run on to exit 0, got %v", r, ev)
		}
		asked := (r == tracer.ReqSyscall && (ev.Kind == tracer.SyscallEntry || ev.Kind == tracer.SyscallExit)) ||
			(r == tracer.ReqStep && ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGTRAP))
		if !asked {
			t.Fatalf("after %s the tracee must run on where it stopped to exit 0; it stopped with %v at PC %#x", r, ev, s.tr.PC(s.p.Pid, ev.Lwp))
		}
		s.tr.Cont(s.p.Pid, 0)
	}
	mustEqual(t, "the tracee's memory after "+r.String(), originalHead(), s.hex(t, "head"))
}

func init() {
	for _, r := range tracer.ResumeReqs {
		atfshim.DeclareSub(TestResumeAddr, "user_va0_disable_"+r.Ident(), atfshim.Meta{
			Descr:   fmt.Sprintf("%s with addr 0: NetBSD -1/EINVAL and the tracee still stopped and intact; Linux ignores addr", r),
			Timeout: caseTimeout,
		})
		atfshim.DeclareSub(TestResumeAddr, "resume_addr_one_"+r.Ident(), atfshim.Meta{
			Descr:   fmt.Sprintf("%s with addr 1 resumes the tracee where it stopped", r),
			Timeout: caseTimeout,
		})
		atfshim.DeclareSub(TestResumeAddr, "resume_addr_sets_pc_"+r.Ident(), atfshim.Meta{
			Descr:   fmt.Sprintf("%s with another addr: NetBSD resumes there (PT_GETREGS shows it); Linux ignores addr", r),
			Timeout: caseTimeout,
		})
	}
}

// TestResumeAddr is NetBSD's user_va0_disable_pt_{continue,syscall,detach}
// plus PT_STEP, and the two other resume-address rules.
func TestResumeAddr(t *testing.T) {
	for _, r := range tracer.ResumeReqs {
		atfshim.RunSub(t, "user_va0_disable_"+r.Ident(), func(t *atfshim.T) {
			requireResume(t, r)
			rule := rulesHere(t)
			if rule.zeroRejected {
				if why := tracer.ZeroPCRuleOff(); why != "" {
					t.Skipf("%s", why)
				}
			}
			s := spawnMemory(t)
			pc := s.tr.PC(s.p.Pid, s.lwp)
			err := s.tr.TryResumeAt(s.p.Pid, r, 0, 0)
			if !rule.zeroRejected {
				if err != nil {
					t.Fatalf("%s with addr 0: %v; this kernel ignores addr and must resume", r, err)
				}
				s.runOn(t, r)
				return
			}
			if !errors.Is(err, syscall.EINVAL) {
				t.Fatalf("%s with addr 0 (PC 0): got error %v, want EINVAL", r, err)
			}
			if got := s.tr.PC(s.p.Pid, s.lwp); got != pc {
				t.Errorf("after the refused %s the tracee's PC is %#x, it stopped at %#x", r, got, pc)
			}
			s.finish(t)
			mustEqual(t, "the tracee's memory after the refused "+r.String(), originalHead(), s.hex(t, "head"))
		})
		atfshim.RunSub(t, "resume_addr_one_"+r.Ident(), func(t *atfshim.T) {
			requireResume(t, r)
			s := spawnMemory(t)
			if err := s.tr.TryResumeAt(s.p.Pid, r, 1, 0); err != nil {
				t.Fatalf("%s with addr 1: %v", r, err)
			}
			s.runOn(t, r)
		})
		atfshim.RunSub(t, "resume_addr_sets_pc_"+r.Ident(), func(t *atfshim.T) {
			requireResume(t, r)
			rule := rulesHere(t)
			if rule.setsPC && r != tracer.ReqDetach {
				killAfterLwpResume.Gate(t)
			}
			s := spawnMemory(t)
			// The new PC is the stopped scenario LWP's: a process of
			// several LWPs (every Go program) has no single PC.
			if err := s.tr.TryResumeLwpAt(s.p.Pid, s.lwp, r, s.trap); err != nil {
				t.Fatalf("%s of LWP %d with addr %#x: %v", r, s.lwp, s.trap, err)
			}
			if !rule.setsPC {
				s.runOn(t, r)
				return
			}
			ev := s.tr.Wait(s.p.Pid)
			for r == tracer.ReqSyscall && (ev.Kind == tracer.SyscallEntry || ev.Kind == tracer.SyscallExit) {
				// NetBSD traces every LWP: the Go runtime's own syscalls
				// stop too on the way to the breakpoint.
				s.tr.Syscall(s.p.Pid, 0)
				ev = s.tr.Wait(s.p.Pid)
			}
			if r == tracer.ReqDetach {
				// Untraced, the breakpoint at the new PC kills the
				// tracee (its SIGTRAP is SIG_DFL).
				if ev.Kind != tracer.Killed || ev.Sig != int(syscall.SIGTRAP) {
					t.Fatalf("%s to the breakpoint at %#x: the tracee must die of SIGTRAP, got %v", r, s.trap, ev)
				}
				return
			}
			if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGTRAP) {
				t.Fatalf("%s to the breakpoint at %#x: want a SIGTRAP stop there, got %v", r, s.trap, ev)
			}
			// After the trap the PC of the LWP that reported it is the
			// breakpoint or just past it (x86 reports the next
			// instruction). Which LWP of a process with several runs at
			// the new PC is the kernel's choice (NetBSD: the one do_ptrace
			// picks; Linux traces one thread).
			if pc := s.tr.PC(s.p.Pid, ev.Lwp); pc < s.trap || pc > s.trap+4 {
				t.Errorf("after %s to %#x the tracee's LWP %d trapped at PC %#x, not at the breakpoint there", r, s.trap, ev.Lwp, pc)
			}
			s.tr.Kill(s.p.Pid)
			if ev := s.tr.Wait(s.p.Pid); ev.Kind != tracer.Killed || ev.Sig != int(syscall.SIGKILL) || ev.Core {
				t.Errorf("PT_KILL after the trap: want killed by SIGKILL, without a core (a SIGKILL never dumps), got %v", ev)
			}
		})
	}
}
