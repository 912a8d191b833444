package raw

// The calls of a raise step (raiseTrap), from sys/kern/syscalls.master.
const (
	sysGetpid = 20 // getpid: the pid in the first return register
	sysKill   = 37
)
