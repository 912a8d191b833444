package ptrace

import "golang.org/x/sys/unix"

const syscallEmuName = "PTRACE_SYSEMU"

// step: Linux traces threads; the thread stepped is lwp (0: pid).
func step(pid, lwp int) error {
	if lwp == 0 {
		lwp = pid
	}
	return ptraceRaw(unix.PTRACE_SINGLESTEP, lwp, 0, 0)
}

func setStepMode(int, int, bool) error { return ErrNoRequest }

// syscallEmu: PTRACE_SYSEMU (include/uapi/linux/ptrace.h 31; x86 only:
// arch_has_... CONFIG_X86 defines it) resumes the thread to its next
// system call entry, which is reported and then skipped.
func syscallEmu(pid int) error { return ptraceRaw(unix.PTRACE_SYSEMU, pid, 0, 0) }
