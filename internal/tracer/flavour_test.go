package tracer_test

import (
	"testing"

	"ptracesuite/internal/tracer"
)

// A program takes its flavour from its name only as t_<area>_<flavour>.
func TestProgramFlavour(t *testing.T) {
	for argv0, want := range map[string]string{
		"/usr/tests/ptrace/matrix/fork/t_fork_wait6": "wait6",
		"t_vfork_waitpid":   "waitpid",
		"./t_clone_wait":    "wait",
		"t_fork":            "",
		"t_wait":            "", // an area named wait, no flavour
		"t_fork_wait5":      "",
		"fork.test":         "",
		"/tmp/x/t_lwp_wait": "wait",
		"x_fork_wait4":      "",
	} {
		if got := tracer.ProgramFlavour(argv0); got != want {
			t.Errorf("ProgramFlavour(%q) = %q, want %q", argv0, got, want)
		}
	}
}

// NetBSD's registration rules, spot-checked (t_ptrace_fork_wait.h,
// t_ptrace_clone_wait.h, t_ptrace_signal_wait.h, t_ptrace_threads_wait.h).
func TestWaitNeeds(t *testing.T) {
	for ident, want := range map[string]tracer.WaitNeed{
		"fork1": 0, "fork2": tracer.NeedPid, "fork3": tracer.NeedPid, "fork5": 0, "fork9": 0, "fork13": 0, "fork16": tracer.NeedPid,
		"vfork4": tracer.NeedPid, "vfork5": 0,
		"posix_spawn8": 0, "posix_spawn9": tracer.NeedPid, "posix_spawn2": 0,
		"clone1": 0, "clone2": tracer.NeedPid, "clone_vm5": 0, "clone_vfork8": tracer.NeedPid, "clone_sigusr1_3": tracer.NeedPid,
		"unrelated_tracer_fork1": tracer.NeedPid, "fork_kill_forker": tracer.NeedPid,
		"traceme_vfork_fork": 0, "traceme_vfork_clone": tracer.NeedPid,
		"unrelated_tracer_sees_signalmasked_crash_bus": tracer.NeedPid, "traceme_crash_segv": 0,
		"thread_concurrent_signals": tracer.NeedStatus, "syscall_signal_on_sce": tracer.NeedStatus,
		"bytes_transfer_piod_d_read_8": 0,
	} {
		if got := tracer.WaitNeeds(ident); got != want {
			t.Errorf("WaitNeeds(%s) = %v, want %v", ident, got, want)
		}
	}
}
