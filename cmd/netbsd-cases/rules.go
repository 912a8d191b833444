package main

import (
	"regexp"
	"strconv"
	"strings"
)

// The signal each numbered NetBSD case raises or sends
// (t_ptrace_signal_wait.h: the TRACEME_RAISE, _RAISESIGNAL_*, _SENDSIGNAL_*
// and TRACEME_VFORK_RAISE lists); this suite names its cases by signal.
var (
	raiseSigs   = strings.Fields("kill stop abrt hup cont trap bus ill fpe segv")
	handleSigs  = strings.Fields("abrt hup cont trap bus ill fpe segv")
	vforkRaised = strings.Fields("kill stop tstp ttin ttou abrt hup cont trap bus ill fpe segv")
)

// ren: the cases the expression matches are the templates' ($1, ${name}
// of the expression).
func ren(file, expr, how string, templates ...string) rule {
	re := regexp.MustCompile("^(?:" + expr + ")$")
	return rule{file: file, re: re, how: how, to: func(name string, m []int) []string {
		var out []string
		for _, t := range templates {
			out = append(out, string(re.ExpandString(nil, t, name, m)))
		}
		return out
	}}
}

// bySig: the expression's group n numbers a signal of sigs (from 1); the
// template's {sig} is its name.
func bySig(file, expr string, sigs []string, template string) rule {
	r := ren(file, expr, "", template)
	to := r.to
	r.how = "the same case, named by its signal"
	r.to = func(name string, m []int) []string {
		n, _ := strconv.Atoi(string(r.re.ExpandString(nil, "${n}", name, m)))
		if n < 1 || n > len(sigs) {
			return []string{"(no signal " + strconv.Itoa(n) + " in the list)"}
		}
		out := to(name, m)
		for i := range out {
			out[i] = strings.ReplaceAll(out[i], "{sig}", sigs[n-1])
		}
		return out
	}
	return r
}

// none: the cases the expression matches have no counterpart, for why.
func none(file, expr, why string) rule {
	return rule{file: file, re: regexp.MustCompile("^(?:" + expr + ")$"), none: why}
}

const (
	signalH   = "t_ptrace_signal_wait.h"
	bytesH    = "t_ptrace_bytetransfer_wait.h"
	threadsH  = "t_ptrace_threads_wait.h"
	lwpH      = "t_ptrace_lwp_wait.h"
	i386Only  = "i386 only (NetBSD/i386's struct reg): t_regs has no i386 register-loading assembly yet, so on NetBSD/386 its cases compile and skip saying so (the i386 struct reg layout is tested on Linux, internal/nbabi)"
	gpSubset  = "the loaded registers are those the stop leaves alone, rbx, rbp, r8-r10 and r12-r15 (the tracee stops itself with a system call, which uses rax, rcx, rdx, rsi, rdi and r11; NetBSD's case stops at an int3 and loads those too)"
	setpgidNo = "NetBSD always skips it (\"kernel panic (pg_jobc going negative)\"); the pg_jobc bug behind that panic is t_fork:fork_traced_child_exit_keeps_pgrp, an expected failure on NetBSD"
)

