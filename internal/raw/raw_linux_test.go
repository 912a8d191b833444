package raw

import (
	"os"

	"golang.org/x/sys/unix"
)

const (
	cloneVM      = unix.CLONE_VM
	cloneFS      = unix.CLONE_FS
	cloneFiles   = unix.CLONE_FILES
	cloneSighand = unix.CLONE_SIGHAND
	cloneVfork   = unix.CLONE_VFORK
)

// threadKillCode is the si_code of a tgkill: SI_TKILL.
const threadKillCode = -6

var osInvalidClones = []invalidClone{
	{"thread-without-sighand", unix.CLONE_THREAD | cloneVM, int(unix.SIGCHLD)},
}

// mainThreadID is the main thread's id: its tid is the pid.
func mainThreadID() int { return os.Getpid() }
