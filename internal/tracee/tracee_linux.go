package tracee

import (
	"os"

	"golang.org/x/sys/unix"
)

// dieWithParent makes the kernel SIGKILL this tracee when the thread that
// created it exits (PR_SET_PDEATHSIG), so a tracee whose test binary was
// SIGKILLed (kyua's timeout kills only the test's own process group, and
// tracees lead their own) does not run on. The tracer already sets this for
// the tracees it spawns; this covers processes a launcher starts.
func dieWithParent() {
	ppid := os.Getppid()
	unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0)
	if os.Getppid() != ppid {
		os.Exit(ExitFailed) // the parent died before the prctl took effect
	}
}
