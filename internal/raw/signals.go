//go:build linux || netbsd

package raw

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The signal mask is a property of the thread (Linux rt_sigprocmask, NetBSD
// __sigprocmask14 act on the calling LWP), the disposition one of the
// process. The mask functions must therefore be called from the locked
// thread whose mask they are meant to change.

// Dispositions that are not handler addresses; the same on both kernels.
const (
	sigDfl = 0
	sigIgn = 1
)

// sigWordBits is the width of one word of sigset.Val. Signal n is bit
// (n-1)%sigWordBits of word (n-1)/sigWordBits on both kernels.
const sigWordBits = int(8 * unsafe.Sizeof(sigset{}.Val[0]))

func sigfillset(s *sigset) {
	for i := range s.Val {
		s.Val[i] = 1<<sigWordBits - 1
	}
}

func sigaddset(s *sigset, sig int) {
	s.Val[(sig-1)/sigWordBits] |= 1 << uint((sig-1)%sigWordBits)
}

func sigismember(s *sigset, sig int) bool {
	return s.Val[(sig-1)/sigWordBits]&(1<<uint((sig-1)%sigWordBits)) != 0
}

func validSignal(sig int) error {
	if sig < 1 || sig >= nsig {
		return unix.EINVAL
	}
	return nil
}

func changeMask(how, sig int) error {
	if err := validSignal(sig); err != nil {
		return err
	}
	var set sigset
	sigaddset(&set, sig)
	return sigprocmask(how, &set, nil)
}

// BlockSignal adds sig to the calling thread's signal mask.
func BlockSignal(sig int) error { return changeMask(sigBlock, sig) }

// UnblockSignal removes sig from the calling thread's signal mask.
func UnblockSignal(sig int) error { return changeMask(sigUnblock, sig) }

// Blocked reports whether sig is in the calling thread's signal mask.
func Blocked(sig int) (bool, error) {
	if err := validSignal(sig); err != nil {
		return false, err
	}
	var cur sigset
	if err := sigprocmask(sigBlock, nil, &cur); err != nil {
		return false, err
	}
	return sigismember(&cur, sig), nil
}

func setDisposition(sig int, handler uintptr) error {
	act := sigactiont{handler: handler}
	return sigaction(sig, &act, nil)
}

// IgnoreSignal sets sig's disposition to SIG_IGN with a raw sigaction, behind
// the Go runtime's back.
func IgnoreSignal(sig int) error { return setDisposition(sig, sigIgn) }

// DefaultSignal sets sig's disposition to SIG_DFL with a raw sigaction, so
// that the signal takes its default action (a crash kills the process with
// the signal) instead of running the Go runtime's handler.
func DefaultSignal(sig int) error { return setDisposition(sig, sigDfl) }

// Ignored reports whether sig's disposition is SIG_IGN.
func Ignored(sig int) (bool, error) {
	var cur sigactiont
	if err := sigaction(sig, nil, &cur); err != nil {
		return false, err
	}
	return cur.handler == sigIgn, nil
}
