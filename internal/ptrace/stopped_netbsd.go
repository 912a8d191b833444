package ptrace

import "ptracesuite/internal/nbabi"

// isStopped: kinfo_proc2's p_stat is LSSTOP, traced or not (NetBSD's
// await_stopped_child).
func isStopped(pid int) bool {
	kp, err := kinfoProc(pid)
	return err == nil && kp.Stat == nbabi.LSSTOP
}
