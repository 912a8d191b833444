package nbabi

import (
	"fmt"
	"strings"

	"ptracesuite/internal/semantics"
)

// Feature is one piece of the ptrace(2) contract that NetBSD gained at a
// known kernel revision. The suite runs on every revision: a case that
// needs a feature the running kernel predates skips, naming the feature
// and the revision that added it; a request whose number meant something
// else (or nothing) on that revision is never sent. Bug fixes are not
// features: a case that checks a fix runs on every revision and fails where
// the fix is missing.
//
// Since is a __NetBSD_Version__ as sysctl kern.osrevision reports it
// (sys/sys/param.h: MMmmrrpp00, so 8.99.25 is 899002500 and 10.0 is
// 1000000000). Source names the NetBSD/src change and the param.h bump the
// revision comes from.
type Feature struct {
	Name   string // in the kernel's words, e.g. "PT_STOP (request 23)"
	Since  uint32 // the first kern.osrevision that has it
	Source string // where Since comes from
	Before string // what a kernel before Since does instead
}

// Missing says, in one line, why a kernel of revision rev lacks f, or ""
// when it has it.
func (f Feature) Missing(rev uint32) string {
	if rev >= f.Since {
		return ""
	}
	return fmt.Sprintf("%s: this kernel, NetBSD %s (kern.osrevision %d), predates %s (%d), the first revision known to have it (%s)",
		f.Name, OSRevisionString(rev), rev, OSRevisionString(f.Since), f.Since, f.Source)
}

// OSRevisionString renders a __NetBSD_Version__ as NetBSD names releases:
// 899002500 is "8.99.25", 1000000000 is "10.0", 902000000 is "9.2".
func OSRevisionString(rev uint32) string {
	major, minor, patch := rev/100000000, rev/1000000%100, rev/100%10000
	if minor == 99 || patch == 0 {
		if minor == 99 {
			return fmt.Sprintf("%d.%d.%d", major, minor, patch)
		}
		return fmt.Sprintf("%d.%d", major, minor)
	}
	return fmt.Sprintf("%d.%d_PATCH%d", major, minor, patch)
}

// The features the suite gates on, from NetBSD/src file revisions (their
// $NetBSD$ ids date them). No param.h history is at hand, so a feature that
// appeared between two revisions read gets the first kern.osrevision known
// to have it: 8.99.25 (measured on a kernel of 2018-10-28) or 10.0 (whose
// sources have it). Every kernel below that is treated as lacking it: a
// case skips (or expects the older behaviour) rather than send a request
// the kernel may not have.
const (
	rev8_99_25 = 899002500 // NetBSD-current of 2018-10-28: measured
	rev10_0    = 1000000000
)

// between names the two revisions a feature is known to lie between.
const between = "; absent from %s, present in %s; the param.h bump between them is unverified, so every kernel before 10.0 is treated as lacking it"

