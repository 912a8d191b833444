package siginfo

import (
	"runtime"
	"slices"
	"strings"
	"syscall"

	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// raiseCode is si_code of a signal raise(3) sends: a thread-directed kill.
// NetBSD: SI_LWP (_lwp_kill); Linux: SI_TKILL (tgkill).
var raiseCode = map[string]int{"netbsd": -5, "linux": -6}

// trapBrkpt is TRAP_BRKPT on both kernels.
const trapBrkpt = 1

// crashCodes are the si_codes each crash may carry, per kernel and crash;
// archCrashCodes override them per GOARCH.
//
// NetBSD (sys/sys/siginfo.h 1.34): int3/brk TRAP_BRKPT; a load from an
// unmapped page SEGV_MAPERR; an undefined instruction anything in
// ILL_ILLOPC..ILL_BADSTK (its suite accepts the range); an integer divide
// FPE_INTDIV (x86 #DE), an FP divide FPE_FLTDIV (arm); past the end of a
// mapped file BUS_ADRERR.
//
// Linux: int3 on x86 is SI_KERNEL (do_int3_user raises SIGTRAP with
// force_sig, i.e. SEND_SIG_PRIV); brk/bkpt on arm TRAP_BRKPT; ud2 is
// ILL_ILLOPN on x86 (do_error_trap for #UD), udf ILL_ILLOPC on arm;
// SEGV_MAPERR, FPE_INTDIV (x86), FPE_FLTDIV (arm FP traps), BUS_ADRERR.
var crashCodes = map[string]map[string][]int{
	"netbsd": {"trap": {trapBrkpt}, "segv": {1}, "ill": {1, 2, 3, 4, 5, 6, 7, 8}, "fpe": {1}, "bus": {2}},
	"linux":  {"trap": {0x80}, "segv": {1}, "ill": {2}, "fpe": {1}, "bus": {2}},
}

var archCrashCodes = map[string]map[string]map[string][]int{
	"netbsd": {
		"arm64": {"fpe": {3}},
		"arm":   {"fpe": {3}},
	},
	"linux": {
		"arm64": {"trap": {trapBrkpt}, "ill": {1}, "fpe": {3}},
		"arm":   {"trap": {trapBrkpt}, "ill": {1}, "fpe": {3}},
	},
}

func crashCodesHere(name string) ([]int, bool) {
	if c, ok := archCrashCodes[runtime.GOOS][runtime.GOARCH][name]; ok {
		return c, true
	}
	c, ok := crashCodes[runtime.GOOS][name]
	return c, ok
}

// crashKeepsState says whether, at the stop for a crash whose signal was
// blocked or ignored, the tracee's mask and dispositions are still as it
// set them. NetBSD: yes (its suite checks kinfo_proc2 p_sigmask and
// p_sigignore at the stop). Linux: no: force_sig_info (kernel/signal.c)
// unblocks a blocked fault signal and resets an ignored or blocked one to
// SIG_DFL when it is raised, before the tracer sees it. NetBSD before the
// trapsignal() rework did the same for a traced process (measured on
// 8.99.25: the signal is neither blocked nor ignored at the stop).
var crashKeepsState = map[string]expect.Revised[bool]{
	"netbsd": {Now: true, Before: []expect.Older[bool]{{Feature: nbabi.FeatureCrashStopKeepsMask, Value: false}}},
	"linux":  {Now: false},
}

// attachStop is the stop PT_ATTACH / PTRACE_ATTACH produces: NetBSD posts
// SIGSTOP as from a user (SI_USER); Linux sends it with SEND_SIG_PRIV,
// which reads back as SI_KERNEL.
var attachStop = map[string]tracer.Event{
	"netbsd": {Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: 0},
	"linux":  {Kind: tracer.Stopped, Sig: int(syscall.SIGSTOP), Code: 0x80},
}

// codeNames are si_codes of sig in kernel's words, "A or B".
func codeNames(kernel string, sig syscall.Signal, codes []int) string {
	var n []string
	for _, c := range codes {
		n = append(n, tracer.CodeNameOn(kernel, int(sig), c))
	}
	return strings.Join(n, " or ")
}

var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	for _, c := range raw.Crashes {
		cases := "{traceme,unrelated_tracer_sees}_[signal{masked,ignored}_]crash_" + c.Name + ", traceme_[signal{masked,ignored}_]crash_" + c.Name + "_core"
		if slices.Contains(raw.VforkCrashes, c.Name) {
			cases += ", traceme_vfork_[signal{masked,ignored}_]crash_" + c.Name
		}
		rows = append(rows, semantics.Both(cases, "the si_code of the "+c.Name+" crash ("+tracer.SignalName(int(c.Sig))+")",
			"crashCodes, archCrashCodes", func(k string) string {
				s := codeNames(k, c.Sig, crashCodes[k][c.Name])
				for _, arch := range []string{"amd64", "arm64", "386", "arm"} {
					if o, ok := archCrashCodes[k][arch][c.Name]; ok {
						s += "; on " + arch + ": " + codeNames(k, c.Sig, o)
					}
				}
				return s
			}))
	}
	keeps := func(kept bool) string {
		if kept {
			return "kept: at the crash stop the signal is still blocked or ignored as the tracee set it"
		}
		return "reset before the stop: the fault signal is unblocked and its action SIG_DFL"
	}
	return append(rows,
		semantics.Both("traceme_raise_*, traceme_raisesignal_ignored_*", "the si_code of a signal raise(3) sends (a thread-directed kill)", "raiseCode",
			func(k string) string { return tracer.CodeNameOn(k, int(syscall.SIGUSR1), raiseCode[k]) }),
		semantics.Both("*_signal{masked,ignored}_crash_*", "a blocked or ignored fault signal, at the crash stop", "crashKeepsState",
			func(k string) string { return crashKeepsState[k].Text(keeps) }),
		semantics.Both("unrelated_tracer_sees_*crash_*", "the stop PT_ATTACH (PTRACE_ATTACH) produces", "attachStop",
			func(k string) string { return attachStop[k].On(k) }),
	)
})
