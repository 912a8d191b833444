//go:build linux || netbsd

package raw

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestVforkCrash: an untraced vfork child that runs off the end of its
// steps dies of the crash's signal, whatever its disposition or mask (a
// fault cannot be blocked or ignored), and the parent gets out of vfork.
func TestVforkCrash(t *testing.T) {
	// No core files in the package directory.
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &lim); err == nil {
		lim.Cur = 0
		unix.Setrlimit(unix.RLIMIT_CORE, &lim)
	}
	for _, name := range VforkCrashes {
		c, _ := CrashByName(name)
		if why := CrashUnsupported(c); why != "" {
			t.Logf("%s: %s", name, why)
			continue
		}
		for _, setup := range []string{"", "_masked", "_ignored"} {
			pid, err := VforkCrash(name, setup, false)
			if err != nil {
				t.Fatalf("VforkCrash(%s%s): %v", name, setup, err)
			}
			st, err := WaitExit(pid)
			ws := unix.WaitStatus(st)
			if err != nil || !ws.Signaled() || ws.Signal() != c.Sig {
				t.Errorf("vfork child crashing with %s%s: status %#x (%v), want killed by %v", name, setup, st, err, c.Sig)
			}
		}
	}
}