var (
	// Requests 21..22 as sys/sys/ptrace.h 1.75 numbers them. Before,
	// 21/22 were PT_SET_SIGMASK/PT_GET_SIGMASK and PT_RESUME/PT_SUSPEND
	// were 23/24 (ptrace.h 1.59, 2017/03/23; NetBSD 8.x).
	FeatureResumeSuspend21 = Feature{
		Name:  "PT_RESUME/PT_SUSPEND as requests 21/22",
		Since: rev8_99_25,
		Source: "sys/sys/ptrace.h 1.62 (2017/12/17) renumbered them; 8.99.25 is the first revision measured " +
			"to have it, earlier 8.99.x are treated as lacking it",
		Before: "21/22 are PT_SET_SIGMASK/PT_GET_SIGMASK, 23/24 PT_RESUME/PT_SUSPEND (ptrace.h 1.59, NetBSD 8.x)",
	}
	FeatureStop = Feature{
		Name:   "PT_STOP (request 23)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/sys_ptrace_common.c"+between, "1.53 (2019/05/10)", "1.92 (2021/08/09)"),
		Before: "EINVAL from ptrace_allowed(): not a legal request",
	}
	FeatureLwpStatus = Feature{
		Name:   "PT_LWPSTATUS/PT_LWPNEXT (requests 24/25)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/sys_ptrace_common.c"+between, "1.53 (2019/05/10)", "1.92 (2021/08/09)"),
		Before: "EINVAL from ptrace_allowed(): not a legal request; PT_LWPINFO only",
	}
	FeatureSigPass = Feature{
		Name:   "PT_SET_SIGPASS/PT_GET_SIGPASS (requests 26/27)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/sys_ptrace_common.c"+between, "1.53 (2019/05/10)", "1.92 (2021/08/09)"),
		Before: "EINVAL from ptrace_allowed(): not a legal request; every signal stops the tracee",
	}
	FeatureSpawnEvent = Feature{
		Name:   "PTRACE_POSIX_SPAWN events",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/sys/ptrace.h, sys/kern/sys_ptrace_common.c"+between, "1.53 (2019/05/10)", "1.92 (2021/08/09)"),
		Before: "PT_SET_EVENT_MASK drops the 0x20 bit silently and posix_spawn reports nothing",
	}
	FeatureSyscallSiginfo = Feature{
		Name:   "TRAP_SCE/TRAP_SCX siginfo (si_sysnum, si_args, si_retval, si_error)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/sys/siginfo.h"+between, "1.31 (2017/02/17, still current 2018/05/30)", "1.34 (2019/09/30)"),
		Before: "syscall stops are TRAP_SCE/TRAP_SCX, but their siginfo has no _syscall member: no number, arguments or return values",
	}
	// FeatureForkeeReport: the new child of a traced fork/vfork stops
	// with the creator's event before it runs (MI child_return() →
	// eventswitchchild(), PSL_TRACEDCHILD).
	FeatureForkeeReport = Feature{
		Name:   "the forkee's own PTRACE_FORK/PTRACE_VFORK stop (MI child_return → eventswitchchild)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/kern_fork.c"+between, "1.204 (2018/04/16)", "1.234"),
		Before: "fork1() posts the forkee's SIGTRAP while it is still SIDL and kpsignal2() drops it: the forkee is traced but never stops for its creation",
	}
	// FeatureCrashStopKeepsMask: trapsignal() stops a traced process
	// with sigswitch() before the code that unblocks a blocked crash
	// signal and resets an ignored one to SIG_DFL.
	FeatureCrashStopKeepsMask = Feature{
		Name:   "crash stops of a traced process keep a blocked or ignored crash signal as it was (trapsignal → sigswitch)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/kern_sig.c"+between, "8.99.25 (measured)", "1.405 (2023/04/09)"),
		Before: "trapsignal() unblocks the signal and resets its action to SIG_DFL first, as for an untraced process",
	}
)

// Fixes are kernel bugs the suite checks. A case never skips for a missing
// fix: it fails, naming it. The one exception is a bug that takes the
// kernel down with it: there the request is not sent to a kernel that
// predates the fix, and the case is an expected failure naming the fix.
var (
	// FixSetSiginfoLwp: ptrace_set_siginfo() called ptrace_update_lwp(),
	// which takes the tracee's p_lock that do_ptrace() already holds
	// for PT_SET_SIGINFO: "panic: lock error: Mutex: mutex_vector_enter,
	// locking against myself" whenever psi_lwpid names an LWP other than
	// the first of a process with several (every Go program).
	FixSetSiginfoLwp = Feature{
		Name:   "PT_SET_SIGINFO with psi_lwpid of a multi-LWP process does not take p_lock twice",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/sys_ptrace_common.c"+between, "1.53 (2019/05/10, still calls ptrace_update_lwp)", "1.92 (2021/08/09)"),
		Before: "panic: lock error: Mutex: mutex_vector_enter: locking against myself (measured on 8.99.25)",
	}
)

