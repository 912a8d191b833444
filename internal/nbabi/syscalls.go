package nbabi

// System call numbers the suite uses, the same on every NetBSD machine.
// Source: NetBSD/src sys/kern/syscalls.master 1.239 (2010/11/11) for all
// numbers up to 451; SYS_POSIX_SPAWN (474) also appears in
// golang.org/x/sys/unix zsysnum_netbsd_*.go (generated from a newer
// syscalls.master). SYS_WAIT6 (481) is in neither; it comes from two
// generated NetBSD syscall tables (krytarowski/picotrace's decoder,
// "case 481: /* SYS_wait6 */", and ronin-asm's netbsd/x86_64 table).
//
// x/sys lacks __vfork14, __sigprocmask14 and wait6 (its mksysnum keeps only
// the "", "13", "30" and "50" compat versions).
const (
	SYS_EXIT                 = 1
	SYS_FORK                 = 2 // child: r1 = 0, r2 = 1
	SYS_READ                 = 3
	SYS_WRITE                = 4
	SYS_GETPID               = 20
	SYS_PTRACE               = 26
	SYS_KILL                 = 37
	SYS_GETPPID              = 39
	SYS_EXECVE               = 59
	SYS_VFORK                = 66 // 4.4BSD vfork: no shared address space
	SYS_SETPGID              = 82
	SYS___SYSCTL             = 202
	SYS___VFORK14            = 282 // libc vfork(): shares the address space
	SYS___CLONE              = 287 // __clone(int flags, void *stack)
	SYS___SIGPROCMASK14      = 293 // (how, const sigset_t *, sigset_t *)
	SYS_GETCONTEXT           = 307
	SYS__LWP_CREATE          = 309 // (const ucontext_t *, u_long flags, lwpid_t *)
	SYS__LWP_EXIT            = 310
	SYS__LWP_SELF            = 311
	SYS__LWP_WAIT            = 312 // (lwpid_t wait_for, lwpid_t *departed)
	SYS__LWP_KILL            = 318 // (lwpid_t, int signo)
	SYS__LWP_SETNAME         = 323 // (lwpid_t, const char *)
	SYS__LWP_GETNAME         = 324 // (lwpid_t, char *, size_t)
	SYS___SIGACTION_SIGTRAMP = 340 // (signum, nsa, osa, tramp, vers)
	SYS___WAIT450            = 449 // wait4(pid, status, options, rusage)
	SYS_POSIX_SPAWN          = 474 // (pid_t *, path, file_actions, attrp, argv, envp)
	SYS_WAIT6                = 481 // (idtype_t, id_t, int *status, options, wrusage *, siginfo_t *)
)
