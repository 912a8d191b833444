package siginfo

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/expect"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// scenarioExit is the exit code of every scenario that runs to its end.
const scenarioExit = 5

// sysCall is one system call a scenario makes with arguments the tracer
// recognises it by: magic values no runtime call uses.
type sysCall struct {
	name  string
	trap  uintptr
	args  [6]uintptr
	nargs int
}

// badFD is a descriptor number no scenario has open.
const badFD = 0x7ffff0

var scenarioCalls = []sysCall{
	{"getpid", unix.SYS_GETPID, [6]uintptr{}, 0},
	// read(2) on a descriptor that is not open: EBADF before the buffer
	// is looked at, so the magic buffer address is never touched.
	{"read_ebadf", unix.SYS_READ, [6]uintptr{badFD, 0x5eed0000, 0x1234}, 3},
	// sendto(2): six arguments, all distinct; EBADF for the descriptor.
	{"sendto_ebadf", unix.SYS_SENDTO, [6]uintptr{badFD + 1, 0x5eed1000, 0x2345, 0x40, 0x5eed2000, 0x10}, 6},
}

func callByName(name string) sysCall {
	for _, c := range scenarioCalls {
		if c.name == name {
			return c
		}
	}
	panic("no scenario call " + name)
}

// sceSignal is the signal the tracer delivers at a syscall entry stop
// (NetBSD's syscall_signal_on_sce uses SIGINFO, which Linux lacks).
const sceSignal = syscall.SIGUSR1

func init() {
	// "syscalls": report the LWP, stop at the ready point, make each of
	// scenarioCalls once with raw system calls on the traced thread, and
	// report what each returned.
	tracee.Register("syscalls", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("ppid", os.Getppid())
		c.Ready()
		for _, sc := range scenarioCalls {
			r1, r2, e := unix.RawSyscall6(sc.trap, sc.args[0], sc.args[1], sc.args[2], sc.args[3], sc.args[4], sc.args[5])
			c.Report(sc.name, fmt.Sprintf("%d,%d,%d", r1, r2, int(e)))
		}
		return scenarioExit
	})

	// "sce": catch sceSignal, stop at the ready point, call getpid, and
	// report how many times sceSignal arrived (the tracer may deliver it
	// at the getpid entry stop). A signal due comes within 2 s; once one
	// came, or the tracer says go (it delivered none), a delivery the
	// kernel owes nobody would come within 200 ms: a signal given at the
	// entry stop is pending when getpid returns.
	tracee.Register("sce", func(c *tracee.Ctx) int {
		ch := make(chan os.Signal, 4)
		signal.Notify(ch, sceSignal)
		nothingDue := c.GoSent()
		c.Report("lwp", raw.ThreadID())
		c.Ready()
		unix.RawSyscall(unix.SYS_GETPID, 0, 0, 0)
		n := 0
		timeout := time.After(2 * time.Second)
	wait:
		for {
			select {
			case <-ch:
				n++
				timeout = time.After(200 * time.Millisecond) // a second delivery would come now
			case <-nothingDue:
				nothingDue = nil
				timeout = time.After(200 * time.Millisecond) // an unwanted one would come now
			case <-timeout:
				break wait
			}
		}
		c.Report("handled", n)
		return scenarioExit
	})
}

// setups prepare a signal's state before a raise or a crash: as is, in the
// thread's mask, or ignored.
var setups = []struct {
	name string
	prep func(sig int) error
}{
	{"", func(int) error { return nil }},
	{"_masked", raw.BlockSignal},
	{"_ignored", raw.IgnoreSignal},
}

// raisedSignals are the catchable signals both kernels have.
var raisedSignals = []syscall.Signal{
	syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGILL, syscall.SIGTRAP, syscall.SIGABRT,
	syscall.SIGBUS, syscall.SIGFPE, syscall.SIGUSR1, syscall.SIGSEGV, syscall.SIGUSR2, syscall.SIGPIPE,
	syscall.SIGALRM, syscall.SIGTERM, syscall.SIGCHLD, syscall.SIGCONT, syscall.SIGTSTP, syscall.SIGTTIN,
	syscall.SIGTTOU, syscall.SIGURG, syscall.SIGXCPU, syscall.SIGXFSZ, syscall.SIGVTALRM, syscall.SIGPROF,
	syscall.SIGWINCH, syscall.SIGIO, syscall.SIGSYS,
}

// sigIdent names a signal in case idents, the same on every kernel: x/sys
// calls signal 6 SIGIOT on NetBSD and SIGABRT on Linux, and an ident must
// not change with the build, so the POSIX name wins.
func sigIdent(s syscall.Signal) string {
	if s == syscall.SIGABRT {
		return "abrt"
	}
	return strings.ToLower(strings.TrimPrefix(unix.SignalName(s), "SIG"))
}