// rules, first match wins; a NetBSD case no rule matches is answered by
// the case of the same name (main.go answer).
var rules = []rule{
	none("t_ptrace_wait.c", "dummy", "not a test: registered only in a build with the tests disabled (!ENABLE_TESTS)"),
	none("t_ptrace_sigchld.c", "traceme_raise1", "NetBSD skips it unconditionally (\"XXX: zombie is not collected before tracer's death\"): a tracer that dies before collecting its raised tracee; not built here"),
	ren("t_ptrace_kill.c", "pt_kill", "a spawned tracee, not one PT_ATTACHed: PT_STOP of the running tracee stops it with SIGSTOP, then PT_KILL ends it", "t_lwp:pt_stop"),

	// Registers (t_ptrace_register_wait.h, _amd64_, _i386_, _x86_).
	ren("", "x86_64_regs1|x86_gpregs64_read|x86_gpregs64_r8_read", gpSubset+": one case reads them all at their struct reg offsets", "t_regs:access_regs1"),
	ren("", "x86_gpregs64_write|x86_gpregs64_r8_write", gpSubset+": one case writes them all, and the resumed LWP holds them", "t_regs:access_regs6"),
	ren("", "x86_gpregs64_r8_core", gpSubset+": x86_gpregs64_core finds them all in the core", "t_regs:x86_gpregs64_core"),
	ren("", "x86_fpregs_xmm_read", "the same check (xmm0..15 as loaded) under NetBSD's MI name", "t_regs:access_fpregs1"),
	ren("", "x86_fpregs_xmm_write", "the same check under NetBSD's MI name", "t_regs:access_fpregs2"),
	none("", "x86_gpregs32_.*|i386_regs.*", i386Only),

	// SYSCALL.
	ren("t_ptrace_syscall_wait.h", "syscall", "PT_SYSCALL over getpid: TRAP_SCE then TRAP_SCX, and si_sysnum and si_retval, which NetBSD's case does not check", "t_siginfo:syscall_getpid"),

	// BYTETRANSFER: this suite names a transfer method, then a direction.
	ren(bytesH, `bytes_transfer_piod_(?P<dir>read|write)_(?P<sp>d|i)_(?P<n>8|16|32|64)`, "the same case, named method (piod_d, piod_i) before direction", "t_ptio:bytes_transfer_piod_${sp}_${dir}_${n}"),
	ren(bytesH, `bytes_transfer_piod_(?P<dir>read|write)_(?P<sp>d|i)_(?:8|16|32|64)_text`, "one case for NetBSD's four sizes: one transfer of the method's chunk on the tracee's code", "t_ptio:bytes_transfer_piod_${sp}_${dir}_text"),
	ren(bytesH, `bytes_transfer_(?P<dir>read|write)_(?P<sp>d|i)`, "the same case, PT_READ_*/PT_WRITE_* named pt_d, pt_i", "t_ptio:bytes_transfer_pt_${sp}_${dir}"),
	ren(bytesH, `bytes_transfer_(?P<dir>read|write)_(?P<sp>d|i)_text`, "the same case, PT_READ_*/PT_WRITE_* named pt_d, pt_i", "t_ptio:bytes_transfer_pt_${sp}_${dir}_text"),
	ren(bytesH, `bytes_transfer_(?P<kind>alignment|eof)_(?P<m>pt|piod)_(?P<dir>read|write)_(?P<sp>d|i)`, "the same case, named method before direction", "t_ptio:bytes_transfer_${kind}_${m}_${sp}_${dir}"),

	// SIGNAL: numbered by signal there, named by it here.
	bySig(signalH, `traceme_raise(?P<n>\d+)`, raiseSigs, "t_siginfo:traceme_raise_{sig}"),
	bySig(signalH, `traceme_raisesignal_(?P<how>ignored|masked)(?P<n>\d+)`, handleSigs, "t_siginfo:traceme_raisesignal_${how}_{sig}"),
	bySig(signalH, `traceme_sendsignal_(?P<how>handle|masked|ignored)(?P<n>\d+)`, handleSigs, "t_siginfo:traceme_sendsignal_${how}_{sig}"),
	bySig(signalH, `traceme_sendsignal_simple(?P<n>\d+)`, raiseSigs, "t_siginfo:traceme_sendsignal_simple_{sig}"),
	bySig(signalH, `traceme_vfork_raise(?P<n>\d+)`, vforkRaised, "t_siginfo:traceme_vfork_raise_{sig}"),

	// THREADS: NetBSD traces 100 threads; this suite also 1, 2 and 10.
	ren(threadsH, `(?P<c>trace_thread_(?:nolwpevents|lwpexit|lwpcreate|lwpcreate_and_exit)(?:_masked_sigtrap)?)`, "the 100-thread case (NetBSD's TRACE_THREADS_NUM); the same with 1, 2 and 10 threads are cases of their own", "t_lwp:${c}_100"),
	none(threadsH, `thread_concurrent_(?:breakpoints|watchpoints|bp_.*|wp_.*)`, "not built: the breakpoint and watchpoint forms of thread_concurrent (NetBSD skips all of them, PR kern/54960); this suite has the three signal forms, racy"),

	// LWP info: one case per LWP count reads every field.
	ren(lwpH, `traceme_lwpinfo(?P<n>\d)`, "the same listing under the LWP count alone", "t_lwp:lwpinfo${n}"),
	ren(lwpH, `traceme_lwpinfo(?P<n>\d)_lwpstatus(?:_pl_(?:sigmask|name|private))?`, "one case per LWP count checks pl_sigmask, pl_name and pl_private of every LWP together", "t_lwp:lwpstatus${n}"),
	ren(lwpH, `traceme_lwpnext(?P<n>\d)(?:_pl_(?:sigmask|name|private))?`, "one case per LWP count walks the LWPs with PT_LWPNEXT and checks pl_sigmask, pl_name and pl_private together", "t_lwp:lwpstatus${n}"),

	// FORK: the setpgid forms NetBSD registers and always skips.
	none("t_ptrace_fork_wait.h", `(?:unrelated_tracer_)?(?:fork|vfork|posix_spawn)_setpgid`, setpgidNo),
}
