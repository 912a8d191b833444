package ptrace

import (
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// The generated tables name this kernel's calls by x/sys's numbers.
func TestSysName(t *testing.T) {
	for n, want := range map[int]string{unix.SYS_GETPID: "getpid", unix.SYS_WRITE: "write", unix.SYS_EXECVE: "execve", unix.SYS_KILL: "kill"} {
		if got, ok := SysName(n); !ok || got != want {
			t.Errorf("SysName(%d) = %q, %v; want %q", n, got, ok, want)
		}
	}
	if got := SyscallName(unix.SYS_WRITE); got != "write ("+strconv.Itoa(unix.SYS_WRITE)+")" {
		t.Errorf("SyscallName(SYS_WRITE) = %q", got)
	}
	for _, n := range []int{-1, 1 << 20} {
		if _, ok := SysName(n); ok {
			t.Errorf("SysName(%d) has a name", n)
		}
	}
}
