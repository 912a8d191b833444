package tracer

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/ptrace"
)

// defaultWaitTimeout: a due report comes within milliseconds on Linux; 3 s
// is far beyond any case's longest wait (measured under kyua as root and
// as nobody) and lets a hang fail in seconds.
const defaultWaitTimeout = 3 * time.Second

// Linux: every tracee leads a process group of its own, which the cleanup
// kills at once with the raw children it made.
const ownGroup = true

// safetyNets: Linux's PR_SET_PDEATHSIG and PTRACE_O_EXITKILL kill tracees
// whose tracer died. NetBSD has neither, and there the cleanup (KillAll,
// ReapAll) alone must leave nothing behind; the cleanup test switches the
// nets off to prove that on Linux too.
var safetyNets = ptrace.HasSafetyNets

var subreaper sync.Once

// prepare: orphans of a killed tracee are reparented to the test process
// instead of init, so the cleanup can reap them and prove nothing is left.
func prepare() {
	subreaper.Do(func() { unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) })
}