// The fork/vfork event stops before the eventswitch() rework (kern_fork.c
// 1.204 and the 8.99.25 kernel, measured): fork1() stops the creator with
// sigswitch() and posts VFORK_DONE as a queued SIGTRAP to itself.
var (
	// FixKillAtEventStop: fork1() resumes from its sigswitch() stop and
	// returns from fork without acting on the SIGKILL that PT_KILL left
	// in p_xsig, so the killed creator runs on.
	FixKillAtEventStop = Feature{
		Name:   "PT_KILL at a fork/vfork/vfork-done event stop kills the process (eventswitch)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/kern_fork.c"+between, "1.204 (2018/04/16, sigswitch)", "1.234 (eventswitch)"),
		Before: "PT_KILL succeeds and the creator returns from fork as if continued (measured on 8.99.25)",
	}
	// FixVforkDoneStop: VFORK_DONE is a stop of its own (eventswitch
	// after l_vforkwaiting), not kpsignal(p1, SIGTRAP): it cannot be held
	// back by a blocked SIGTRAP, it is not delivered to a vforker the
	// tracer detached at its vfork event, and it is reported at the exec
	// of the child that releases the vforker.
	FixVforkDoneStop = Feature{
		Name:   "VFORK_DONE is an event stop, not a queued SIGTRAP (eventswitch)",
		Since:  rev10_0,
		Source: fmt.Sprintf("sys/kern/kern_fork.c"+between, "1.204 (2018/04/16, kpsignal SIGTRAP)", "1.234 (eventswitch)"),
		Before: "a blocked SIGTRAP hides VFORK_DONE, a detached vforker gets the SIGTRAP untraced, and it comes only after the exec'd child's exec stop (measured on 8.99.25)",
	}
)

// FixLwpEventStops: PTRACE_LWP_CREATE/PTRACE_LWP_EXIT are eventswitch()
// stops of the LWP itself, their state in the stop's siginfo. Before, the
// exiting LWP recorded itself in the per-process p_lwp_exited and queued a
// SIGTRAP to the process: a blocked SIGTRAP hides the event, and LWPs
// exiting together overwrite each other (measured on 8.99.25: exits lost,
// or the process never runs again after the first LWP_EXIT stop).
var FixLwpEventStops = Feature{
	Name:   "LWP_EXIT is an event stop of the exiting LWP (eventswitch), not per-process state and a queued SIGTRAP",
	Since:  rev10_0,
	Source: fmt.Sprintf("sys/kern/sys_ptrace_common.c"+between, "1.53 (2019/05/10, p_lwp_exited)", "1.92 (2021/08/09, siginfo state)"),
	Before: "a blocked SIGTRAP hides LWP_EXIT; concurrent exits are lost or hang the process (measured on 8.99.25)",
}

// FixVforkChildCrash: trapsignal() does not stop a traced vforked child
// whose tracer is its vforker (p_pptr == p_opptr, PL_PPWAIT): that tracer
// sleeps in vfork and could never collect the stop, so the child gets the
// signal's default action instead.
var FixVforkChildCrash = Feature{
	Name:   "a crash of a vforked child traced by its sleeping vforker terminates it instead of stopping it (trapsignal PL_PPWAIT)",
	Since:  rev10_0,
	Source: fmt.Sprintf("sys/kern/kern_sig.c"+between, "8.99.25 (measured)", "1.405 (2023/04/09)"),
	Before: "the child stops for its tracer, which sleeps in vfork: both hang until killed (measured on 8.99.25)",
}

// FixBlockedSigcont: a SIGCONT the traced process raises while it blocks
// SIGCONT is not reported to the tracer, as for every other blocked signal
// (NetBSD's own traceme_raisesignal_masked3, t_ptrace_signal_wait.h 1.5 of
// 2021/03/19, expects exactly that).
var FixBlockedSigcont = Feature{
	Name:   "a blocked SIGCONT raised by a traced process is not reported to the tracer",
	Since:  rev10_0,
	Source: "tests/lib/libc/sys/t_ptrace_signal_wait.h 1.5 (2021/03/19) traceme_raisesignal_masked3 expects it; 8.99.25 reports the signal (measured); the kernel change is unverified",
	Before: "the tracer sees a SIGCONT stop (SI_LWP) for the blocked signal",
}

// FixPassedExitSignal: the exit signal (not SIGCHLD) of a traced child,
// reported to the tracer as the parent's signal stop and passed on with
// PT_CONTINUE, reaches the parent's handler.
var FixPassedExitSignal = Feature{
	Name:   "a clone child's exit signal that the tracer passes on with PT_CONTINUE reaches the parent",
	Since:  rev10_0,
	Source: "measured on 8.99.25 in t_clone:clone_random_stress, 2 of 4 runs (about 1 draw in 400): its handler saw none within 5 s (in the one run whose log shows it, the SIGUSR1 stop was reported twice, both passed); the revision that fixed it (if any) is unverified, so every kernel before 10.0 is treated as having the race",
	Before: "in some runs the passed exit signal never reaches the parent (once seen reported twice; a race)",
}

