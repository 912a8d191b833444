package step

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/insn"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

const caseTimeout = 30 * time.Second

// stepCases are NetBSD's step1..4 (PT_STEP N times), setstep1..4
// (PT_SETSTEP, then N PT_CONTINUEs, then PT_CLEARSTEP) and
// step_signalmasked/step_signalignored (PT_STEP with SIGTRAP blocked or
// ignored by the tracee: the step trap is the tracer's, whatever the
// tracee did to the signal).
type stepCase struct {
	ident   string
	n       int    // instructions stepped
	setstep bool   // PT_SETSTEP + PT_CONTINUE instead of PT_STEP
	setup   string // "", "_masked", "_ignored"
}

var stepCases = func() []stepCase {
	var cs []stepCase
	for n := 1; n <= 4; n++ {
		cs = append(cs, stepCase{fmt.Sprintf("step%d", n), n, false, ""}, stepCase{fmt.Sprintf("setstep%d", n), n, true, ""})
	}
	all := len(insn.StepSeq.After)
	if all == 0 {
		all = 4 // no sequence here: the cases skip
	}
	return append(cs, stepCase{"step_signalmasked", all, false, "_masked"}, stepCase{"step_signalignored", all, false, "_ignored"})
}()

func init() {
	for _, c := range stepCases {
		how := fmt.Sprintf("%s %d times", tracer.ReqStep, c.n)
		if c.setstep {
			how = fmt.Sprintf("PT_SETSTEP then PT_CONTINUE %d times (then PT_CLEARSTEP)", c.n)
		}
		extra := map[string]string{"": "", "_masked": " with SIGTRAP blocked by the tracee", "_ignored": " with SIGTRAP ignored by the tracee"}[c.setup]
		atfshim.DeclareSub(TestStep, c.ident, atfshim.Meta{
			Descr:   how + " executes exactly that many instructions of a known sequence" + extra + ": each stop SIGTRAP with the step si_code and the PC at the next instruction",
			Timeout: caseTimeout,
		})
	}
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{
		semantics.Both("step1..4, step_signalmasked, step_signalignored", "the stop after one single step", "ptrace.stepCodeOn",
			func(k string) string {
				return fmt.Sprintf("%s: SIGTRAP, si_code %s, the PC at the next instruction (a taken jump's target); with SIGTRAP blocked or ignored alike",
					tracer.ReqStep.On(k), tracer.CodeNameOn(k, int(syscall.SIGTRAP), tracer.StepCodeOn(k)))
			}),
		semantics.Both("setstep1..4", "a single-step mode across resumes", "ptrace.StepModeMissingOn",
			func(k string) string {
				if why := tracer.StepModeMissingOn(k, "amd64"); why != "" {
					return "the cases skip: " + why
				}
				return "PT_SETSTEP: every PT_CONTINUE runs one instruction and stops like PT_STEP; PT_CLEARSTEP ends it"
			}),
	}
})

// firstStepOn is what each kernel does with the first single step from a
// stop taken at a system call's return (the sequence's SIGSTOP comes on
// the return of the tgkill/_lwp_kill that sent it): Linux runs the next
// instruction; NetBSD (measured on 8.99.25 amd64 under qemu TCG -cpu
// qemu64, every step and setstep case alike) stops with TRAP_TRACE at the
// same PC, having run nothing, and each step after it runs one
// instruction. Whether the kernel or TCG's SYSRET/IRET with PSL_T makes
// the extra stop is unverified.
var firstStepOn = map[string]struct {
	stays bool
	rule  string
}{
	"netbsd": {true, "the first PT_STEP (or step-mode PT_CONTINUE) from a stop at a system call's return stops with TRAP_TRACE at the same PC, running nothing (measured on 8.99.25 under qemu TCG; kernel or TCG unverified); each later step runs one instruction"},
	"linux":  {false, "the first PTRACE_SINGLESTEP from a stop at a system call's return runs the next instruction, like every other"},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("step1..4, setstep1..4, step_signal*", "the first single step from a stop at a system call's return", "firstStepOn",
		func(k string) string { return firstStepOn[k].rule })}
})

// stepSkip says why this machine cannot run a step case, or "".
func stepSkip(c stepCase) string {
	if why := tracer.ResumeMissing(tracer.ReqStep); why != "" {
		return why
	}
	if c.setstep {
		if why := tracer.StepModeMissing(); why != "" {
			return why
		}
	}
	return insn.Missing()
}

