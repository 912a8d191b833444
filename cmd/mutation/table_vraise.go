package main

// The vfork-raise rows (tests/siginfo traceme_vfork_raise_*): what the
// Linux rule asserts of a traced vforked child that raises a signal.
func init() {
	table = append(table,
		r("vfork-raise-lost", "the signal a vforked child sends itself discarded: it is never seen stopped",
			"tests/siginfo", "traceme_vfork_raise_hup", `raised SIGHUP: want stopped \(the watcher kills it\), got never seen stopped, exited 5`),
		r("vfork-raise-lost", "SIGKILL a vforked child sends itself discarded",
			"tests/siginfo", "traceme_vfork_raise_kill", `raised SIGKILL: want terminated by the signal, got exited 5`),
		r("vfork-traceme-ignored", "a traced vforked child given the default action (terminated) instead of a stop for its tracer",
			"tests/siginfo", "traceme_vfork_raise_segv", `raised SIGSEGV: want stopped \(the watcher kills it\), got never seen stopped, terminated by SIGSEGV`),
		r("vfork-traceme-ignored", "a traced vforked child given the default action (ignored) instead of a stop for its tracer",
			"tests/siginfo", "traceme_vfork_raise_cont", `raised SIGCONT: want stopped \(the watcher kills it\), got never seen stopped, exited 5`),
	)
}