// FixKillAfterLwpResume: PT_KILL kills a process stopped by an LWP that
// the tracer had resumed alone (PT_CONTINUE/PT_SYSCALL with data -lid,
// PT_STEP with data lid).
var FixKillAfterLwpResume = Feature{
	Name:   "PT_KILL kills a process whose stop came from an LWP resumed alone",
	Since:  rev10_0,
	Source: "measured on 8.99.25: the SIGKILL left in p_xsig is taken by none of the LWPs; the revision that fixed it is unverified, so every kernel before 10.0 is treated as having the bug",
	Before: "PT_KILL succeeds and, in some runs, the process runs on and survives SIGKILL too (measured on 8.99.25: a race)",
}

// FeatureXState: PT_GETXSTATE/PT_SETXSTATE, the x86 XSAVE state of an LWP
// (struct xstate with xs_rfbm and xs_xstate_bv) through a struct iovec.
var FeatureXState = Feature{
	Name:   "PT_GETXSTATE/PT_SETXSTATE (x86 requests 41/42 on amd64, 43/44 on i386)",
	Since:  rev10_0,
	Source: fmt.Sprintf("sys/arch/amd64/include/ptrace.h"+between, "the 8.99.25 kernel of 2018-10-28 (PT_FIRSTMACH+9 is not a request there)", "1.22 (2020/05/30)"),
	Before: "EINVAL: no such request; the XSAVE state is not reachable through ptrace (PT_GETFPREGS gives the FXSAVE part)",
}

// FixContinueSignalDelivered: the signal a tracer gives PT_CONTINUE at the
// stop for a signal an LWP sent itself (_lwp_kill, raise(3): SI_LWP) is
// delivered to the tracee (its handler runs, its default action is taken,
// or it stays pending when blocked), as NetBSD's own traceme_sendsignal_*
// (t_ptrace_signal_wait.h 1.5) expect.
var FixContinueSignalDelivered = Feature{
	Name:   "the signal given PT_CONTINUE at the stop for a thread-directed signal (SI_LWP) is delivered, not reported to the tracer again",
	Since:  rev10_0,
	Source: "measured on 8.99.25 (t_siginfo:traceme_sendsignal_*, 2026-12-01: every case of 2 runs, handled, blocked, ignored or SIG_DFL; at the stop for a signal another process sent, sendsignal_from_process_* delivered it); the revision that fixed it is unverified, so every kernel before 10.0 is treated as having the bug",
	Before: "the tracee stops again for the given signal (SI_LWP), and only a second PT_CONTINUE with it delivers it",
}

// FixSigkillAtLwpSignalStop: kill(2) or killpg(3) with SIGKILL ends a
// traced process that is stopped for a signal an LWP sent itself
// (_lwp_kill, raise(3): SI_LWP).
var FixSigkillAtLwpSignalStop = Feature{
	Name:   "SIGKILL from kill(2) ends a traced process stopped for a thread-directed signal (SI_LWP)",
	Since:  rev10_0,
	Source: "measured on 8.99.25 (t_kill:kill2, kill3 and a diagnostic, 2026-12-01: 5 of 5 runs; a process-directed or event stop was killed): the revision that fixed it is unverified, so every kernel before 10.0 is treated as having the bug",
	Before: "the process stays stopped (sleeping in lwpwait, traced) and no report comes; PT_KILL at that stop killed it in 1 of 3 runs (a race)",
}

// FixKillAtExecStop: PT_KILL at the TRAP_EXEC stop kills the process.
var FixKillAtExecStop = Feature{
	Name:   "PT_KILL at the exec (TRAP_EXEC) stop kills the process",
	Since:  rev10_0,
	Source: "measured on 8.99.25 (t_kill:kill_at_exec, 2 of 2 runs, 2026-12-01; kill(SIGKILL) at the same stop killed it): the revision that fixed it is unverified, so every kernel before 10.0 is treated as having the bug",
	Before: "PT_KILL succeeds and the new image runs on to its exit",
}

