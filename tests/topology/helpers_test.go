package topology

import (
	"os"
	"strconv"
	"syscall"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

const caseTimeout = 30 * time.Second

func errName(err error) string {
	if err == nil {
		return tracer.Answer(0)
	}
	if e, ok := err.(syscall.Errno); ok {
		return tracer.Answer(e)
	}
	return err.Error()
}

func root() bool { return os.Geteuid() == 0 }

// ordinaryUser is the environment that makes a probe ask as an ordinary
// user, and the asker's words for messages: as root the probe becomes
// UnprivilegedUID; unprivileged, the probe is one already.
func ordinaryUser() (env []string, who string) {
	if root() {
		return []string{tracee.EnvProbeUID + "=" + strconv.Itoa(tracer.UnprivilegedUID)}, "uid " + strconv.Itoa(tracer.UnprivilegedUID)
	}
	return nil, "uid " + strconv.Itoa(os.Geteuid())
}

// needRoot skips a case only root can set up.
func needRoot(t *atfshim.T, why string) {
	if !root() {
		t.Skipf("needs root (running as uid %d): %s", os.Geteuid(), why)
	}
}

// yamaAllows skips a case whose attach must succeed where Linux's Yama
// LSM forbids it: ptrace_scope 3 forbids every attach, 2 every attach
// without CAP_SYS_PTRACE (asRoot: the attacher keeps root). Scope 1 lets
// a tracee name any tracer (every scenario does, PR_SET_PTRACER_ANY).
// Without Yama it says so in the log.
func yamaAllows(t *atfshim.T, asRoot bool) {
	scope, ok, err := tracer.YamaScope()
	switch {
	case err != nil:
		t.Fatalf("reading %s: %v", tracer.YamaScopeFile, err)
	case !ok:
		if tracer.YamaScopeFile != "" {
			t.Logf("no Yama LSM in this kernel (%s absent): __ptrace_may_access alone decides", tracer.YamaScopeFile)
		}
	case scope >= 3:
		t.Skipf("Yama ptrace_scope=%d (%s, YAMA_SCOPE_NO_ATTACH) forbids every attach", scope, tracer.YamaScopeFile)
	case scope == 2 && !asRoot:
		t.Skipf("Yama ptrace_scope=2 (%s, YAMA_SCOPE_CAPABILITY) forbids an attach without CAP_SYS_PTRACE", tracer.YamaScopeFile)
	default:
		t.Logf("Yama ptrace_scope=%d (%s)", scope, tracer.YamaScopeFile)
	}
}

// waitFor polls cond up to 5 s, failing with what.
func waitFor(t *atfshim.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// probeResult is what an attach_probe said.
type probeResult struct {
	answer, stop, detach string
}

// runProbe starts an attach_probe at target with env and collects its
// answer, and after an accepted attach its stop and detach, then its exit.
func runProbe(t *atfshim.T, tr *tracer.Tracer, target string, env ...string) probeResult {
	t.Helper()
	p := tr.Start("attach_probe", append([]string{tracee.EnvProbeTarget + "=" + target}, env...)...)
	var r probeResult
	r.answer = p.Report("attach")
	if r.answer == tracer.Answer(0) {
		r.stop = p.Report("stop")
		if p.ReportedWithin("detach", time.Second) {
			r.detach = p.Report("detach")
		}
	}
	if ev := tr.Wait(p.Pid); ev.Kind != tracer.Exited || ev.Status != 0 {
		t.Fatalf("attach_probe (pid %d): want Exited(0), got %v", p.Pid, ev)
	}
	return r
}
