package tracee

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ptracesuite/internal/ptrace"
)

// The "attach_probe" scenario is a tracer in a process of its own, for the
// permission cases: who may trace whom depends on who asks (uid, root
// directory, relation to the target), so the asking is done by a
// re-executed copy of the test binary made into that asker, never by the
// test process itself. Its environment says how:
//
//   - EnvProbeTarget: the pid to attach to, or "ppid" (its parent);
//   - EnvProbeChroot: chroot(2) into this directory first (root only);
//   - EnvProbeUID: become this uid (and gid) first (root only), an ordinary
//     user to the kernel;
//   - EnvProbeAwaitStopped: wait until the target is stopped by a stop
//     signal (job control) before attaching;
//   - EnvProbeThen: after an accepted attach and its stop, "detach"
//     (default) or "trace_to_exit": resume the tracee, report "attached",
//     wait for go, then wait for the tracee's termination and report it.
//
// It reports "attach" = the kernel's answer (ErrnoName: "success",
// "EPERM", ...); after a success "stop" = the signal of the attach stop
// and "detach" = the answer to the detach, or "attached" and
// "tracee_exit" = the wait status's exit code (or "signal N").
const (
	EnvProbeTarget       = "PTRACESUITE_PROBE_TARGET"
	EnvProbeChroot       = "PTRACESUITE_PROBE_CHROOT"
	EnvProbeUID          = "PTRACESUITE_PROBE_UID"
	EnvProbeAwaitStopped = "PTRACESUITE_PROBE_AWAIT_STOPPED"
	EnvProbeThen         = "PTRACESUITE_PROBE_THEN"
)

// probeWait bounds the probe's waits (a due stop comes within
// milliseconds; the tracer's own wait timeout ends the case first).
const probeWait = 10 * time.Second

func init() {
	Register("attach_probe", func(c *Ctx) int {
		target := os.Getppid()
		if v := os.Getenv(EnvProbeTarget); v != "ppid" {
			n, err := strconv.Atoi(v)
			if err != nil {
				c.Fatalf("%s=%q: not a pid", EnvProbeTarget, v)
			}
			target = n
		}
		if dir := os.Getenv(EnvProbeChroot); dir != "" {
			c.Check("chroot "+dir, syscall.Chroot(dir))
			c.Check("chdir /", os.Chdir("/"))
		}
		if v := os.Getenv(EnvProbeUID); v != "" {
			uid, err := strconv.Atoi(v)
			c.Check(EnvProbeUID, err)
			c.Check("become uid "+v, BecomeUser(uid))
		}
		c.Report("uid", os.Geteuid())
		if os.Getenv(EnvProbeAwaitStopped) != "" {
			deadline := time.Now().Add(probeWait)
			for !ptrace.JobStopped(target) {
				if time.Now().After(deadline) {
					c.Fatalf("pid %d did not stop within %v (%s)", target, probeWait, ptrace.ProcState(target))
				}
				time.Sleep(time.Millisecond)
			}
		}
		// On the scenario's locked main thread: on Linux the tracer is the
		// thread that attached, and every later request and wait comes
		// from it.
		err := ptrace.AttachHere(target)
		c.Report("attach", ptrace.ErrnoName(ptrace.ErrnoOf(err)))
		if err != nil {
			return 0
		}
		sig, err := ptrace.AttachStop(target, probeWait)
		if err != nil {
			why := err.Error()
			if e := ptrace.ErrnoOf(err); e > 0 {
				why = "wait4: " + ptrace.ErrnoName(e)
			}
			c.Report("stop", "none ("+why+")")
			return 0
		}
		if sig == 0 {
			c.Report("stop", "none")
		} else {
			c.Report("stop", ptrace.SignalName(int(sig)))
		}
		if os.Getenv(EnvProbeThen) != "trace_to_exit" {
			c.Report("detach", ptrace.ErrnoName(ptrace.ErrnoOf(ptrace.DetachFrom(target))))
			return 0
		}
		c.Check("resume the tracee", ptrace.ContinueFrom(target))
		if os.Getenv(EnvProbeAwaitStopped) != "" && ptrace.AttachToStoppedStopsTwice {
			// The attach's own SIGSTOP, after the stop it found.
			sig, err := ptrace.AttachStop(target, probeWait)
			c.Check("the second stop", err)
			if sig != syscall.SIGSTOP {
				c.Fatalf("pid %d, attached while stopped, resumed: want the attach's own SIGSTOP stop, got signal %d", target, sig)
			}
			c.Check("resume the tracee again", ptrace.ContinueFrom(target))
		}
		c.Report("attached", target)
		c.AwaitGo()
		ws, err := ptrace.WaitExitOf(target, probeWait)
		c.Check("wait for the tracee", err)
		if ws.Exited() {
			c.Report("tracee_exit", ws.ExitStatus())
		} else {
			c.Report("tracee_exit", "signal "+strconv.Itoa(int(ws.Signal())))
		}
		return 10
	})
}

// BecomeUser makes the process an ordinary user to the kernel: no
// supplementary groups, gid and uid uid (real, effective and saved), for
// every thread (syscall.Setuid applies to all threads of a Go process).
// Root only. A Linux process that changes its credentials loses its
// parent-death signal, so the tracee asks for it again.
func BecomeUser(uid int) error {
	if err := syscall.Setgroups(nil); err != nil {
		return err
	}
	if err := syscall.Setgid(uid); err != nil {
		return err
	}
	if err := syscall.Setuid(uid); err != nil {
		return err
	}
	if os.Getenv(EnvNoSafetyNets) == "" {
		dieWithParent()
	}
	return nil
}

// StartScenario starts another re-executed copy of the test binary running
// scenario, as this process's own untraced child, with the same report
// and go pipes and extra "KEY=value" environment entries; it returns its
// pid. The child's reports reach the tracer through this scenario's Proc.
func (c *Ctx) StartScenario(scenario string, env ...string) (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	e := Env(os.Environ(), EnvScenario, scenario)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		e = Env(e, k, v)
	}
	p, err := os.StartProcess(exe, []string{exe}, &os.ProcAttr{
		Env:   e,
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr, c.report, c.gofd},
	})
	if err != nil {
		return 0, err
	}
	pid := p.Pid
	p.Release()
	return pid, nil
}

// ExecScenario replaces this process with a fresh copy of the test binary
// running scenario (execve(2): the pipes stay, credentials stay, and the
// kernel's set-id marks of an earlier setuid are cleared: NetBSD's
// PK_SUGID, Linux's non-dumpable mm). Returns only on failure.
func ExecScenario(scenario string) error {
	exe, err := selfExe()
	if err != nil {
		return err
	}
	return syscall.Exec(exe, []string{exe}, Env(os.Environ(), EnvScenario, scenario))
}

// TraceMe, ParentSeen and TracerOf for scenarios: see package ptrace.
var (
	TraceMe    = ptrace.TraceMe
	ParentSeen = ptrace.ParentSeen
	TracerOf   = ptrace.TracerOf
)

// ErrNoProcfs: see package ptrace.
var ErrNoProcfs = ptrace.ErrNoProcfs
