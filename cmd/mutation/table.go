package main

import "regexp"

// row: a kernel bug, the case that must catch it, and what its reason must
// name.
type row struct {
	mutant string
	bug    string
	pkg    string // the test package
	ident  string // ATF case ident, or a Go test name (Test…)
	want   *regexp.Regexp
	vars   []string // configuration variables NAME=VALUE of the case (runCase)
}

func r(mutant, bug, pkg, ident, want string) row {
	return row{mutant, bug, pkg, ident, regexp.MustCompile(want), nil}
}

// table: each mutant of internal/ptrace/mutant_linux.go and the case that
// must catch it (found with -survey; many more cases catch most of them).
var table = []row{
	r("clone-vm-as-vfork", "clone(CLONE_VM) reported as a vfork (NetBSD's fork1 `&&` bug)",
		"tests/clone", "clone_vm_is_fork_not_vfork", `want \[Fork\(other \d+\) .*got \[Vfork\(other \d+\)`),
	r("zero-length-moves", "a zero-length transfer reported as a word moved (NetBSD: reported as success instead of EINVAL)",
		"tests/ptio", "zero_length_process_vm_read", `process_vm_readv with length 0: got 8 bytes.*want 0 bytes`),
	r("short-as-full", "a short transfer reported as full",
		"tests/ptio", "cross_unmapped_process_vm_read", `process_vm_readv of 32 bytes, the last 16 unmapped: got 32 bytes.*want 16 bytes`),
	r("auxv-offset-ignored", "the auxv read at an offset served from offset 0",
		"tests/ptio", "bytes_transfer_alignment_piod_read_auxv", `/proc/PID/auxv \(Linux has no PIOD_READ_AUXV\) of 4 bytes at offset 1 of \d+: got 4 bytes [0-9a-f]+ \(error <nil>\), want [0-9a-f]+`),
	r("mem-read-shifted", "a memory read served from the next byte",
		"tests/ptio", "bytes_transfer_process_vm_read_8", `process_vm_readv of the 8-bit magic: want 5a, got [0-9a-f]{2}$`),
	r("mem-write-lost", "a memory write reported as done but not done",
		"tests/ptio", "bytes_transfer_proc_mem_write_8", `the tracee's 8-bit value after pwrite\(/proc/PID/mem\): want a5, got [0-9a-f]{2}$`),
	r("event-mask-ignored", "the event mask ignored: a fork reported that the tracer did not ask for",
		"tests/fork", "fork1", `fork under event mask none breaks the rule .*parent: want \[Exited\(5\)\], got \[Fork\(other \d+\)`),
	r("exit-status-wrong", "the exit status of a traced process wrong",
		"tests/siginfo", "traceme_raisesignal_masked_hup", `raise\(SIGHUP\)_masked under PT_TRACE_ME: want \[Exited\(5\)\], got \[Exited\(6\)`),
	r("signal-code-wrong", "the si_code of a raised signal's stop wrong",
		"tests/siginfo", "traceme_raise_usr1", `raise\(SIGUSR1\) under PT_TRACE_ME: want \[Stopped\(SIGUSR1, SI_TKILL\) Exited\(5\)\], got \[Stopped\(SIGUSR1, SI_DETHREAD\)`),
	r("resume-pc0", "a resume at PC 0 accepted",
		"tests/ptio", "user_va0_disable_pt_continue", `PTRACE_CONT .*stopped with Stopped\(SIGSEGV, SEGV_MAPERR\).* at PC 0x0`),
	r("wrong-other-pid", "the other pid of a fork event wrong",
		"tests/fork", "fork2", `kernel reported other pid \d+ at a PTRACE_EVENT_FORK event of pid \d+`),
	r("drop-lwp-exit", "a thread's exit event dropped",
		"tests/lwp", "trace_thread_lwpcreate_and_exit_2", `want \[[^]]*ExitEvent[^]]*\], got \[Stopped\(SIGSTOP, SI_USER\) Exited`),
	r("drop-vfork-done", "VFORK_DONE dropped",
		"tests/vfork", "vfork5", `parent: want \[VforkDone\(other \d+\) Exited\(5\)\], got \[Exited\(5\)\]`),
	r("drop-syscall-exit-write", "the syscall exit stop of write(2) dropped",
		"tests/siginfo", "syscall_read_ebadf", `PTRACE_SYSCALL: LWP \d+ of pid \d+ stopped at the entry of read \(0\) without the exit stop of its previous call write \(1\)`),
	r("drop-syscall-exit-getpid", "the syscall exit stop of getpid(2) dropped",
		"tests/siginfo", "syscall_getpid", `without the exit stop of its previous call getpid \(39\)`),
	r("dup-fork", "a fork event duplicated",
		"tests/fork", "fork_wait_wait3", `kernel reported the creation of pid \d+ by pid \d+ twice: a second PTRACE_EVENT_FORK stop`),
	r("delay-fork", "a fork event delayed (reported at the forker's next stop)",
		"tests/clone", "clone_fs_is_fork_not_vfork", `PTRACE_EVENT_FORK of pid \d+ reported while pid \d+ is (no longer in the creating system call|not stopped at it).*the report came after it ran on`),
	r("early-vfork-done", "VFORK_DONE before the vforkee leaves",
		"tests/vfork", "vfork7", `PTRACE_EVENT_VFORK_DONE of pid \d+ reported while .*(vforkee \d+ has neither exited nor exec'd|it still waits in vfork for vforkee \d+)`),
	r("wrong-si-code", "a crash stop's si_code wrong",
		"tests/siginfo", "traceme_crash_segv", `must stop the tracee with SIGSEGV, si_code in \[SEGV_MAPERR\]; got Stopped\(SIGSEGV, SEGV_ACCERR\)`),
	r("stale-siginfo", "a signal stop's siginfo left from the syscall exit stop before it",
		"tests/siginfo", "syscall_traced_raise", `PTRACE_GETSIGINFO at the SIGUSR1 stop of pid \d+ after SyscallExit.*: si_signo SIGUSR1, si_code .*; want SIGUSR1, SI_TKILL`),
	r("wrong-si-sysnum", "a syscall entry's number (si_sysnum) wrong",
		"tests/siginfo", "syscall_read_ebadf", `entry stop of read_ebadf \(0\) on LWP \d+: syscall number .*want 0 \(si_sysnum\)`),
	r("wrong-si-args", "a syscall entry's arguments (si_args) wrong",
		"tests/siginfo", "syscall_read_ebadf", `entry stop of read_ebadf \(0\) on LWP \d+: arguments .* \(si_args\)`),
	r("wrong-si-error", "a failed syscall's error (si_error) wrong",
		"tests/siginfo", "syscall_read_ebadf", `exit stop of read_ebadf: error ECHILD \(10\).*want EBADF \(9\)`),
	r("mask-lost", "the blocked and ignored sets not preserved across stops",
		"tests/fork", "fork_signalignored", `at the \S+ stop of pid \d+ the (blocked|ignore) set lost SIG[A-Z0-9]+`),
	r("core-lost", "the core bit of a crash's termination lost",
		"tests/siginfo", "traceme_crash_segv_core", `want Killed\(SIGSEGV, core true\), got Killed\(SIGSEGV, core false\)`),
	r("detach-stopped", "PTRACE_DETACH leaves the process stopped",
		"tests/fork", "fork_detach_forkee", `no report within 3s .* is stopped \(job control\).* last request PTRACE_DETACH`),
	r("event-siginfo-wrong", "an event stop's siginfo wrong",
		"tests/fork", "fork2", `PTRACE_EVENT_FORK stop of pid \d+: siginfo is SIGTRAP with si_code TRAP_UNK, want SIGTRAP with si_code SIGTRAP\|PTRACE_EVENT_FORK<<8`),
	r("cleanup-disabled", "the tracer's cleanup disabled (what NetBSD depends on: no PDEATHSIG, no EXITKILL there)",
		"internal/tracer", "TestCleanupGuarantee/nets_off/pass", `process \d+ was left behind: the tracer's cleanup did not kill and reap it`),
}