// FixKillStoppedAfterRefusedAttach: SIGKILL ends a traced process held
// at a stop (its own thread-directed SIGSTOP) after another process's
// PT_ATTACH to it was refused with EBUSY.
var FixKillStoppedAfterRefusedAttach = Feature{
	Name:   "SIGKILL ends a stopped tracee after another process's refused PT_ATTACH (EBUSY)",
	Since:  rev10_0,
	Source: "measured on 8.99.25 (t_topology, 2026-12-01): 2 of 2 runs, the process left sleeping in lwpwait (exit1 waiting for its other LWPs) until a second SIGKILL; not tried without the refused attach, and the revision that fixed it (if any) is unverified, so every kernel before 10.0 is treated as having it",
	Before: "the SIGKILLed process does not finish exiting: it sleeps in lwpwait, traced, until a second SIGKILL",
}

// requestFeatures gives each request number that is newer than the oldest
// kernel the suite knows of the feature that gave it its meaning.
var requestFeatures = map[int]Feature{
	PT_RESUME: FeatureResumeSuspend21, PT_SUSPEND: FeatureResumeSuspend21,
	PT_STOP:      FeatureStop,
	PT_LWPSTATUS: FeatureLwpStatus, PT_LWPNEXT: FeatureLwpStatus,
	PT_SET_SIGPASS: FeatureSigPass, PT_GET_SIGPASS: FeatureSigPass,
}

// RequestMissing says why request req must not be sent to a kernel of
// revision rev (its number means something else there, or nothing), or ""
// when it may be.
func RequestMissing(req int, rev uint32) string {
	if f, ok := requestFeatures[req]; ok {
		return f.Missing(rev)
	}
	return ""
}

// Entry is one feature or fix of this file by its identifier.
type Entry struct {
	Ident   string // FeatureX or FixX
	Feature Feature
}

// Fix reports whether the entry is a bug fix (FixX) rather than a feature.
func (e Entry) Fix() bool { return strings.HasPrefix(e.Ident, "Fix") }

// Table lists every feature and fix of this file, for docs/SEMANTICS.md
// (TestTableListsEveryFeature holds it against the file's declarations).
var Table = []Entry{
	{"FeatureResumeSuspend21", FeatureResumeSuspend21},
	{"FeatureStop", FeatureStop},
	{"FeatureLwpStatus", FeatureLwpStatus},
	{"FeatureSigPass", FeatureSigPass},
	{"FeatureSpawnEvent", FeatureSpawnEvent},
	{"FeatureSyscallSiginfo", FeatureSyscallSiginfo},
	{"FeatureForkeeReport", FeatureForkeeReport},
	{"FeatureCrashStopKeepsMask", FeatureCrashStopKeepsMask},
	{"FixSetSiginfoLwp", FixSetSiginfoLwp},
	{"FixKillAtEventStop", FixKillAtEventStop},
	{"FixVforkDoneStop", FixVforkDoneStop},
	{"FixLwpEventStops", FixLwpEventStops},
	{"FixVforkChildCrash", FixVforkChildCrash},
	{"FixBlockedSigcont", FixBlockedSigcont},
	{"FixKillAfterLwpResume", FixKillAfterLwpResume},
	{"FixPassedExitSignal", FixPassedExitSignal},
	{"FeatureXState", FeatureXState},
	{"FixContinueSignalDelivered", FixContinueSignalDelivered},
	{"FixSigkillAtLwpSignalStop", FixSigkillAtLwpSignalStop},
	{"FixKillAtExecStop", FixKillAtExecStop},
	{"FixKillStoppedAfterRefusedAttach", FixKillStoppedAfterRefusedAttach},
	{"FixKillArmedWatchpoint", FixKillArmedWatchpoint},
	{"FixSyscallEmuLwps", FixSyscallEmuLwps},
	{"FixExitWithStoppedLwps", FixExitWithStoppedLwps},
	{"FixSignalSiginfoAfterSyscallStop", FixSignalSiginfoAfterSyscallStop},
}

// The NetBSD revision table as docs/SEMANTICS.md rows: Linux has no
// revisions the suite tells apart (tracer.Lacks never reports a Linux
// feature), so its column says so.
var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	for _, e := range Table {
		f := e.Feature
		cases := "cases that need it skip naming it (tracer.Needs); an expect.Revised expectation takes its older value"
		linux := "not gated: Linux's rule is written down per case, with no revision"
		if e.Fix() {
			cases = "cases that check it are expected failures naming it (expect.KnownBugs), or run only with racy=true where the bug is a race (expect.RaceBefore)"
			linux = "not gated: Linux has no such bug written down"
		}
		rows = append(rows, semantics.Row{
			Cases: cases, Topic: f.Name,
			NetBSD: fmt.Sprintf("from NetBSD %s (kern.osrevision %d; %s); before: %s", OSRevisionString(f.Since), f.Since, f.Source, f.Before),
			Linux:  linux, Data: e.Ident,
		})
	}
	return rows
})

