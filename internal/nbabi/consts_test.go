package nbabi

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// constCase is one constant and the value its NetBSD header gives, written
// as there (decimal, 0x hex or negative).
type constCase struct {
	name string
	got  int64
	want string
}

// constTable pins every constant to the value its NetBSD header gives. The
// groups, in order, come from sys/sys/ptrace.h 1.75 (PT_*, PTRACE_*, PIOD_*,
// PL_*), sys/sys/siginfo.h 1.34 (si_code), sys/sys/signal.h 1.75.4.2,
// sys/sys/wait.h 1.38 and sys/sys/idtype.h 1.5.18.2, sys/kern/syscalls.master,
// sys/sys/sysctl.h 1.236 and sys/sys/lwp.h 1.217, and amd64 frame_regs.h 1.3.
var constTable = []constCase{
	{"PT_TRACE_ME", PT_TRACE_ME, "0"},
	{"PT_READ_I", PT_READ_I, "1"},
	{"PT_READ_D", PT_READ_D, "2"},
	{"PT_WRITE_I", PT_WRITE_I, "4"},
	{"PT_WRITE_D", PT_WRITE_D, "5"},
	{"PT_CONTINUE", PT_CONTINUE, "7"},
	{"PT_KILL", PT_KILL, "8"},
	{"PT_ATTACH", PT_ATTACH, "9"},
	{"PT_DETACH", PT_DETACH, "10"},
	{"PT_IO", PT_IO, "11"},
	{"PT_DUMPCORE", PT_DUMPCORE, "12"},
	{"PT_LWPINFO", PT_LWPINFO, "13"},
	{"PT_SYSCALL", PT_SYSCALL, "14"},
	{"PT_SYSCALLEMU", PT_SYSCALLEMU, "15"},
	{"PT_SET_EVENT_MASK", PT_SET_EVENT_MASK, "16"},
	{"PT_GET_EVENT_MASK", PT_GET_EVENT_MASK, "17"},
	{"PT_GET_PROCESS_STATE", PT_GET_PROCESS_STATE, "18"},
	{"PT_SET_SIGINFO", PT_SET_SIGINFO, "19"},
	{"PT_GET_SIGINFO", PT_GET_SIGINFO, "20"},
	{"PT_RESUME", PT_RESUME, "21"},
	{"PT_SUSPEND", PT_SUSPEND, "22"},
	{"PT_STOP", PT_STOP, "23"},
	{"PT_LWPSTATUS", PT_LWPSTATUS, "24"},
	{"PT_LWPNEXT", PT_LWPNEXT, "25"},
	{"PT_SET_SIGPASS", PT_SET_SIGPASS, "26"},
	{"PT_GET_SIGPASS", PT_GET_SIGPASS, "27"},
	{"PT_FIRSTMACH", PT_FIRSTMACH, "32"},
	{"PTRACE_FORK", PTRACE_FORK, "1"},
	{"PTRACE_VFORK", PTRACE_VFORK, "2"},
	{"PTRACE_VFORK_DONE", PTRACE_VFORK_DONE, "4"},
	{"PTRACE_LWP_CREATE", PTRACE_LWP_CREATE, "8"},
	{"PTRACE_LWP_EXIT", PTRACE_LWP_EXIT, "0x10"},
	{"PTRACE_POSIX_SPAWN", PTRACE_POSIX_SPAWN, "0x20"},
	{"PIOD_READ_D", PIOD_READ_D, "1"},
	{"PIOD_WRITE_D", PIOD_WRITE_D, "2"},
	{"PIOD_READ_I", PIOD_READ_I, "3"},
	{"PIOD_WRITE_I", PIOD_WRITE_I, "4"},
	{"PIOD_READ_AUXV", PIOD_READ_AUXV, "5"},
	{"PL_EVENT_NONE", PL_EVENT_NONE, "0"},
	{"PL_EVENT_SIGNAL", PL_EVENT_SIGNAL, "1"},
	{"PL_EVENT_SUSPENDED", PL_EVENT_SUSPENDED, "2"},
	{"PL_LNAMELEN", PL_LNAMELEN, "20"},

	{"TRAP_BRKPT", TRAP_BRKPT, "1"},
	{"TRAP_TRACE", TRAP_TRACE, "2"},
	{"TRAP_EXEC", TRAP_EXEC, "3"},
	{"TRAP_CHLD", TRAP_CHLD, "4"},
	{"TRAP_LWP", TRAP_LWP, "5"},
	{"TRAP_DBREG", TRAP_DBREG, "6"},
	{"TRAP_SCE", TRAP_SCE, "7"},
	{"TRAP_SCX", TRAP_SCX, "8"},
	{"ILL_ILLOPC", ILL_ILLOPC, "1"},
	{"ILL_ILLOPN", ILL_ILLOPN, "2"},
	{"ILL_ILLADR", ILL_ILLADR, "3"},
	{"ILL_ILLTRP", ILL_ILLTRP, "4"},
	{"ILL_PRVOPC", ILL_PRVOPC, "5"},
	{"ILL_PRVREG", ILL_PRVREG, "6"},
	{"ILL_COPROC", ILL_COPROC, "7"},
	{"ILL_BADSTK", ILL_BADSTK, "8"},
	{"FPE_INTDIV", FPE_INTDIV, "1"},
	{"FPE_INTOVF", FPE_INTOVF, "2"},
	{"FPE_FLTDIV", FPE_FLTDIV, "3"},
	{"FPE_FLTOVF", FPE_FLTOVF, "4"},
	{"FPE_FLTUND", FPE_FLTUND, "5"},
	{"FPE_FLTRES", FPE_FLTRES, "6"},
	{"FPE_FLTINV", FPE_FLTINV, "7"},
	{"FPE_FLTSUB", FPE_FLTSUB, "8"},
	{"SEGV_MAPERR", SEGV_MAPERR, "1"},
	{"SEGV_ACCERR", SEGV_ACCERR, "2"},
	{"BUS_ADRALN", BUS_ADRALN, "1"},
	{"BUS_ADRERR", BUS_ADRERR, "2"},
	{"BUS_OBJERR", BUS_OBJERR, "3"},
	{"CLD_EXITED", CLD_EXITED, "1"},
	{"CLD_KILLED", CLD_KILLED, "2"},
	{"CLD_DUMPED", CLD_DUMPED, "3"},
	{"CLD_TRAPPED", CLD_TRAPPED, "4"},
	{"CLD_STOPPED", CLD_STOPPED, "5"},
	{"CLD_CONTINUED", CLD_CONTINUED, "6"},
	{"SI_USER", SI_USER, "0"},
	{"SI_QUEUE", SI_QUEUE, "-1"},
	{"SI_TIMER", SI_TIMER, "-2"},
	{"SI_ASYNCIO", SI_ASYNCIO, "-3"},
	{"SI_MESGQ", SI_MESGQ, "-4"},
	{"SI_LWP", SI_LWP, "-5"},
	{"SI_NOINFO", SI_NOINFO, "32767"},

	{"SIGHUP", SIGHUP, "1"},
	{"SIGINT", SIGINT, "2"},
	{"SIGILL", SIGILL, "4"},
	{"SIGTRAP", SIGTRAP, "5"},
	{"SIGABRT", SIGABRT, "6"},
	{"SIGFPE", SIGFPE, "8"},
	{"SIGKILL", SIGKILL, "9"},
	{"SIGBUS", SIGBUS, "10"},
	{"SIGSEGV", SIGSEGV, "11"},
	{"SIGSYS", SIGSYS, "12"},
	{"SIGPIPE", SIGPIPE, "13"},
	{"SIGALRM", SIGALRM, "14"},
	{"SIGURG", SIGURG, "16"},
	{"SIGSTOP", SIGSTOP, "17"},
	{"SIGTSTP", SIGTSTP, "18"},
	{"SIGCONT", SIGCONT, "19"},
	{"SIGCHLD", SIGCHLD, "20"},
	{"SIGTTIN", SIGTTIN, "21"},
	{"SIGTTOU", SIGTTOU, "22"},
	{"SIGXCPU", SIGXCPU, "24"},
	{"SIGINFO", SIGINFO, "29"},
	{"SIGUSR1", SIGUSR1, "30"},
	{"SIGUSR2", SIGUSR2, "31"},
	{"SIGPWR", SIGPWR, "32"},
	{"SIGRTMIN", SIGRTMIN, "33"},
	{"SIGRTMAX", SIGRTMAX, "63"},
	{"NSIG", NSIG, "64"},
	{"SIG_BLOCK", SIG_BLOCK, "1"},
	{"SIG_UNBLOCK", SIG_UNBLOCK, "2"},
	{"SIG_SETMASK", SIG_SETMASK, "3"},
	{"SIG_DFL", SIG_DFL, "0"},
	{"SIG_IGN", SIG_IGN, "1"},
	{"SIGTRAMP_SIGCODE_VERSION", SIGTRAMP_SIGCODE_VERSION, "0"},
	{"SIGTRAMP_SIGINFO_VERSION", SIGTRAMP_SIGINFO_VERSION, "2"},

	{"WNOHANG", WNOHANG, "1"},
	{"WSTOPPED", WSTOPPED, "2"},
	{"WUNTRACED", WUNTRACED, "2"},
	{"WALTSIG", WALTSIG, "4"},
	{"WALLSIG", WALLSIG, "8"},
	{"WCONTINUED", WCONTINUED, "0x10"},
	{"WEXITED", WEXITED, "0x20"},
	{"WTRAPPED", WTRAPPED, "0x40"},
	{"WNOWAIT", WNOWAIT, "0x10000"},
	{"WNOZOMBIE", WNOZOMBIE, "0x20000"},
	{"WAIT_ANY", WAIT_ANY, "-1"},
	{"WAIT_MYPGRP", WAIT_MYPGRP, "0"},
	{"WCOREFLAG", WCOREFLAG, "0x80"},
	{"WContinuedStatus", WContinuedStatus, "0xffff"},
	{"P_MYID", P_MYID, "-1"},
	{"P_ALL", P_ALL, "0"},
	{"P_PID", P_PID, "1"},
	{"P_LWPID", P_LWPID, "2"},
	{"P_PPID", P_PPID, "3"},
	{"P_PGID", P_PGID, "4"},
	{"P_SID", P_SID, "5"},
	{"P_CID", P_CID, "6"},
	{"P_UID", P_UID, "7"},
	{"P_GID", P_GID, "8"},
	{"P_TASKID", P_TASKID, "9"},
	{"P_PROJID", P_PROJID, "10"},
	{"P_POOLID", P_POOLID, "11"},
	{"P_ZONEID", P_ZONEID, "12"},
	{"P_CTID", P_CTID, "13"},
	{"P_CPUID", P_CPUID, "14"},
	{"P_PSETID", P_PSETID, "15"},

	{"SYS_EXIT", SYS_EXIT, "1"},
	{"SYS_FORK", SYS_FORK, "2"},
	{"SYS_READ", SYS_READ, "3"},
	{"SYS_WRITE", SYS_WRITE, "4"},
	{"SYS_GETPID", SYS_GETPID, "20"},
	{"SYS_PTRACE", SYS_PTRACE, "26"},
	{"SYS_KILL", SYS_KILL, "37"},
	{"SYS_GETPPID", SYS_GETPPID, "39"},
	{"SYS_EXECVE", SYS_EXECVE, "59"},
	{"SYS_VFORK", SYS_VFORK, "66"},
	{"SYS_SETPGID", SYS_SETPGID, "82"},
	{"SYS___SYSCTL", SYS___SYSCTL, "202"},
	{"SYS___VFORK14", SYS___VFORK14, "282"},
	{"SYS___CLONE", SYS___CLONE, "287"},
	{"SYS___SIGPROCMASK14", SYS___SIGPROCMASK14, "293"},
	{"SYS_GETCONTEXT", SYS_GETCONTEXT, "307"},
	{"SYS__LWP_CREATE", SYS__LWP_CREATE, "309"},
	{"SYS__LWP_EXIT", SYS__LWP_EXIT, "310"},
	{"SYS__LWP_SELF", SYS__LWP_SELF, "311"},
	{"SYS__LWP_WAIT", SYS__LWP_WAIT, "312"},
	{"SYS__LWP_KILL", SYS__LWP_KILL, "318"},
	{"SYS__LWP_SETNAME", SYS__LWP_SETNAME, "323"},
	{"SYS__LWP_GETNAME", SYS__LWP_GETNAME, "324"},
	{"SYS___SIGACTION_SIGTRAMP", SYS___SIGACTION_SIGTRAMP, "340"},
	{"SYS___WAIT450", SYS___WAIT450, "449"},
	{"SYS_POSIX_SPAWN", SYS_POSIX_SPAWN, "474"},
	{"SYS_WAIT6", SYS_WAIT6, "481"},

	{"CTL_KERN", CTL_KERN, "1"},
	{"KERN_OSREV", KERN_OSREV, "3"},
	{"KERN_PROC2", KERN_PROC2, "47"},
	{"KERN_LWP", KERN_LWP, "64"},
	{"KERN_PROC_ALL", KERN_PROC_ALL, "0"},
	{"KERN_PROC_PID", KERN_PROC_PID, "1"},
	{"KERN_PROC_ARGS", KERN_PROC_ARGS, "48"},
	{"KERN_PROC_ARGV", KERN_PROC_ARGV, "1"},
	{"KERN_PROC_ENV", KERN_PROC_ENV, "3"},
	{"KERN_PROC_PATHNAME", KERN_PROC_PATHNAME, "5"},
	{"SizeofKinfoProc2", SizeofKinfoProc2, "680"},
	{"P_TRACED", P_TRACED, "0x800"},
	{"P_WAITED", P_WAITED, "0x1000"},
	{"P_WEXIT", P_WEXIT, "0x2000"},
	{"P_EXEC", P_EXEC, "0x4000"},
	{"P_SYSCALL", P_SYSCALL, "0x04000000"},
	{"LSIDL", LSIDL, "1"},
	{"LSRUN", LSRUN, "2"},
	{"LSSLEEP", LSSLEEP, "3"},
	{"LSSTOP", LSSTOP, "4"},
	{"LSZOMB", LSZOMB, "5"},
	{"LSONPROC", LSONPROC, "7"},
	{"LSSUSPENDED", LSSUSPENDED, "8"},

	{"AMD64_REG_RDI", AMD64_REG_RDI, "0"},
	{"AMD64_REG_R9", AMD64_REG_R9, "5"},
	{"AMD64_REG_RBP", AMD64_REG_RBP, "12"},
	{"AMD64_REG_RAX", AMD64_REG_RAX, "14"},
	{"AMD64_REG_TRAPNO", AMD64_REG_TRAPNO, "19"},
	{"AMD64_REG_RIP", AMD64_REG_RIP, "21"},
	{"AMD64_REG_RFLAGS", AMD64_REG_RFLAGS, "23"},
	{"AMD64_REG_RSP", AMD64_REG_RSP, "24"},
	{"AMD64_REG_SS", AMD64_REG_SS, "25"},
	{"AMD64_NGREG", AMD64_NGREG, "26"},
}

