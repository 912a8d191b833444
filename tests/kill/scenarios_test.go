package kill

import (
	"syscall"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// scenarioExit is the exit code of every scenario that runs to its end: a
// killed tracee that exits with it ran on past SIGKILL.
const scenarioExit = 5

// execPath is what the spawn and exec scenarios run; it exists on NetBSD
// and Debian alike.
const execPath = "/bin/echo"

func init() {
	// "stopped": stop at the ready point, exit scenarioExit.
	tracee.Register("stopped", func(c *tracee.Ctx) int {
		c.Ready()
		return scenarioExit
	})

	// The creation scenarios: stop at the ready point, create one child,
	// wait for it, exit scenarioExit. The child exits 0 (or is execPath).
	creators := map[string]func() (int, error){
		"fork":  func() (int, error) { return raw.ForkExit(0) },
		"vfork": func() (int, error) { return raw.VforkExit(0) },
		"spawn": func() (int, error) { return raw.Spawn(execPath, []string{"echo", "ptrace"}, nil) },
	}
	for name, create := range creators {
		tracee.Register(name, func(c *tracee.Ctx) int {
			c.Ready()
			pid, err := create()
			c.Check(name, err)
			c.Report("child", pid)
			_, err = raw.WaitExit(pid)
			c.Check("wait for the child", err)
			return scenarioExit
		})
	}

	// "lwp": stop at the ready point, create one LWP that exits at once,
	// join it, exit scenarioExit.
	tracee.Register("lwp", func(c *tracee.Ctx) int {
		c.Ready()
		ts, err := raw.StartThreads(1, raw.ThreadSpec{Prog: raw.ThreadExit, Code: scenarioExit})
		c.Check("create an LWP", err)
		c.Check("join", ts.Join())
		return scenarioExit
	})

	// "exec": stop at the ready point, exec execPath (which exits 0).
	tracee.Register("exec", func(c *tracee.Ctx) int {
		c.Ready()
		c.Check("exec", syscall.Exec(execPath, []string{"echo", "ptrace"}, nil))
		return scenarioExit
	})

	// "syscall": stop at the ready point, then call getpid(2) on the
	// traced thread until killed (a tracer that resumes it with PT_SYSCALL
	// sees their entries and exits), exit scenarioExit after 2^20 calls.
	tracee.Register("syscall", func(c *tracee.Ctx) int {
		c.Ready()
		for range 1 << 20 {
			unix.RawSyscall(unix.SYS_GETPID, 0, 0, 0)
		}
		return scenarioExit
	})
}
