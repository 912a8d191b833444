package lwp

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// scenarioExit is the exit code of every LWP scenario and of each of its
// LWPs. Linux reports a thread that is reaped after its process began
// exit_group with the group's exit code rather than its own
// (wait_task_zombie: SIGNAL_GROUP_EXIT → group_exit_code), so the threads
// exit with the process's code and the expected status is one number.
const scenarioExit = 5

// threadCounts are the numbers of LWPs the event cases create (NetBSD's
// trace_thread_* use 100).
var threadCounts = []int{1, 2, 10, 100}

// Exec target of threads_and_exec: on NetBSD and Debian alike, and
// single-threaded, so that the exec'd image adds no LWPs of its own.
var execPath = "/bin/echo"

func ids(l []int) string {
	s := make([]string, len(l))
	for i, v := range l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

// parseIDs reads a list reported by ids.
func parseIDs(v string) ([]int, error) {
	if v == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("LWP id list %q: %v", v, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func start(c *tracee.Ctx, n int, spec raw.ThreadSpec) *raw.Threads {
	ts, err := raw.StartThreads(n, spec)
	c.Check(fmt.Sprintf("create %d LWPs", n), err)
	return ts
}

func init() {
	// "threads<N>" and "threads<N>_sigmasked": create N LWPs that exit at
	// once, report their ids as "lwps", join them, exit scenarioExit. The
	// masked variant blocks SIGTRAP first (NetBSD *_masked_sigtrap).
	for _, n := range append([]int{0}, threadCounts...) {
		for _, masked := range []bool{false, true} {
			name := fmt.Sprintf("threads%d", n)
			if masked {
				name += "_sigmasked"
			}
			tracee.Register(name, func(c *tracee.Ctx) int {
				if masked {
					c.Check("block SIGTRAP", raw.BlockSignal(int(syscall.SIGTRAP)))
				}
				c.Ready()
				ts := start(c, n, raw.ThreadSpec{Prog: raw.ThreadExit, Code: scenarioExit})
				c.Report("lwps", ids(ts.IDs()))
				c.Check("join", ts.Join())
				return scenarioExit
			})
		}
	}

	// threads_and_exec: two LWPs that wait, then one LWP that execs
	// execPath once the tracer says go; the main thread sleeps until the
	// exec ends it.
	tracee.Register("threads_exec", func(c *tracee.Ctx) int {
		c.Ready()
		sleepers := start(c, 2, raw.ThreadSpec{Prog: raw.ThreadAwaitExit, Code: scenarioExit})
		execer := start(c, 1, raw.ThreadSpec{Prog: raw.ThreadAwaitExec,
			Path: execPath, Argv: []string{"echo", "exec from an LWP"}, Envv: []string{}})
		c.Report("sleepers", ids(sleepers.IDs()))
		c.Report("execer", ids(execer.IDs()))
		c.AwaitGo()
		c.Check("release the exec", execer.Release())
		time.Sleep(time.Minute)
		return 1 // the exec did not happen
	})

	// "inspect<N>": N LWPs named "thread 1".."thread N" wait; the main
	// thread reports them and stops itself with a thread-directed SIGSTOP
	// (the signalled LWP), then joins them once resumed.
	// "inspect<N>_attached" is the same, untraced until the tracer that
	// attached to it lets it go (tests/lwp attach_lwpinfo<N>).
	for n := 0; n <= 3; n++ {
		for _, attached := range []bool{false, true} {
			name := fmt.Sprintf("inspect%d", n)
			if attached {
				name += "_attached"
			}
			tracee.Register(name, func(c *tracee.Ctx) int {
				if attached {
					c.AwaitGo()
				} else {
					c.Ready()
				}
				return inspect(c, n)
			})
		}
	}

	// "suspend_raise": one LWP waits, the main thread reports it and stops
	// itself; once resumed it releases the LWP, which sends itself
	// SIGUSR2, and joins it.
	tracee.Register("suspend_raise", func(c *tracee.Ctx) int {
		c.Ready()
		ts := start(c, 1, raw.ThreadSpec{Prog: raw.ThreadAwaitRaise, Sig: int(syscall.SIGUSR2), Code: scenarioExit})
		c.Report("lwps", ids(ts.IDs()))
		c.Check("stop self", raw.StopSelf())
		c.Check("join", ts.Join())
		return scenarioExit
	})

	// "signals": 50 LWPs wait, then each sends SIGUSR1 to itself at once;
	// "signals_sigign" the same with SIGUSR1 set to SIG_IGN first.
	tracee.Register("signals_sigign", func(c *tracee.Ctx) int {
		c.Check("ignore SIGUSR1", raw.IgnoreSignal(int(syscall.SIGUSR1)))
		c.Ready()
		ts := start(c, concurrentLwps, raw.ThreadSpec{Prog: raw.ThreadAwaitRaise, Sig: int(syscall.SIGUSR1), Code: scenarioExit})
		c.Report("lwps", ids(ts.IDs()))
		c.Check("join", ts.Join())
		return scenarioExit
	})
	tracee.Register("signals", func(c *tracee.Ctx) int {
		c.Ready()
		ts := start(c, concurrentLwps, raw.ThreadSpec{Prog: raw.ThreadAwaitRaise, Sig: int(syscall.SIGUSR1), Code: scenarioExit})
		c.Report("lwps", ids(ts.IDs()))
		c.Check("join", ts.Join())
		return scenarioExit
	})

	// "bursts": detachBursts bursts of detachBurst LWPs that exit at once,
	// each burst joined before the next; reports the total as "lwps".
	tracee.Register("bursts", func(c *tracee.Ctx) int {
		c.Ready()
		var all []int
		for b := 0; b < detachBursts; b++ {
			ts := start(c, detachBurst, raw.ThreadSpec{Prog: raw.ThreadExit, Code: scenarioExit})
			c.Check("join", ts.Join())
			all = append(all, ts.IDs()...)
		}
		c.Report("lwps", ids(all))
		return scenarioExit
	})

	// "probe": one fork, one vfork, one LWP, each waited for: something
	// for every event bit but POSIX_SPAWN to report.
	tracee.Register("probe", func(c *tracee.Ctx) int {
		c.Ready()
		for name, create := range map[string]func(int) (int, error){"fork": raw.ForkExit, "vfork": raw.VforkExit} {
			pid, err := create(0)
			c.Check(name, err)
			_, err = raw.WaitExit(pid)
			c.Check("wait for "+name+" child", err)
		}
		ts := start(c, 1, raw.ThreadSpec{Prog: raw.ThreadExit, Code: scenarioExit})
		c.Check("join", ts.Join())
		return scenarioExit
	})

	// "running": reports "running" and sleeps until killed.
	tracee.Register("running", func(c *tracee.Ctx) int {
		c.Ready()
		c.Report("running", os.Getpid())
		time.Sleep(time.Minute)
		return 1
	})
}

// threadName is the name the inspect scenarios give their i-th LWP
// (NetBSD's suite names its threads the same way).
func threadName(i int) string { return fmt.Sprintf("thread %d", i+1) }

// inspect is the body of the inspect scenarios.
func inspect(c *tracee.Ctx, n int) int {
	ts := start(c, n, raw.ThreadSpec{Prog: raw.ThreadAwaitExit, Code: scenarioExit})
	for i, id := range ts.IDs() {
		c.Check("name LWP", raw.NameThread(id, threadName(i)))
	}
	c.Report("lwps", ids(ts.IDs()))
	c.Report("main", raw.ThreadID())
	c.Check("stop self", raw.StopSelf())
	c.Check("join", ts.Join())
	return scenarioExit
}
