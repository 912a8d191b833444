package main

// The kill and sent-signal rows (tests/kill, tests/siginfo sendsignal).
func init() {
	table = append(table,
		r("kill-not-reported", "a SIGKILLed tracee reported as exiting 0",
			"tests/kill", "kill1", `PTRACE_KILL of pid \d+ stopped at its SIGSTOP: want Killed\(SIGKILL, core false\), got Exited\(0\)`),
		r("kill-not-reported", "a tracee SIGKILLed at an event stop reported as exiting 0",
			"tests/kill", "kill_at_syscall_entry", `PTRACE_KILL of pid \d+ at its syscall_entry stop .*: want \[Killed\(SIGKILL, core false\)\], got \[Exited\(0\)`),
		r("si-user-sender-wrong", "the sender's pid in an SI_USER siginfo wrong",
			"tests/siginfo", "sendsignal_from_process_pass", `PTRACE_GETSIGINFO at the SIGUSR1 stop of pid \d+: si_signo SIGUSR1, si_code SI_USER, si_pid (\d+), .*want SIGUSR1, SI_USER, the sender's pid`),
		r("signal-change-ignored", "the signal given at PTRACE_CONT ignored in favour of the stop's",
			"tests/siginfo", "sendsignal_from_process_change", `PTRACE_CONT with SIGUSR2 at the SIGUSR1 stop: the tracee's handlers saw \[SIGUSR1\], want \[SIGUSR2\]`),
	)
}
