//go:build linux || netbsd

package raw

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestVforkRaise: an untraced vfork child that raises a signal with the
// default action "terminate" dies of it, one whose default is to ignore it
// (SIGCONT, SIGCHLD) exits with its code, and each stores its own pid
// before it signals itself.
func TestVforkRaise(t *testing.T) {
	for _, tc := range []struct {
		sig    unix.Signal
		killed bool
	}{{unix.SIGTERM, true}, {unix.SIGHUP, true}, {unix.SIGKILL, true}, {unix.SIGCONT, false}, {unix.SIGCHLD, false}} {
		var c RaiseChild
		pid, err := VforkRaise(int(tc.sig), false, 5, &c)
		if err != nil {
			t.Fatalf("VforkRaise(%v): %v", tc.sig, err)
		}
		st, err := WaitExit(pid)
		ws := unix.WaitStatus(st)
		switch {
		case err != nil:
			t.Errorf("vfork child raising %v: wait: %v", tc.sig, err)
		case tc.killed && !(ws.Signaled() && ws.Signal() == tc.sig):
			t.Errorf("vfork child raising %v: status %#x, want killed by it", tc.sig, st)
		case !tc.killed && !(ws.Exited() && ws.ExitStatus() == 5):
			t.Errorf("vfork child raising %v: status %#x, want exit 5", tc.sig, st)
		}
		if c.Pid() != pid {
			t.Errorf("vfork child raising %v stored pid %d, vfork returned %d", tc.sig, c.Pid(), pid)
		}
	}
}