func init() {
	// "raise_<sig><setup>": prepare, stop at the ready point, raise the
	// signal on the traced thread, exit scenarioExit if it survives.
	for _, s := range raisedSignals {
		for _, st := range setups {
			tracee.Register("raise_"+sigIdent(s)+st.name, func(c *tracee.Ctx) int {
				c.Check("prepare "+unix.SignalName(s), st.prep(int(s)))
				c.Ready()
				c.Check("raise "+unix.SignalName(s), raw.RaiseSelf(int(s)))
				return scenarioExit
			})
		}
	}
	// "crash_<name><setup>[_attached]": prepare, report the signal state
	// ("sigstate") and the LWP ("lwp"), stop at the ready point (or wait
	// for the attached tracer's go), crash.
	for _, cr := range raw.Crashes {
		for _, st := range setups {
			for _, attached := range []bool{false, true} {
				name := "crash_" + cr.Name + st.name
				if attached {
					name += "_attached"
				}
				tracee.Register(name, func(c *tracee.Ctx) int {
					c.Check("prepare "+unix.SignalName(cr.Sig), st.prep(int(cr.Sig)))
					expect.ReportSignalState(c, "sigstate")
					c.Report("lwp", raw.ThreadID())
					if attached {
						c.AwaitGo()
					} else {
						c.Ready()
					}
					c.Check("crash set-up", cr.Trigger())
					c.Fatalf("the %s trigger returned: no fault happened", cr.Name)
					return 0
				})
			}
		}
	}
	// "exec<setup>": prepare SIGTRAP, report the signal state ("sigstate"),
	// the signals it catches ("sigcaught") and the LWP ("lwp"), stop at the
	// ready point, exec execPath (which exits 0).
	for _, st := range setups {
		tracee.Register("exec"+st.name, func(c *tracee.Ctx) int {
			c.Check("prepare SIGTRAP", st.prep(int(syscall.SIGTRAP)))
			expect.ReportSignalState(c, "sigstate")
			c.Report("sigcaught", fmt.Sprintf("%#x", raw.CaughtSignals()))
			c.Report("lwp", raw.ThreadID())
			c.Ready()
			c.Check("exec", syscall.Exec(execPath, []string{"echo", "ptrace"}, nil))
			return 0
		})
	}
}

func init() {
	// "vfork_exec_traceme<setup>" (untraced: its tracer stops would
	// stall it while the test reads its reports): SIGTRAP set up as the
	// setup says, wait for the go, vfork a child that calls PT_TRACE_ME and execs
	// execPath (raw.VforkTraceMeExec); as the child's tracer, wait for it
	// and report its raw wait status ("stop_status"). If it stopped,
	// report the stop's si_signo and si_code, wait for the go, continue it
	// and report its next status ("child_status").
	for _, st := range setups {
		tracee.Register("vfork_exec_traceme"+st.name, func(c *tracee.Ctx) int {
			c.Check("prepare SIGTRAP", st.prep(int(syscall.SIGTRAP)))
			expect.ReportSignalState(c, "sigstate")
			c.Report("sigcaught", fmt.Sprintf("%#x", raw.CaughtSignals()))
			c.AwaitGo()
			pid, err := raw.VforkTraceMeExec(execPath, []string{"echo", "ptrace"}, nil)
			c.Check("vfork", err)
			c.Report("child", pid)
			status, err := raw.WaitExit(pid)
			c.Check("wait for the vfork child", err)
			c.Report("stop_status", status)
			if !syscall.WaitStatus(status).Stopped() {
				return scenarioExit
			}
			signo, code, err := raw.StopSiginfo(pid)
			c.Check("PT_GET_SIGINFO of the vfork child", err)
			c.Report("stop_signo", signo)
			c.Report("stop_code", code)
			c.AwaitGo()
			c.Check("PT_CONTINUE of the vfork child", raw.PtraceCont(pid, 0))
			status, err = raw.WaitExit(pid)
			c.Check("wait for the vfork child", err)
			c.Report("child_status", status)
			return scenarioExit
		})
	}
}

// execPath is what the exec scenarios run; it exists on NetBSD and Debian.
const execPath = "/bin/echo"

func init() {
	// "vfork_crash_<name><setup>": stop at the ready point, vfork a child
	// that calls PT_TRACE_ME and crashes (see raw.VforkCrash), wait for it
	// and report its raw wait status. It runs in a directory of its own
	// that it removes, with the core limit raised (coreDir), and reports
	// what decides the dump ("core").
	for _, name := range raw.VforkCrashes {
		for _, st := range setups {
			tracee.Register("vfork_crash_"+name+st.name, func(c *tracee.Ctx) int {
				defer coreDir(c, "ptrace-vfork-crash-")()
				c.Ready()
				pid, err := raw.VforkCrash(name, st.name, true)
				c.Check("vfork", err)
				status, err := raw.WaitExit(pid)
				c.Check("wait for the vfork child", err)
				c.Report("child_status", status)
				return scenarioExit
			})
		}
	}
}
