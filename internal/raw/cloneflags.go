//go:build linux || netbsd

package raw

// The clone(2) flags the suite uses, for CloneExit and InnerClone. They
// have the same values on Linux (include/uapi/linux/sched.h) and NetBSD
// (sys/sys/sched.h), where __clone maps them to FORK_SHAREVM,
// FORK_SHARECWD, FORK_SHAREFILES, FORK_SHARESIGS and FORK_PPWAIT (and
// refuses CLONE_PTRACE). Written out because x/sys lacks them for
// netbsd/arm.
const (
	CloneVM      = 0x00000100
	CloneFS      = 0x00000200
	CloneFiles   = 0x00000400
	CloneSighand = 0x00000800
	ClonePtrace  = 0x00002000
	CloneVfork   = 0x00004000
)
