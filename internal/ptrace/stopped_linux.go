package ptrace

// isStopped: /proc/pid/stat's state is T (a job-control stop) or t (a
// ptrace stop).
func isStopped(pid int) bool {
	st, _, err := procStat(pid)
	return err == nil && (st == 'T' || st == 't')
}
