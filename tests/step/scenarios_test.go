package step

import (
	"syscall"
	"unsafe"

	"ptracesuite/internal/insn"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// scenarioExit is the exit code of every scenario that runs to its end.
const scenarioExit = 5

// watched is what the watchpoint cases watch: 8-aligned, so every length
// is naturally aligned at its start.
var watched [2]uint64

// savedSS is the SS selector the CVE-2018-8897 scenario loads back.
var savedSS [4]uint16

func init() {
	// "step<setup>": SIGTRAP blocked or ignored by setup, report the LWP and
	// the sequence's address, ready stop, then the sequence (which stops
	// itself first), and report its result.
	for _, setup := range []string{"", "_masked", "_ignored"} {
		tracee.Register("step"+setup, func(c *tracee.Ctx) int {
			switch setup {
			case "_masked":
				c.Check("block SIGTRAP", raw.BlockSignal(int(syscall.SIGTRAP)))
			case "_ignored":
				c.Check("ignore SIGTRAP", raw.IgnoreSignal(int(syscall.SIGTRAP)))
			}
			c.Report("lwp", raw.ThreadID())
			c.Report("seq", insn.SeqEntry())
			c.Ready()
			c.Report("result", insn.RunStepSeq())
			return scenarioExit
		})
	}

	// "step_lwp": as "step", with a second (raw) LWP blocked until the
	// sequence has run.
	tracee.Register("step_lwp", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("seq", insn.SeqEntry())
		c.Ready()
		ts, err := raw.StartThreads(1, raw.ThreadSpec{Prog: raw.ThreadAwaitExit})
		c.Check("start thread", err)
		r := insn.RunStepSeq()
		c.Check("release thread", ts.Release())
		c.Check("join thread", ts.Join())
		c.Report("result", r)
		return scenarioExit
	})

	// "syscallemu": ready stop, then stop again and at once end the
	// process with exit status 100 (Linux exit_group, NetBSD exit): a
	// skipped call lets it report and exit with scenarioExit instead.
	tracee.Register("syscallemu", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Ready()
		r := insn.StopThenSyscall(insn.ExitProcessTrap, 100)
		c.Report("survived", int64(r))
		return scenarioExit
	})

	// "dbregs": report the watched variable, ready stop, stop again, exit.
	tracee.Register("dbregs", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("watched", uintptr(unsafe.Pointer(&watched[0])))
		c.Ready()
		c.Check("second stop", raw.StopSelf())
		return scenarioExit
	})

	// "watch_<w|rw>_<i>": ready stop, then insn.Accesses[i] on the watched
	// variable (under a write-only watch, the read of the same size first,
	// which must not fire), stop again, exit.
	for i, a := range insn.Accesses {
		for _, cond := range []string{"w", "rw"} {
			tracee.Register(watchScenario(cond, i), func(c *tracee.Ctx) int {
				c.Report("lwp", raw.ThreadID())
				c.Report("watched", uintptr(unsafe.Pointer(&watched[0])))
				c.Report("fn", insn.AccessEntry(i))
				c.Ready()
				if cond == "w" && a.Write {
					insn.DoAccess(readOf(a.Size), unsafe.Pointer(&watched[0]))
				}
				insn.DoAccess(i, unsafe.Pointer(&watched[0]))
				c.Check("second stop", raw.StopSelf())
				return scenarioExit
			})
		}
	}

	// "code": ready stop, run the breakpoint's target, stop again, exit.
	tracee.Register("code", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("fn", insn.CodeTargetEntry())
		c.Ready()
		insn.CodeTarget()
		c.Check("second stop", raw.StopSelf())
		return scenarioExit
	})

	// "exec": report the watched variable, ready stop, exec execPath.
	tracee.Register("exec", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("watched", uintptr(unsafe.Pointer(&watched[0])))
		c.Ready()
		c.Check("exec", syscall.Exec(execPath, []string{"echo", "ptrace"}, nil))
		return 0
	})

	// "lwp": report the watched variable, ready stop, start one raw
	// thread that exits at once, wait for it, stop again, exit.
	tracee.Register("lwp", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("watched", uintptr(unsafe.Pointer(&watched[0])))
		c.Ready()
		ts, err := raw.StartThreads(1, raw.ThreadSpec{Prog: raw.ThreadExit})
		c.Check("start thread", err)
		c.Check("join thread", ts.Join())
		c.Check("second stop", raw.StopSelf())
		return scenarioExit
	})

	// "lwp_await": report the watched variable, ready stop, start one raw
	// thread that blocks until released, stop again, release and join it,
	// exit.
	tracee.Register("lwp_await", func(c *tracee.Ctx) int {
		c.Report("lwp", raw.ThreadID())
		c.Report("watched", uintptr(unsafe.Pointer(&watched[0])))
		c.Ready()
		ts, err := raw.StartThreads(1, raw.ThreadSpec{Prog: raw.ThreadAwaitExit})
		c.Check("start thread", err)
		c.Check("second stop", raw.StopSelf())
		c.Check("release thread", ts.Release())
		c.Check("join thread", ts.Join())
		return scenarioExit
	})

	// "cve_2018_8897": save SS, report where, ready stop, MOV SS from the
	// saved copy and int3 at once, stop again, exit.
	tracee.Register("cve_2018_8897", func(c *tracee.Ctx) int {
		insn.SaveSS(&savedSS[0])
		c.Report("lwp", raw.ThreadID())
		c.Report("watched", uintptr(unsafe.Pointer(&savedSS[0])))
		c.Ready()
		insn.MovSSInt3(&savedSS[0])
		c.Check("second stop", raw.StopSelf())
		return scenarioExit
	})
}

// execPath is what the exec scenario runs; it exists on NetBSD and Debian.
const execPath = "/bin/echo"

func watchScenario(cond string, i int) string {
	return "watch_" + cond + "_" + string(rune('0'+i))
}

// readOf is the index of the read of size bytes in insn.Accesses.
func readOf(size int) int {
	for i, a := range insn.Accesses {
		if !a.Write && a.Size == size {
			return i
		}
	}
	panic("no read of that size")
}