func TestConstants(t *testing.T) {
	for _, c := range constTable {
		want, err := strconv.ParseInt(c.want, 0, 64)
		if err != nil || c.got != want {
			t.Errorf("%s = %d, want %s", c.name, c.got, c.want)
		}
	}
}

func TestRequestNames(t *testing.T) {
	for req, name := range map[int]string{
		0: "PT_TRACE_ME", 11: "PT_IO", 21: "PT_RESUME", 23: "PT_STOP", 27: "PT_GET_SIGPASS",
		3: "ptrace request 3", 6: "ptrace request 6", 28: "ptrace request 28",
		33: "ptrace request 33", -1: "ptrace request -1",
	} {
		if got := RequestName(req); got != name {
			t.Errorf("RequestName(%d) = %q, want %q", req, got, name)
		}
	}
}

func TestMDRequests(t *testing.T) {
	wantMD := map[string]MD{
		// amd64 ptrace.h 1.22: PT_FIRSTMACH + 0..10.
		"amd64": {Step: 32, GetRegs: 33, SetRegs: 34, GetFPRegs: 35, SetFPRegs: 36, GetDBRegs: 37,
			SetDBRegs: 38, SetStep: 39, ClearStep: 40, GetXState: 41, SetXState: 42},
		// i386 ptrace.h 1.26: XMMREGS take 37/38, so the rest shift by 2.
		"386": {Step: 32, GetRegs: 33, SetRegs: 34, GetFPRegs: 35, SetFPRegs: 36, GetDBRegs: 39,
			SetDBRegs: 40, SetStep: 41, ClearStep: 42, GetXState: 43, SetXState: 44},
		// aarch64 ptrace.h 1.12: registers first, then the step requests.
		"arm64": {GetRegs: 32, SetRegs: 33, GetFPRegs: 34, SetFPRegs: 35, Step: 36, SetStep: 37, ClearStep: 38},
		// arm ptrace.h 1.17: no PT_STEP/SETSTEP/CLEARSTEP; FP registers at +5/+6.
		"arm": {GetRegs: 33, SetRegs: 34, GetFPRegs: 37, SetFPRegs: 38},
	}
	if d := cmp.Diff(wantMD, MDRequests); d != "" {
		t.Errorf("MDRequests (-want +got):\n%s", d)
	}
}

func TestRequestHistory(t *testing.T) {
	then := map[int]string{21: "PT_SET_SIGMASK", 22: "PT_GET_SIGMASK", 23: "PT_RESUME", 24: "PT_SUSPEND",
		25: "", 26: "", 27: ""}
	if len(RequestHistory) != 7 {
		t.Fatalf("RequestHistory has %d rows, want 21..27", len(RequestHistory))
	}
	for _, r := range RequestHistory {
		if r.Now != RequestName(r.Req) {
			t.Errorf("request %d: history says %q now, RequestName says %q", r.Req, r.Now, RequestName(r.Req))
		}
		if w, ok := then[r.Req]; !ok || r.Then != w {
			t.Errorf("request %d under ptrace.h 1.59: %q, want %q", r.Req, r.Then, w)
		}
	}
}
