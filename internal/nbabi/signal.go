package nbabi

import "fmt"

// Signal numbers. Source: NetBSD/src sys/sys/signal.h 1.75.4.2 (netbsd-10).
// They differ from Linux's from SIGBUS on (e.g. SIGSTOP 17, SIGCHLD 20).
const (
	SIGHUP    = 1
	SIGINT    = 2
	SIGQUIT   = 3
	SIGILL    = 4
	SIGTRAP   = 5
	SIGABRT   = 6
	SIGEMT    = 7
	SIGFPE    = 8
	SIGKILL   = 9
	SIGBUS    = 10
	SIGSEGV   = 11
	SIGSYS    = 12
	SIGPIPE   = 13
	SIGALRM   = 14
	SIGTERM   = 15
	SIGURG    = 16
	SIGSTOP   = 17
	SIGTSTP   = 18
	SIGCONT   = 19
	SIGCHLD   = 20
	SIGTTIN   = 21
	SIGTTOU   = 22
	SIGIO     = 23
	SIGXCPU   = 24
	SIGXFSZ   = 25
	SIGVTALRM = 26
	SIGPROF   = 27
	SIGWINCH  = 28
	SIGINFO   = 29
	SIGUSR1   = 30
	SIGUSR2   = 31
	SIGPWR    = 32
	SIGRTMIN  = 33
	SIGRTMAX  = 63

	NSIG = 64 // _NSIG: signals are 1..NSIG-1
)

// sigprocmask(2) "how" values, handler values and signal trampoline
// versions for __sigaction_sigtramp(2). Source: sys/sys/signal.h 1.75.4.2.
const (
	SIG_BLOCK   = 1
	SIG_UNBLOCK = 2
	SIG_SETMASK = 3

	SIG_DFL = 0
	SIG_IGN = 1

	SIGTRAMP_SIGCODE_VERSION = 0 // kernel-provided trampoline (tramp NULL)
	SIGTRAMP_SIGINFO_VERSION = 2 // libc "siginfo" trampoline
)

// Sigset is sigset_t: four 32-bit words, signal n is bit (n-1)&31 of word
// (n-1)>>5 (__sigmask/__sigword). Source: sys/sys/sigtypes.h 1.7. It is also
// ki_sigset_t of kinfo_proc2 and pl_sigpend/pl_sigmask of ptrace_lwpstatus.
type Sigset struct {
	Bits [4]uint32
}

// SigsetMax is the highest signal number a Sigset can hold.
const SigsetMax = 4 * 32

func sigBit(n int) (word int, mask uint32) {
	if n < 1 || n > SigsetMax {
		panic(fmt.Sprintf("nbabi: signal %d outside a sigset_t (1..%d)", n, SigsetMax))
	}
	return (n - 1) >> 5, 1 << uint((n-1)&31)
}

// SigsetOf returns the set holding exactly the given signals.
func SigsetOf(sigs ...int) Sigset {
	var s Sigset
	for _, n := range sigs {
		s.Add(n)
	}
	return s
}

// Add puts signal n (1..128) in the set (__sigaddset).
func (s *Sigset) Add(n int) {
	w, m := sigBit(n)
	s.Bits[w] |= m
}

// Del takes signal n out of the set (__sigdelset).
func (s *Sigset) Del(n int) {
	w, m := sigBit(n)
	s.Bits[w] &^= m
}

// Has reports whether signal n is in the set (__sigismember).
func (s Sigset) Has(n int) bool {
	w, m := sigBit(n)
	return s.Bits[w]&m != 0
}

// Signals lists the members in increasing order.
func (s Sigset) Signals() []int {
	var out []int
	for n := 1; n <= SigsetMax; n++ {
		if s.Has(n) {
			out = append(out, n)
		}
	}
	return out
}
