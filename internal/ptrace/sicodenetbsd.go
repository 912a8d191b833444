package ptrace

import (
	"syscall"

	"ptracesuite/internal/nbabi"
)

// NetBSD's si_code names, for CodeNameOn("netbsd", ...), from internal/nbabi
// (sys/sys/siginfo.h). The file is compiled on every OS (docs/SEMANTICS.md
// names both kernels' codes from one build); the signals are this build's
// syscall.SIG*, the numbers the callers' data use. NetBSD has no codes
// outside the tables.
var netbsdCodes = siCodeTable{any: netbsdCodesAny, bySignal: netbsdCodesBySignal}

// netbsdCodesAny are the codes of any signal: SI_USER is kill(2), including the
// SIGSTOP of PT_ATTACH; SI_LWP is _lwp_kill(2), which raise(3) uses.
var netbsdCodesAny = map[int]string{
	nbabi.SI_USER:    "SI_USER",
	nbabi.SI_QUEUE:   "SI_QUEUE",
	nbabi.SI_TIMER:   "SI_TIMER",
	nbabi.SI_ASYNCIO: "SI_ASYNCIO",
	nbabi.SI_MESGQ:   "SI_MESGQ",
	nbabi.SI_LWP:     "SI_LWP",
	nbabi.SI_NOINFO:  "SI_NOINFO",
}

// netbsdCodesBySignal are the codes that mean something only for their signal.
var netbsdCodesBySignal = map[syscall.Signal]map[int]string{
	syscall.SIGTRAP: {
		nbabi.TRAP_BRKPT: "TRAP_BRKPT", nbabi.TRAP_TRACE: "TRAP_TRACE",
		nbabi.TRAP_EXEC: "TRAP_EXEC", nbabi.TRAP_CHLD: "TRAP_CHLD",
		nbabi.TRAP_LWP: "TRAP_LWP", nbabi.TRAP_DBREG: "TRAP_DBREG",
		nbabi.TRAP_SCE: "TRAP_SCE", nbabi.TRAP_SCX: "TRAP_SCX",
	},
	syscall.SIGILL: {
		nbabi.ILL_ILLOPC: "ILL_ILLOPC", nbabi.ILL_ILLOPN: "ILL_ILLOPN",
		nbabi.ILL_ILLADR: "ILL_ILLADR", nbabi.ILL_ILLTRP: "ILL_ILLTRP",
		nbabi.ILL_PRVOPC: "ILL_PRVOPC", nbabi.ILL_PRVREG: "ILL_PRVREG",
		nbabi.ILL_COPROC: "ILL_COPROC", nbabi.ILL_BADSTK: "ILL_BADSTK",
	},
	syscall.SIGFPE: {
		nbabi.FPE_INTDIV: "FPE_INTDIV", nbabi.FPE_INTOVF: "FPE_INTOVF",
		nbabi.FPE_FLTDIV: "FPE_FLTDIV", nbabi.FPE_FLTOVF: "FPE_FLTOVF",
		nbabi.FPE_FLTUND: "FPE_FLTUND", nbabi.FPE_FLTRES: "FPE_FLTRES",
		nbabi.FPE_FLTINV: "FPE_FLTINV", nbabi.FPE_FLTSUB: "FPE_FLTSUB",
	},
	syscall.SIGSEGV: {nbabi.SEGV_MAPERR: "SEGV_MAPERR", nbabi.SEGV_ACCERR: "SEGV_ACCERR"},
	syscall.SIGBUS: {
		nbabi.BUS_ADRALN: "BUS_ADRALN", nbabi.BUS_ADRERR: "BUS_ADRERR",
		nbabi.BUS_OBJERR: "BUS_OBJERR",
	},
	syscall.SIGCHLD: {
		nbabi.CLD_EXITED: "CLD_EXITED", nbabi.CLD_KILLED: "CLD_KILLED",
		nbabi.CLD_DUMPED: "CLD_DUMPED", nbabi.CLD_TRAPPED: "CLD_TRAPPED",
		nbabi.CLD_STOPPED: "CLD_STOPPED", nbabi.CLD_CONTINUED: "CLD_CONTINUED",
	},
}
