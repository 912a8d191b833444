package raw

import "golang.org/x/sys/unix"

// corePattern is the process's core name (sysctl proc.curproc.corename,
// kern.defcorename unless changed; "%n.core" by default), which coredump()
// expands relative to the working directory unless it is absolute.
func corePattern() (string, error) { return unix.Sysctl("proc.curproc.corename") }

// keepCoreOut: RLIMIT_CORE 0, which PrepareCore has set, is enough:
// coredump() refuses any dump larger than the limit.
func keepCoreOut() error { return nil }

func dumpable() (int, bool) { return -1, unix.Issetugid() }
