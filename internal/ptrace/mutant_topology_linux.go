//go:build mutation && linux

package ptrace

import (
	"errors"
	"os"
	"syscall"
	"time"

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
	Mutants["attach-refused"] = "a permitted PTRACE_ATTACH or PTRACE_TRACEME is refused with EPERM (nothing stays attached)"
	Mutants["parent-sees-traced-exit"] = "the real parent's wait4(WNOHANG) reports a traced child's termination (exit 0) while its tracer has not collected it"
	Mutants["ppid-is-tracer"] = "a traced process sees its tracer as its parent (getppid, /proc/self/stat, /proc/self/status)"
	Mutants["proc-listed-twice"] = "the process table lists a traced zombie twice (/proc directory entries)"
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

// mutAttach: under attach-refused the attach the kernel granted is given
// back (its stop awaited, then a detach without a signal) and reported as
// EPERM.
func mutAttach(pid int, err error) error {
	if mutant == "attach-refused" && err == nil {
		release(pid, 2*time.Second)
		return unix.EPERM
	}
	return mutRefusal(err)
}

// mutTraceMe: under attach-refused a granted PTRACE_TRACEME is reported as
// EPERM; the caller stays traced (a process cannot untrace itself).
func mutTraceMe(err error) error {
	if mutant == "attach-refused" && err == nil {
		return unix.EPERM
	}
	return mutRefusal(err)
}

// mutPollEmpty: a wait4(WNOHANG) of pid found nothing. Under
// parent-sees-traced-exit a zombie the kernel withholds (its tracer has
// not collected it) is reported to the caller anyway, as an exit 0.
func mutPollEmpty(pid int) (Event, bool) {
	if mutant == "parent-sees-traced-exit" && pid > 0 && isZombie(pid) {
		return Event{Kind: Exited, Pid: pid, Lwp: pid, Raw: &Raw{Flavour: "wait4(WNOHANG)"}}, true
	}
	return Event{}, false
}

// mutParent: the parent a process sees, under ppid-is-tracer its tracer.
func mutParent(p int) int {
	if mutant == "ppid-is-tracer" {
		if t, _, err := TracerOf(os.Getpid()); err == nil && t != 0 {
			return t
		}
	}
	return p
}

// mutProcEntries: the entries of a process table lookup, under
// proc-listed-twice one more.
func mutProcEntries(n int) int {
	if mutant == "proc-listed-twice" {
		return n + 1
	}
	return n
}
