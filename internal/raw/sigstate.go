//go:build linux || netbsd

package raw

import "runtime"

// SignalState returns the calling thread's signal mask and the process's
// ignore set as the kernel keeps it (discards: Linux SIG_IGN; NetBSD's
// p_sigignore also has the SIG_DFL signals whose default is to ignore) as
// 64-bit sets, bit n-1 for signal n, the layout of tracer.SigSet: what a scenario reports so that
// the tracer can hold the kernel's view of the stopped process against
// it. Only the first 64 bits are kept, as in tracer.SigSet.
func SignalState() (blocked, ignored uint64, err error) {
	var cur sigset
	if err := sigprocmask(sigBlock, nil, &cur); err != nil {
		return 0, 0, err
	}
	blocked = low64(&cur)
	for sig := 1; sig < nsig && sig <= 64; sig++ {
		var act sigactiont
		if sigaction(sig, nil, &act) == nil && discards(sig, act.handler) {
			ignored |= 1 << uint(sig-1)
		}
	}
	return blocked, ignored, nil
}

// CaughtSignals returns the signals that have a handler (neither SIG_DFL
// nor SIG_IGN), bit n-1 for signal n.
func CaughtSignals() uint64 {
	var caught uint64
	for sig := 1; sig < nsig && sig <= 64; sig++ {
		var act sigactiont
		if sigaction(sig, nil, &act) == nil && act.handler != sigDfl && act.handler != sigIgn {
			caught |= 1 << uint(sig-1)
		}
	}
	return caught
}

// CreatingMask returns the signal mask the calling thread holds while a
// creation primitive of this package (forkChild: fork, vfork, clone)
// makes its child, as the kernel keeps it: every signal blocked, less
// what the kernel never lets a thread block (SIGKILL, SIGSTOP). The
// parent's event stops happen inside that call and the child starts with
// that mask, so it is the blocked set the kernel must show there. It
// blocks every signal and reads the mask back, then restores the mask.
func CreatingMask() (uint64, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var all, old, cur sigset
	sigfillset(&all)
	if err := sigprocmask(sigSetmask, &all, &old); err != nil {
		return 0, err
	}
	err := sigprocmask(sigBlock, nil, &cur)
	if rerr := sigprocmask(sigSetmask, &old, nil); rerr != nil {
		panic("raw: restoring the signal mask: " + rerr.Error())
	}
	if err != nil {
		return 0, err
	}
	return low64(&cur), nil
}

// low64 is the first 64 bits of a mask as the kernel keeps them, bits past
// the last signal included (NetBSD keeps whatever a full mask set there).
func low64(s *sigset) uint64 {
	var m uint64
	for sig := 1; sig <= 64; sig++ {
		if sigismember(s, sig) {
			m |= 1 << uint(sig-1)
		}
	}
	return m
}
