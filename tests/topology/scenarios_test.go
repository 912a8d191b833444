package topology

import (
	"errors"
	"os"
	"strconv"
	"syscall"
	"time"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// Environment of the scenarios below.
const (
	envStopFirst  = "PTRACESUITE_STOP_FIRST"  // stop the whole process with SIGSTOP first
	envUID        = "PTRACESUITE_BECOME_UID"  // the uid to become
	envOrigParent = "PTRACESUITE_ORIG_PARENT" // the parent an orphan had
	envParentHow  = "PTRACESUITE_PARENT_HOW"  // ParentSeen's method
)

// exitTracee is the exit code of a target that ran to its end.
const exitTracee = 5

// stopFirst: a process-directed SIGSTOP, as raise(SIGSTOP) stops NetBSD's
// single-threaded forkee: the whole process stops (job control).
func stopFirst(c *tracee.Ctx) {
	if os.Getenv(envStopFirst) != "" {
		c.Check("kill(getpid(), SIGSTOP)", syscall.Kill(os.Getpid(), syscall.SIGSTOP))
	}
}

func becomeUID(c *tracee.Ctx) {
	uid, err := strconv.Atoi(os.Getenv(envUID))
	c.Check(envUID, err)
	c.Check("become uid "+strconv.Itoa(uid), tracee.BecomeUser(uid))
}

func init() {
	// A target: optionally stopped first, it waits for go and exits.
	tracee.Register("await_go_exit", func(c *tracee.Ctx) int {
		stopFirst(c)
		c.AwaitGo()
		return exitTracee
	})
	// A target of another uid that was exec'd as that uid (no set-id mark).
	tracee.Register("exec_as_user", func(c *tracee.Ctx) int {
		becomeUID(c)
		c.Check("exec await_go_exit", tracee.ExecScenario("await_go_exit"))
		return tracee.ExitFailed
	})
	// A target that changed its uid itself and runs on (set-id marked).
	tracee.Register("setuid_then_await", func(c *tracee.Ctx) int {
		becomeUID(c)
		c.AwaitGo()
		return exitTracee
	})
	// Started traced (Spawn): its ready stop, then it waits for go.
	tracee.Register("ready_then_await", func(c *tracee.Ctx) int {
		c.Ready()
		c.AwaitGo()
		return exitTracee
	})
	// Started traced: asks a second time (NetBSD's traceme_twice).
	tracee.Register("traceme_again", func(c *tracee.Ctx) int {
		c.Ready()
		c.Report("traceme", errName(tracee.TraceMe()))
		return 0
	})
	// Makes an orphan and exits, so that the orphan's parent becomes its
	// adoptive one (NetBSD's traceme_pid1_parent).
	tracee.Register("orphan_maker", func(c *tracee.Ctx) int {
		// The orphan must outlive its parent: no parent-death signal
		// (the test adopts it and its cleanup ends it).
		pid, err := c.StartScenario("orphan_traceme", envOrigParent+"="+strconv.Itoa(os.Getpid()), tracee.EnvNoSafetyNets+"=1")
		c.Check("start the orphan", err)
		c.Report("orphan", pid)
		return 0
	})
	tracee.Register("orphan_traceme", func(c *tracee.Ctx) int {
		orig, err := strconv.Atoi(os.Getenv(envOrigParent))
		c.Check(envOrigParent, err)
		deadline := time.Now().Add(10 * time.Second)
		for os.Getppid() == orig {
			if time.Now().After(deadline) {
				c.Fatalf("still a child of pid %d after 10 s", orig)
			}
			time.Sleep(time.Millisecond)
		}
		c.Report("new_parent", os.Getppid())
		c.Report("traceme", errName(tracee.TraceMe()))
		return 0
	})
	// The parent a child tracer attaches to (NetBSD's
	// child_attach_to_its_parent): it starts the probe, optionally stops
	// itself, then collects the probe.
	tracee.Register("parent_of_attacher", func(c *tracee.Ctx) int {
		env := []string{tracee.EnvProbeTarget + "=ppid"}
		if os.Getenv(envStopFirst) != "" {
			env = append(env, tracee.EnvProbeAwaitStopped+"=1")
		}
		pid, err := c.StartScenario("attach_probe", env...)
		c.Check("start the attaching child", err)
		c.Report("child", pid)
		stopFirst(c)
		st, err := raw.WaitExit(pid)
		c.Check("wait for the attaching child", err)
		c.Report("child_status", st)
		return 0
	})
	// Records its parent, waits for go (meanwhile a tracer attaches), and
	// reports the parent it sees then (NetBSD's
	// tracee_sees_its_original_parent_*).
	tracee.Register("parent_check", func(c *tracee.Ctx) int {
		c.Report("parent_at_start", os.Getppid())
		c.AwaitGo()
		how := os.Getenv(envParentHow)
		n, err := tracee.ParentSeen(how)
		if errors.Is(err, tracee.ErrNoProcfs) {
			c.Report("parent_now", "none")
			return exitTracee
		}
		c.Check("parent by "+how, err)
		c.Report("parent_now", n)
		t, ok, err := tracee.TracerOf(os.Getpid())
		c.Check("the tracer by "+how, err)
		if ok {
			c.Report("tracer_now", t)
		}
		return exitTracee
	})
}
