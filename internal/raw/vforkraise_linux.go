package raw

import "golang.org/x/sys/unix"

// The calls of a raise step (raiseTrap).
const (
	sysGetpid = unix.SYS_GETPID
	sysKill   = unix.SYS_KILL
)
