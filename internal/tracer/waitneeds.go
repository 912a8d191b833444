package tracer

import "fmt"

// waitNeeds says which cases need a pid or a status of the wait flavour,
// by ATF ident. NetBSD's rule is where each case is registered in
// NetBSD-current's tests/lib/libc/sys/t_ptrace_*_wait.h:
// ATF_TP_ADD_TC_HAVE_PID (only the programs whose flavour has
// TWAIT_HAVE_PID: waitpid, waitid, wait4, wait6) or
// ATF_TP_ADD_TC_HAVE_STATUS (all but waitid). A case NetBSD's suite lacks
// follows the same rule: it needs a pid when it waits for one tracee while
// another (a traced forkee, a process it attached to that is not its
// child) may report too. Under a flavour without it the case skips
// (skipUnlessFlavourServes) where NetBSD's program does not list it.
var waitNeeds = map[string]WaitNeed{}

// WaitNeeds returns what the case ident needs of the wait flavour.
func WaitNeeds(ident string) WaitNeed { return waitNeeds[ident] }

func needs(n WaitNeed, idents ...string) {
	for _, id := range idents {
		waitNeeds[id] |= n
	}
}

// forkeeTraced: NetBSD's fork1..16 numbering (expect.MaskN: bit 0 of N-1
// is FORK, bit 1 VFORK): fork(2), vfork(2) and clone(2) under FORK or
// VFORK are HAVE_PID (t_ptrace_fork_wait.h fork2-4, 6-8, 10-12, 14-16;
// t_ptrace_clone_wait.h clone2-4, 6-8), whichever call the bit matches.
func forkeeTraced(n int) bool { return (n-1)&3 != 0 }

func init() {
	for n := 1; n <= 16; n++ {
		num := func(prefix string) string { return fmt.Sprintf("%s%d", prefix, n) }
		if forkeeTraced(n) {
			// t_ptrace_fork_wait.h; vfork_novm is this suite's vfork
			// without a shared address space (Linux CLONE_VFORK).
			needs(NeedPid, num("fork"), num("vfork"), num("vfork_novm"))
		}
		// posix_spawn9..16: SPAWN set, the spawned child is traced.
		if n >= 9 {
			needs(NeedPid, num("posix_spawn"))
		}
		// Every unrelated_tracer_* case (t_ptrace_fork_wait.h): the tracer
		// attached to a process that is not its child.
		needs(NeedPid, num("unrelated_tracer_fork"), num("unrelated_tracer_vfork"), num("unrelated_tracer_posix_spawn"))
		if n <= 8 && forkeeTraced(n) {
			// t_ptrace_clone_wait.h clone*, clone_vm*, clone_fs*,
			// clone_files*, clone_vfork*; clone_sighand* (commented out
			// there, XXX), clone_vm_vfork* and the exit-signal SIGUSR1
			// variants are this suite's, by the same rule.
			for _, f := range []string{"clone", "clone_vm", "clone_fs", "clone_files", "clone_sighand", "clone_vfork", "clone_vm_vfork"} {
				needs(NeedPid, num(f), fmt.Sprintf("%s_sigusr1_%d", f, n))
			}
		}
	}
	// t_ptrace_fork_wait.h: detaching from or killing one side of a fork,
	// and the signal masked or ignored across it; the forkee variants are
	// this suite's.
	needs(NeedPid,
		"fork_detach_forker", "fork_detach_forkee", "fork_kill_forker", "fork_kill_forkee",
		"vfork_detach_vforker", "vfork_detach_vforkerdone", "vfork_kill_vforker", "vfork_kill_vforkerdone",
		"vfork_detach_vforkee", "vfork_kill_vforkee",
		"posix_spawn_detach_spawner", "posix_spawn_kill_spawner",
		"fork_signalmasked", "fork_signalignored", "vfork_signalmasked", "vfork_signalignored",
		"vforkdone_signalmasked", "vforkdone_signalignored",
		"posix_spawn_signalmasked", "posix_spawn_signalignored")
	// t_ptrace_clone_wait.h: clone_*_signal{masked,ignored} and
	// traceme_vfork_clone* (the tracer vforked; its child clones and waits).
	for _, f := range []string{"clone", "clone_vm", "clone_fs", "clone_files", "clone_vfork"} {
		needs(NeedPid, f+"_signalmasked", f+"_signalignored")
	}
	needs(NeedPid, "traceme_vfork_clone", "traceme_vfork_clone_vm", "traceme_vfork_clone_fs",
		"traceme_vfork_clone_files", "traceme_vfork_clone_sighand", "traceme_vfork_clone_vfork")
	// This suite's own cases with a traced forkee beside the tracee.
	needs(NeedPid, "fork_traced_child_exit_keeps_pgrp", "vfork_chain", "vfork_exec",
		"clone_vm_is_fork_not_vfork", "clone_fs_is_fork_not_vfork", "clone_files_is_fork_not_vfork",
		"clone_sighand_is_fork_not_vfork", "clone_exit_signal_sigusr1", "clone_vm_exit_signal_sigusr1",
		"clone_exit_signal_sigchld", "clone_random_stress")
	// t_ptrace_signal_wait.h: unrelated_tracer_sees_*.
	for _, how := range []string{"", "signalmasked_", "signalignored_"} {
		for _, sig := range []string{"trap", "segv", "ill", "fpe", "bus"} {
			needs(NeedPid, "unrelated_tracer_sees_"+how+"crash_"+sig)
		}
	}
	// t_ptrace_topology_wait.h (NetBSD's spelling "terminaton").
	needs(NeedPid, "tracer_sees_terminaton_before_the_parent", "tracer_sysctl_lookup_without_duplicates",
		"unrelated_tracer_sees_terminaton_before_the_parent", "tracer_attach_to_unrelated_stopped_process",
		"tracee_sees_its_original_parent_getppid", "tracee_sees_its_original_parent_sysctl_kinfo_proc2",
		"tracee_sees_its_original_parent_procfs_status")
	// t_ptrace_register_wait.h, _step_wait.h, _kill_wait.h,
	// _bytetransfer_wait.h, _eventmask_wait.h, _exec_wait.h,
	// _siginfo_wait.h, _core_wait.h, _misc_wait.h: none.
	// t_ptrace_lwp_wait.h: attach_lwpinfo0..3 (this suite's lwpinfo0..3
	// are NetBSD's traceme_lwpinfo*, registered for every flavour).
	for n := 0; n <= 3; n++ {
		needs(NeedPid, fmt.Sprintf("attach_lwpinfo%d", n))
	}
	// t_ptrace_threads_wait.h: thread_concurrent_* are HAVE_STATUS.
	needs(NeedStatus, "thread_concurrent_signals", "thread_concurrent_signals_sig_ign", "thread_concurrent_signals_handler")
	// t_ptrace_syscall_wait.h: syscall_signal_on_sce skips without a
	// status ("PR lib/55087").
	needs(NeedStatus, "syscall_signal_on_sce")
}
