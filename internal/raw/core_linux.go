package raw

import (
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// corePattern is /proc/sys/kernel/core_pattern (fs/coredump.c core_pattern).
func corePattern() (string, error) {
	b, err := os.ReadFile("/proc/sys/kernel/core_pattern")
	return strings.TrimRight(string(b), "\n"), err
}

// keepCoreOut makes the process not dumpable: vfs_coredump then makes no
// dump whatever core_pattern says (coredump_skip).
func keepCoreOut() error { return unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0) }

func dumpable() (int, bool) {
	d, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	if err != nil {
		return -1, false
	}
	return d, false
}
