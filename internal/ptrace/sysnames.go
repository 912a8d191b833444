package ptrace

import "fmt"

//go:generate go run ./gensysnames

// SysName is the kernel's name of system call n (ok false: the table,
// zsysnames_*.go, has none).
func SysName(n int) (name string, ok bool) {
	if n < 0 || n >= len(syscallNames) || syscallNames[n] == "" {
		return "", false
	}
	return syscallNames[n], true
}

// SyscallName names a system call number of this kernel for messages:
// "write (1)", or "syscall N" where the table has no name.
func SyscallName(n int) string {
	if s, ok := SysName(n); ok {
		return fmt.Sprintf("%s (%d)", s, n)
	}
	return fmt.Sprintf("syscall %d", n)
}
