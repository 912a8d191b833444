package raw

import (
	"golang.org/x/sys/unix"
)

// CLONE_* flags from sys/sys/sched.h; x/sys has none for netbsd/arm.
const (
	cloneVM      = 0x100
	cloneFS      = 0x200
	cloneFiles   = 0x400
	cloneSighand = 0x800
	clonePtrace  = 0x2000
	cloneVfork   = 0x4000
)

// threadKillCode is the si_code of an _lwp_kill: SI_LWP (sys/sys/siginfo.h).
const threadKillCode = -5

var osInvalidClones = []invalidClone{
	// sys___clone: CLONE_PTRACE is unsupported, and the exit signal must be
	// below _NSIG.
	{"ptrace", cloneVM | clonePtrace, int(unix.SIGCHLD)},
	{"signal-past-nsig", cloneVM, nsig},
}

// mainThreadID is the main thread's id: a process's first LWP is 1.
func mainThreadID() int { return 1 }
