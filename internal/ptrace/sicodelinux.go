package ptrace

import (
	"fmt"
	"syscall"
)

// Linux's si_code names, for CodeNameOn("linux", ...). golang.org/x/sys/unix
// has none of them. Source: include/uapi/asm-generic/siginfo.h (Linux 6.1);
// the codes of the ia64-only and sparc-only signals and groups are left out.
// The file is compiled on every OS (docs/SEMANTICS.md names both kernels'
// codes from one build); the signals are this build's syscall.SIG*, the
// numbers the callers' data use.
var linuxCodes = siCodeTable{any: linuxCodesAny, bySignal: linuxCodesBySignal, other: linuxOtherCode}

// linuxCodesAny are the codes of any signal: SI_USER is kill(2) (and the
// SIGSTOP of PTRACE_ATTACH is SI_KERNEL, send_sig_info(SEND_SIG_PRIV)),
// SI_TKILL is tkill(2)/tgkill(2), which raise(3) uses.
var linuxCodesAny = map[int]string{
	0:    "SI_USER",
	0x80: "SI_KERNEL",
	-1:   "SI_QUEUE",
	-2:   "SI_TIMER",
	-3:   "SI_MESGQ",
	-4:   "SI_ASYNCIO",
	-5:   "SI_SIGIO",
	-6:   "SI_TKILL",
	-7:   "SI_DETHREAD",
	-60:  "SI_ASYNCNL",
}

// linuxCodesBySignal are the codes that mean something only for their signal.
var linuxCodesBySignal = map[syscall.Signal]map[int]string{
	syscall.SIGILL: {
		1: "ILL_ILLOPC", 2: "ILL_ILLOPN", 3: "ILL_ILLADR", 4: "ILL_ILLTRP",
		5: "ILL_PRVOPC", 6: "ILL_PRVREG", 7: "ILL_COPROC", 8: "ILL_BADSTK",
		9: "ILL_BADIADDR",
	},
	syscall.SIGFPE: {
		1: "FPE_INTDIV", 2: "FPE_INTOVF", 3: "FPE_FLTDIV", 4: "FPE_FLTOVF",
		5: "FPE_FLTUND", 6: "FPE_FLTRES", 7: "FPE_FLTINV", 8: "FPE_FLTSUB",
		14: "FPE_FLTUNK", 15: "FPE_CONDTRAP",
	},
	syscall.SIGSEGV: {
		1: "SEGV_MAPERR", 2: "SEGV_ACCERR", 3: "SEGV_BNDERR", 4: "SEGV_PKUERR",
		5: "SEGV_ACCADI", 6: "SEGV_ADIDERR", 7: "SEGV_ADIPERR", 8: "SEGV_MTEAERR",
		9: "SEGV_MTESERR",
	},
	syscall.SIGBUS: {
		1: "BUS_ADRALN", 2: "BUS_ADRERR", 3: "BUS_OBJERR", 4: "BUS_MCEERR_AR",
		5: "BUS_MCEERR_AO",
	},
	syscall.SIGTRAP: {
		1: "TRAP_BRKPT", 2: "TRAP_TRACE", 3: "TRAP_BRANCH", 4: "TRAP_HWBKPT",
		5: "TRAP_UNK", 6: "TRAP_PERF",
	},
	syscall.SIGCHLD: {
		1: "CLD_EXITED", 2: "CLD_KILLED", 3: "CLD_DUMPED", 4: "CLD_TRAPPED",
		5: "CLD_STOPPED", 6: "CLD_CONTINUED",
	},
	syscall.SIGIO: { // SIGPOLL
		1: "POLL_IN", 2: "POLL_OUT", 3: "POLL_MSG", 4: "POLL_ERR",
		5: "POLL_PRI", 6: "POLL_HUP",
	},
	syscall.SIGSYS: {1: "SYS_SECCOMP", 2: "SYS_USER_DISPATCH"},
}

// ptraceEventNames name the events of Linux's ptrace event stops, whose
// SIGTRAP carries si_code SIGTRAP|PTRACE_EVENT_foo<<8 (ptrace(2)). The
// numbers are include/uapi/linux/ptrace.h's (checked against
// golang.org/x/sys/unix on Linux by TestPtraceEventNumbers).
var ptraceEventNames = map[int]string{
	1: "PTRACE_EVENT_FORK", 2: "PTRACE_EVENT_VFORK", 3: "PTRACE_EVENT_CLONE", 4: "PTRACE_EVENT_EXEC",
	5: "PTRACE_EVENT_VFORK_DONE", 6: "PTRACE_EVENT_EXIT", 7: "PTRACE_EVENT_SECCOMP", 0x80: "PTRACE_EVENT_STOP",
}

// linuxOtherCode names the codes no table holds: a ptrace event stop's
// SIGTRAP|PTRACE_EVENT_foo<<8 and a syscall stop's SIGTRAP|0x80
// (PTRACE_O_TRACESYSGOOD).
func linuxOtherCode(sig, code int) string {
	if sig != int(syscall.SIGTRAP) {
		return ""
	}
	if code == int(syscall.SIGTRAP)|0x80 {
		return "SIGTRAP|0x80"
	}
	if n, ok := ptraceEventNames[code>>8]; ok && code&0xff == int(syscall.SIGTRAP) {
		return fmt.Sprintf("SIGTRAP|%s<<8", n)
	}
	return ""
}
