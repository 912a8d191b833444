package ptrace

import (
	"runtime"
	"syscall"
	"testing"
)

func TestCodeName(t *testing.T) {
	type c struct {
		sig  syscall.Signal
		code int
		name string
	}
	common := []c{
		{syscall.SIGSEGV, 1, "SEGV_MAPERR"}, {syscall.SIGSEGV, 2, "SEGV_ACCERR"},
		{syscall.SIGBUS, 2, "BUS_ADRERR"}, {syscall.SIGILL, 2, "ILL_ILLOPN"},
		{syscall.SIGFPE, 1, "FPE_INTDIV"}, {syscall.SIGFPE, 3, "FPE_FLTDIV"},
		{syscall.SIGTRAP, 1, "TRAP_BRKPT"}, {syscall.SIGTRAP, 2, "TRAP_TRACE"},
		{syscall.SIGCHLD, 1, "CLD_EXITED"},
		{syscall.SIGSTOP, 0, "SI_USER"}, {syscall.SIGINT, -1, "SI_QUEUE"},
		// A code the signal does not define, and one no header has.
		{syscall.SIGINT, 1, "code 1"}, {syscall.SIGSEGV, 1000, "code 1000"},
	}
	perOS := map[string][]c{
		"linux": {
			{syscall.SIGSTOP, 0x80, "SI_KERNEL"}, {syscall.SIGUSR1, -6, "SI_TKILL"},
			{syscall.SIGTRAP, 5, "TRAP_UNK"}, {syscall.SIGSYS, 1, "SYS_SECCOMP"},
			{syscall.SIGTRAP, int(syscall.SIGTRAP) | 3<<8, "SIGTRAP|PTRACE_EVENT_CLONE<<8"},
			{syscall.SIGTRAP, int(syscall.SIGTRAP) | 0x80, "SIGTRAP|0x80"},
			{syscall.SIGUSR1, int(syscall.SIGTRAP) | 3<<8, "code 773"},
		},
		"netbsd": {
			{syscall.SIGUSR1, -5, "SI_LWP"}, {syscall.SIGTRAP, 3, "TRAP_EXEC"},
			{syscall.SIGTRAP, 5, "TRAP_LWP"}, {syscall.SIGTRAP, 7, "TRAP_SCE"},
			{syscall.SIGSTOP, 0x80, "code 128"},
		},
	}
	for _, c := range append(common, perOS[runtime.GOOS]...) {
		if got := CodeName(int(c.sig), c.code); got != c.name {
			t.Errorf("CodeName(%v, %d) = %q, want %q", c.sig, c.code, got, c.name)
		}
	}
	// Both kernels' tables are compiled on every OS (docs/SEMANTICS.md).
	for _, k := range Kernels {
		for _, c := range append(common, perOS[k]...) {
			if got := CodeNameOn(k, int(c.sig), c.code); got != c.name {
				t.Errorf("CodeNameOn(%s, %v, %d) = %q, want %q", k, c.sig, c.code, got, c.name)
			}
		}
	}
	ev := Event{Kind: Stopped, Sig: int(syscall.SIGSEGV), Code: 1, Pid: 123}
	if got, want := ev.String(), "Stopped(SIGSEGV, SEGV_MAPERR)@123"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