// TestStep: the tracee stops itself just before insn.StepSeq; each step
// (or each resume in step mode) must run exactly the next instruction and
// stop with SIGTRAP and the kernel's step si_code, the PC at the
// sequence's next boundary; after the last one the tracee runs the rest of
// the sequence once and exits.
func TestStep(t *testing.T) {
	for _, c := range stepCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			if why := stepSkip(c); why != "" {
				t.Skipf("%s", why)
			}
			tr := tracer.New(t)
			p := tr.Spawn("step" + c.setup)
			lwp, entry := p.ReportInt("lwp"), uintptr(p.ReportInt("seq"))
			seq := insn.StepSeq
			tr.Cont(p.Pid, 0)
			ev := tr.Wait(p.Pid)
			if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
				t.Fatalf("the tracee must stop itself with SIGSTOP before the sequence; got %v", ev)
			}
			if pc := tr.PC(p.Pid, lwp); pc != entry+seq.Start {
				t.Fatalf("the sequence's stop must have the PC at entry+%d (%#x); got %#x", seq.Start, entry+seq.Start, pc)
			}
			req := tracer.ReqStep.String()
			if c.setstep {
				req = "PT_CONTINUE in PT_SETSTEP mode"
				tr.SetStep(p.Pid, lwp)
			}
			code := tracer.StepCodeOn(runtime.GOOS)
			first, ok := firstStepOn[runtime.GOOS]
			if !ok {
				t.Fatalf("no first-step rule written down for %s", runtime.GOOS)
			}
			// after[k-1] is the PC after step k.
			after := seq.After
			if first.stays {
				after = append([]uintptr{seq.Start}, seq.After...)
			}
			for k := 1; k <= c.n; k++ {
				if c.setstep {
					tr.Cont(p.Pid, 0)
				} else {
					tr.Step(p.Pid, lwp)
				}
				ev := tr.Wait(p.Pid)
				if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGTRAP) || ev.Code != code {
					t.Fatalf("%s %d of %d must stop the tracee with SIGTRAP, %s; got %v",
						req, k, c.n, tracer.CodeName(int(syscall.SIGTRAP), code), ev)
				}
				want, pc := entry+after[k-1], tr.PC(p.Pid, lwp)
				if pc != want {
					t.Fatalf("%s %d of %d must run exactly one instruction: PC want entry+%d (%#x), got entry+%d (%#x)",
						req, k, c.n, after[k-1], want, int64(pc-entry), pc)
				}
			}
			if c.setstep {
				tr.ClearStep(p.Pid, lwp)
			}
			tr.Cont(p.Pid, 0)
			if !expect.Same(t, "after the last step the tracee must run on to its exit", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid)) {
				t.FailNow()
			}
			if got := p.ReportInt("result"); got != insn.SeqResult {
				t.Errorf("the sequence must have run once, result %d; got %d", insn.SeqResult, got)
			}
		})
	}
}

var _ = atfshim.Declare(TestStepPerLwp, atfshim.Meta{
	Descr:   "single steps of one LWP are that LWP's: with a second LWP in the process, every step stop comes from the stepped LWP, one instruction each",
	Timeout: caseTimeout,
})

// TestStepPerLwp (no NetBSD counterpart): the scenario's LWP steps through
// the sequence while another LWP of its own exists (blocked); every step
// stop must be the stepped LWP's (NetBSD psi_lwpid, Linux the thread), its
// PC at the next boundary; the other LWP is never stepped.
func TestStepPerLwp(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why := stepSkip(stepCase{}); why != "" {
			t.Skipf("%s", why)
		}
		rule, ok := firstStepOn[runtime.GOOS]
		if !ok {
			t.Fatalf("no first-step rule written down for %s", runtime.GOOS)
		}
		tr := tracer.New(t)
		p := tr.Spawn("step_lwp")
		lwp, entry := p.ReportInt("lwp"), uintptr(p.ReportInt("seq"))
		other := awaitNewLwp(t, tr, p)
		if lwpCreateOn[runtime.GOOS].ownStop {
			tr.Cont(other, 0)
		}
		tr.Cont(p.Pid, 0)
		ev := tr.Wait(p.Pid)
		if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
			t.Fatalf("the tracee must stop itself with SIGSTOP before the sequence; got %v", ev)
		}
		after := insn.StepSeq.After
		if rule.stays {
			after = append([]uintptr{insn.StepSeq.Start}, after...)
		}
		code := tracer.StepCodeOn(runtime.GOOS)
		for k := 1; k <= len(insn.StepSeq.After); k++ {
			tr.Step(p.Pid, lwp)
			ev := tr.Wait(p.Pid)
			if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGTRAP) || ev.Code != code || ev.Lwp != lwp {
				t.Fatalf("%s %d of LWP %d (LWP %d also in the process) must stop LWP %d with SIGTRAP, %s; got %v from LWP %d",
					tracer.ReqStep, k, lwp, other, lwp, tracer.CodeName(int(syscall.SIGTRAP), code), ev, ev.Lwp)
			}
			if pc := tr.PC(p.Pid, lwp); pc != entry+after[k-1] {
				t.Fatalf("%s %d of LWP %d must run exactly one instruction: PC want entry+%d, got entry+%d", tracer.ReqStep, k, lwp, after[k-1], int64(pc-entry))
			}
		}
		lwpsRunOn(t, tr, p, 0)
		if got := p.ReportInt("result"); got != insn.SeqResult {
			t.Errorf("the sequence must have run once, result %d; got %d", insn.SeqResult, got)
		}
	})
}