// FixKillArmedWatchpoint: PT_KILL kills a tracee stopped with a hardware
// watchpoint armed by PT_SETDBREGS (DR0 and an enable in DR7).
var FixKillArmedWatchpoint = Feature{
	Name:   "PT_KILL kills a tracee stopped with a watchpoint armed by PT_SETDBREGS",
	Since:  rev10_0,
	Source: "measured on 8.99.25 under qemu (t_step:dbregs_kill_armed; every case of the first run whose probe killed an armed tracee): the revision that fixed it (if any) is unverified, so every kernel before 10.0 is treated as having the bug",
	Before: "PT_KILL succeeds but the tracee runs on to its next stop (a SIGSTOP it raises) and outlives the SIGKILL; it dies with its tracer (orphaned traced process)",
}

// FixSyscallEmuLwps: PT_SYSCALLEMU at an LWP's syscall entry stop skips
// that call in a process of several LWPs (every Go tracee) too, as NetBSD's
// syscallemu1 checks it in a process of one.
var FixSyscallEmuLwps = Feature{
	Name:   "PT_SYSCALLEMU skips the call in a process of several LWPs",
	Since:  rev10_0,
	Source: "measured on 8.99.25 under qemu, 1 of 1 runs (t_step:syscallemu1): the emulated exit(100) ran; PSL_SYSCALLEMU is a process flag (p_slflag) while the other LWPs run on under PT_SYSCALL too; the revision that fixed it (if any) and whether it is a race are unverified, so every kernel before 10.0 is treated as having it",
	Before: "the call the tracer asked to skip runs: exit(100) ends the tracee, which then hangs in lwpwait with its other LWPs stopped at their syscall stops",
}

// FixExitWithStoppedLwps: a traced process that was stopped and continued
// finishes its exit. exit1() (and a core dump) waits in lwpwait for every
// other LWP; on 8.99.25 some LWPs stayed stopped (LSSTOP) after the
// tracer resumed the process, so the exit never finished and no report
// came. The harness recognizes the state (P_WEXIT or an LWP in lwpwait,
// and an LWP in LSSTOP) when a wait times out.
var FixExitWithStoppedLwps = Feature{
	Name:   "a traced process continued from a stop finishes its exit: no LWP of it stays stopped",
	Since:  rev10_0,
	Source: "measured on 8.99.25 under qemu (2026-12-01): after PT_ATTACH's SIGSTOP stop and PT_CONTINUE, a race (t_fork:unrelated_tracer_posix_spawn8 in CI and in 1 of 8 runs of t_fork under load, unrelated_tracer_fork1 in 1 of 8 runs of its 40 attach cases); a Go tracee syscall-stepped by picotrace to its exit or to its SIGSEGV, every run (t_picotrace:fixed_scenario*, crash, 3 of 3); the revision that fixed it is unverified, so every kernel before 10.0 is treated as having it",
	Before: "the process sleeps in lwpwait (P_WEXIT set, or dumping core) with other LWPs stopped, and no report comes",
}

// FixSignalSiginfoAfterSyscallStop: PT_GET_SIGINFO at the stop for a
// signal an LWP raised under PT_SYSCALL, right after the raising call's
// exit stop (TRAP_SCX), describes the signal, not that trap.
var FixSignalSiginfoAfterSyscallStop = Feature{
	Name:   "the stop for a signal raised under PT_SYSCALL carries the signal's siginfo, not the syscall exit trap's",
	Since:  rev10_0,
	Source: "measured on 8.99.25 under qemu (2026-12-01, picotrace's fixed scenario without -i, then t_siginfo:syscall_traced_raise): the revision that fixed it is unverified, so every kernel before 10.0 is treated as having it",
	Before: "the SIGUSR1 stop's siginfo is the syscall exit stop's: si_signo SIGTRAP, si_code TRAP_SCX (measured 4 of 4 runs)",
}
