package raw

import "golang.org/x/sys/unix"

// discards: NetBSD's ignore set (p_sigctx.ps_sigignore, kinfo_proc2
// p_sigignore) is the signals with SIG_IGN and those with SIG_DFL whose
// default action is to ignore them, SIGCONT excepted (sys/kern/kern_sig.c
// sigaction1: SA_IGNORE and not SA_CONT in sigprop).
func discards(sig int, handler uintptr) bool {
	return handler == sigIgn || (handler == sigDfl && defaultIgnored(sig))
}

// defaultIgnored reports whether NetBSD's sigprop gives sig SA_IGNORE
// without SA_CONT (sys/sys/signalvar.h): SIGURG, SIGCHLD, SIGIO, SIGWINCH,
// SIGINFO, SIGPWR.
func defaultIgnored(sig int) bool {
	switch unix.Signal(sig) {
	case unix.SIGURG, unix.SIGCHLD, unix.SIGIO, unix.SIGWINCH, unix.SIGINFO, unix.SIGPWR:
		return true
	}
	return false
}
