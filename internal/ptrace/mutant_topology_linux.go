//go:build mutation && linux

package ptrace

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// The permission mutants: the kernel's answer to PTRACE_ATTACH and
// PTRACE_TRACEME falsified where the ptrace core hears it (TryAttach,
// TraceMe), in the test process and in every tracee scenario alike (each
// reads $PTRACESUITE_MUTANT). Added from a variable initializer, so that
// mutant_linux.go's init finds them when it checks the name.
var _ = func() bool {
	Mutants["attach-errno-wrong"] = "a refused PTRACE_ATTACH or PTRACE_TRACEME reports another errno (EPERM becomes EBUSY, any other EPERM)"
	Mutants["attach-allowed"] = "a refused PTRACE_ATTACH or PTRACE_TRACEME reports success (nothing is attached)"
	return true
}()

func mutRefusal(err error) error {
	var e syscall.Errno
	if !errors.As(err, &e) {
		return err
	}
	switch mutant {
	case "attach-errno-wrong":
		if e == unix.EPERM {
			return unix.EBUSY
		}
		return unix.EPERM
	case "attach-allowed":
		return nil
	}
	return err
}

func mutAttach(err error) error  { return mutRefusal(err) }
func mutTraceMe(err error) error { return mutRefusal(err) }
