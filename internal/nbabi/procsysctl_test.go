package nbabi

import "testing"

// TestProcSysctl pins the CTL_PROC numbers the suite sends: a wrong one
// would read another node and silently decide that text is writable.
func TestProcSysctl(t *testing.T) {
	got := map[string]int{"CTL_PROC": CTL_PROC, "PROC_PID_PAXFLAGS": PROC_PID_PAXFLAGS,
		"ASLR": CTL_PROC_PAXFLAGS_ASLR, "MPROTECT": CTL_PROC_PAXFLAGS_MPROTECT, "GUARD": CTL_PROC_PAXFLAGS_GUARD}
	want := map[string]int{"CTL_PROC": 10, "PROC_PID_PAXFLAGS": 6, "ASLR": 1, "MPROTECT": 2, "GUARD": 4}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d (sys/sys/sysctl.h)", k, got[k], v)
		}
	}
}
