package nbabi

// si_code values. Source: NetBSD/src sys/sys/siginfo.h 1.34 (2019/09/30).
// Codes are per signal, so the same number recurs across groups.

// SIGTRAP.
const (
	TRAP_BRKPT = 1 // process breakpoint
	TRAP_TRACE = 2 // process trace trap (PT_STEP)
	TRAP_EXEC  = 3 // exec trap
	TRAP_CHLD  = 4 // process child trap
	TRAP_LWP   = 5 // LWP create/exit trap
	TRAP_DBREG = 6 // hardware debug register trap
	TRAP_SCE   = 7 // syscall entry trap
	TRAP_SCX   = 8 // syscall exit trap
)

// SIGILL.
const (
	ILL_ILLOPC = 1
	ILL_ILLOPN = 2
	ILL_ILLADR = 3
	ILL_ILLTRP = 4
	ILL_PRVOPC = 5
	ILL_PRVREG = 6
	ILL_COPROC = 7
	ILL_BADSTK = 8
)

// SIGFPE.
const (
	FPE_INTDIV = 1
	FPE_INTOVF = 2
	FPE_FLTDIV = 3
	FPE_FLTOVF = 4
	FPE_FLTUND = 5
	FPE_FLTRES = 6
	FPE_FLTINV = 7
	FPE_FLTSUB = 8
)

// SIGSEGV and SIGBUS.
const (
	SEGV_MAPERR = 1
	SEGV_ACCERR = 2

	BUS_ADRALN = 1
	BUS_ADRERR = 2
	BUS_OBJERR = 3
)

// SIGCHLD.
const (
	CLD_EXITED    = 1
	CLD_KILLED    = 2
	CLD_DUMPED    = 3
	CLD_TRAPPED   = 4
	CLD_STOPPED   = 5
	CLD_CONTINUED = 6
)

// Codes of any signal. SI_LWP is what raise(3)/_lwp_kill(2) produce;
// SI_USER is kill(2), including the SIGSTOP of PT_ATTACH.
const (
	SI_USER    = 0
	SI_QUEUE   = -1
	SI_TIMER   = -2
	SI_ASYNCIO = -3
	SI_MESGQ   = -4
	SI_LWP     = -5
	SI_NOINFO  = 32767
)
