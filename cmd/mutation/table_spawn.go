package main

// Rows for the survivors under an unrelated tracer, posix_spawn's signal
// state, the vfork child's exec and the LWP listing after an attach (internal/ptrace
// mutant_spawn_linux.go has the new mutant).
func init() {
	table = append(table,
		r("detach-stopped", "PTRACE_DETACH of the forkee by an unrelated tracer leaves it stopped",
			"tests/fork", "unrelated_tracer_fork_detach_forkee", `no report within 3s .* is stopped \(job control\).* last request PTRACE_DETACH`),
		r("detach-stopped", "PTRACE_DETACH of the spawnee leaves it stopped",
			"tests/fork", "posix_spawn_detach_spawnee", `no report within 3s .* is stopped \(job control\).* last request PTRACE_DETACH`),
		r("wrong-other-pid", "the other pid of a spawn's event wrong, for an unrelated tracer",
			"tests/fork", "unrelated_tracer_posix_spawn3", `kernel reported other pid \d+ at a PTRACE_EVENT_VFORK event of pid \d+`),
		r("drop-vfork-done", "VFORK_DONE dropped, for an unrelated tracer that detaches the vforker there",
			"tests/vfork", "unrelated_tracer_vfork_detach_vforkerdone", `unrelated_tracer_vfork_detach_vforkerdone: parent: want \[Vfork\(other \d+\) VforkDone\(other \d+\)\], got \[Vfork\(other \d+\) Exited\(5\)\]`),
		r("mask-lost", "the ignore set not preserved across posix_spawn's stops",
			"tests/fork", "posix_spawn_signalignored", `at the \S+ stop of pid \d+ the (blocked|ignore) set lost SIG[A-Z0-9]+`),
		r("exec-drops-sigstate", "execve of a vforked PT_TRACE_ME child loses SIG_IGN",
			"tests/siginfo", "traceme_vfork_signalignored_exec", `at the exec stop of the vfork child \d+ the ignore set is 0x0, want 0x[0-9a-f]+ \(execve keeps SIG_IGN\)`),
		r("lwpinfo-drops-lwp", "an LWP missing from the listing after PT_ATTACH",
			"tests/lwp", "attach_lwpinfo3", `did not list LWP \d+`),
	)
}
