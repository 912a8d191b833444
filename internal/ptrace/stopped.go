package ptrace

// IsStopped reports whether pid is stopped, by a stop signal or for its
// tracer: what a watcher that may kill a stopped child checks first.
func IsStopped(pid int) bool { return isStopped(pid) }
