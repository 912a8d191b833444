package topology

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// asked is one permission request as a case made it: the request and
// target in the kernel's words, who asked, the kernel's answer and, for an
// accepted attach, what the asker did with it.
type asked struct {
	req, target, who, got, then string
	probe                       *probeResult // the asker's reports, when a probe asked
}

// permCase is one permission rule: NetBSD's case name where it has one,
// and ask, which sets the asker and target up, asks, and returns the
// answer (nil: ask compared it itself, from the test process).
type permCase struct {
	ident, topic, descr string
	ask                 func(t *atfshim.T, tr *tracer.Tracer) *asked
}

var permCases = []permCase{
	{"attach_pid0", "PT_ATTACH to pid 0", "a debugger cannot attach to pid 0", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		a := want("attach_pid0")
		tr.ExpectAttachAnswer(0, "pid 0", a.errno, a.rule)
		return nil
	}},
	{"attach_pid1", "PT_ATTACH to init by an ordinary user", "an ordinary user cannot attach to pid 1 (init, root's)", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		env, who := ordinaryUser()
		r := runProbe(t, tr, "1", env...)
		return &asked{tracer.RequestNames.Attach, "pid 1 (init)", who, r.answer, r.then(), &r}
	}},
	{"attach_pid1_securelevel", "PT_ATTACH to init by root", "root cannot attach to pid 1 when the kernel's security level forbids it (NetBSD securelevel >= 0; Linux: Yama ptrace_scope 3)", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		needRoot(t, "it is root's attach to init (NetBSD's case is require.user=root)")
		if level, ok, err := tracer.Securelevel(); err != nil {
			t.Fatalf("sysctl kern.securelevel: %v", err)
		} else if ok && level < 0 {
			t.Skipf("kern.securelevel is %d: below 0 root may trace init (NetBSD's case skips too: Test must be run with securelevel >= 0)", level)
		} else if !ok {
			scope, yama, err := tracer.YamaScope()
			switch {
			case err != nil:
				t.Fatalf("reading %s: %v", tracer.YamaScopeFile, err)
			case !yama:
				t.Skipf("Linux has no securelevel (kern.securelevel), and no Yama LSM here (%s absent): nothing keeps root from PTRACE_ATTACH to init (ptrace_attach() refuses only kernel threads and its own thread group); not tried on a live init", tracer.YamaScopeFile)
			case scope < 3:
				t.Skipf("Linux has no securelevel (kern.securelevel); Yama ptrace_scope=%d (below 3, YAMA_SCOPE_NO_ATTACH) lets root (CAP_SYS_PTRACE) attach to init; not tried on a live init", scope)
			}
		}
		a := want("attach_pid1_securelevel")
		tr.ExpectAttachAnswer(1, "init", a.errno, a.rule)
		return nil
	}},
	{"attach_self", "PT_ATTACH to oneself", "a process cannot attach to itself", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		a := want("attach_self")
		tr.ExpectAttachAnswer(os.Getpid(), "itself", a.errno, a.rule)
		return nil
	}},
	{"attach_traced_process", "PT_ATTACH to a traced process", "a process already traced cannot be attached by another tracer; it runs on as its tracer's to its exit", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		return attachTraced(t, tr, false)
	}},
	{"attach_traced_process_then_sigkill", "PT_ATTACH to a traced process", "a process already traced cannot be attached by another tracer; SIGKILL then ends it, stopped as it is, and its tracer collects the death", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		return attachTraced(t, tr, true)
	}},
	{"attach_chroot", "PT_ATTACH from inside a chroot to a process outside it", "a chrooted tracer cannot trace a process whose root is not at or below its own (NetBSD); Linux has no such rule", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		needRoot(t, "chroot(2) is root's (NetBSD's case is require.user=root)")
		if want("attach_chroot").errno == 0 {
			yamaAllows(t, true)
		}
		dir := filepath.Join(t.TempDir(), "dir")
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatalf("%v", err)
		}
		target := tr.Start("await_go_exit")
		target.Report("awaiting_go")
		r := runProbe(t, tr, strconv.Itoa(target.Pid), tracee.EnvProbeChroot+"="+dir)
		return &asked{tracer.RequestNames.Attach, "pid " + strconv.Itoa(target.Pid) + " (root /)", "uid 0 chrooted to " + dir, r.answer, r.then(), &r}
	}},
	{"attach_other_uid", "PT_ATTACH to another user's process", "an ordinary user cannot attach to a process of another uid", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		needRoot(t, "only root can start an asker of another uid; attach_pid1 covers a root-owned target")
		target := tr.Start("await_go_exit")
		target.Report("awaiting_go")
		env, who := ordinaryUser()
		r := runProbe(t, tr, strconv.Itoa(target.Pid), env...)
		return &asked{tracer.RequestNames.Attach, "pid " + strconv.Itoa(target.Pid) + " (uid 0)", who, r.answer, r.then(), &r}
	}},
	{"attach_same_uid", "PT_ATTACH to one's own process", "an ordinary user can attach to an unrelated process of its own uid", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		yamaAllows(t, false)
		env, who := ordinaryUser()
		var target *tracer.Proc
		if root() {
			target = tr.Start("exec_as_user", envUID+"="+strconv.Itoa(tracer.UnprivilegedUID))
		} else {
			target = tr.Start("await_go_exit")
		}
		target.Report("awaiting_go")
		r := runProbe(t, tr, strconv.Itoa(target.Pid), env...)
		return &asked{tracer.RequestNames.Attach, "pid " + strconv.Itoa(target.Pid) + " (" + who + ")", who, r.answer, r.then(), &r}
	}},
	{"attach_setuid_process", "PT_ATTACH to a process that changed its uid", "an ordinary user cannot attach to a process of its uid that got it by setuid(2) (set-id, until it execs)", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		needRoot(t, "only root can make a process change its uid")
		target := tr.Start("setuid_then_await", envUID+"="+strconv.Itoa(tracer.UnprivilegedUID))
		target.Report("awaiting_go")
		env, who := ordinaryUser()
		r := runProbe(t, tr, strconv.Itoa(target.Pid), env...)
		return &asked{tracer.RequestNames.Attach, "pid " + strconv.Itoa(target.Pid) + " (" + who + " by setuid)", who, r.answer, r.then(), &r}
	}},
	{"traceme_twice", "PT_TRACE_ME by a traced process", "a process cannot mark its parent its debugger twice", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		p := tr.Spawn("traceme_again")
		tr.Cont(p.Pid, 0)
		got := p.Report("traceme")
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Exited || ev.Status != 0 {
			t.Fatalf("traceme_again (pid %d): want Exited(0), got %v", p.Pid, ev)
		}
		return &asked{tracer.TraceMeRequest, "itself (pid " + strconv.Itoa(p.Pid) + ", traced by pid " + strconv.Itoa(os.Getpid()) + ")", "pid " + strconv.Itoa(p.Pid), got, "", nil}
	}},
	{"traceme_pid1_parent", "PT_TRACE_ME by an orphan", "an orphan cannot make init its debugger (NetBSD); Linux makes its adoptive parent the tracer", func(t *atfshim.T, tr *tracer.Tracer) *asked {
		if want("traceme_pid1_parent").errno == 0 {
			yamaAllows(t, root())
		}
		p := tr.Start("orphan_maker")
		orphan := p.ReportInt("orphan")
		tr.Adopt(orphan, "orphan")
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Exited || ev.Status != 0 {
			t.Fatalf("orphan_maker (pid %d): want Exited(0), got %v", p.Pid, ev)
		}
		parent := p.ReportInt("new_parent")
		adoptive := adoptiveParent[runtime.GOOS]
		if wantParent := adoptive.pid(); parent != wantParent {
			t.Fatalf("orphan pid %d: adoptive parent %d, want %d (%s)", orphan, parent, wantParent, adoptive.why)
		}
		got := p.Report("traceme")
		return &asked{tracer.TraceMeRequest, "itself (pid " + strconv.Itoa(orphan) + ", parent " + strconv.Itoa(parent) + ")", "pid " + strconv.Itoa(orphan), got, "", nil}
	}},
}

// attachTraced: a second tracer asks for the test's tracee, held at its
// ready stop. A refused attach leaves the process as it was: still the
// test's tracee, which runs on to its exit when resumed, or dies of a
// SIGKILL while stopped (as the cleanup kills; on 8.99.25 one run left
// such a process alive after a refused attach: docs/NETBSD-REVISIONS.md).
func attachTraced(t *atfshim.T, tr *tracer.Tracer, sigkill bool) *asked {
	if sigkill {
		killAfterRefusedAttach.Gate(t) // before anything is left for the cleanup's SIGKILL
	}
	p := tr.Spawn("ready_then_await")
	r := runProbe(t, tr, strconv.Itoa(p.Pid))
	a := &asked{tracer.RequestNames.Attach, "pid " + strconv.Itoa(p.Pid) + " (traced by pid " + strconv.Itoa(os.Getpid()) + ")", "uid " + strconv.Itoa(os.Geteuid()), r.answer, r.then(), &r}
	if r.answer == tracer.Answer(0) {
		return a
	}
	if sigkill {
		if err := syscall.Kill(p.Pid, syscall.SIGKILL); err != nil {
			t.Fatalf("SIGKILL to pid %d: %v", p.Pid, err)
		}
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Killed || ev.Sig != int(syscall.SIGKILL) {
			t.Fatalf("pid %d, stopped, traced, after a refused %s : SIGKILL must end it, got %v", p.Pid, tracer.RequestNames.Attach, ev)
		}
		return a
	}
	tr.Cont(p.Pid, 0)
	p.Go()
	wantExit(t, tr, p, exitTracee)
	return a
}

// killAfterRefusedAttach: on 8.99.25 the SIGKILLed process did not finish
// exiting (2 of 2 runs; a second SIGKILL ended it), not known to be
// deterministic, so a race there.
var killAfterRefusedAttach = expect.RaceBefore{Fix: nbabi.FixKillStoppedAfterRefusedAttach,
	Race: "SIGKILL of the stopped tracee after the refused PT_ATTACH left it sleeping in lwpwait until a second SIGKILL"}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{{Cases: "attach_traced_process_then_sigkill", Topic: "SIGKILL of a stopped tracee after a refused PT_ATTACH",
		NetBSD: "it dies and its tracer collects Killed(SIGKILL); " + killAfterRefusedAttach.Text(), Linux: "it dies and its tracer collects Killed(SIGKILL)", Data: "killAfterRefusedAttach"}}
})

// adoptiveParent: who adopts an orphan, per kernel.
var adoptiveParent = map[string]struct {
	pid func() int
	why string
}{
	"netbsd": {func() int { return 1 }, "init: NetBSD reparents every orphan to initproc"},
	"linux":  {os.Getpid, "the test process: the tracer makes it a PR_SET_CHILD_SUBREAPER, which adopts orphans below it instead of init"},
}

func (r probeResult) then() string {
	switch {
	case r.stop == "":
		return ""
	case r.detach == "":
		return "the asker found no attach stop: " + r.stop
	}
	return "the asker saw the attach stop " + r.stop + " and detached: " + r.detach
}

func init() {
	for _, c := range permCases {
		a := answers[c.ident]
		atfshim.DeclareSub(TestPermission, c.ident, atfshim.Meta{
			Descr:   c.descr + " (NetBSD " + tracer.Answer(a["netbsd"].errno) + ", Linux " + tracer.Answer(a["linux"].errno) + ")",
			Timeout: caseTimeout,
		})
	}
}

// TestPermission: NetBSD's t_ptrace.c cases and the permission rules
// around them. Each asks the kernel once and compares its answer, errno
// by name, with the running kernel's row of answers; an attach that was
// accepted is given back (detached) by its asker before the case ends.
func TestPermission(t *testing.T) {
	for _, c := range permCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			if _, ok := answers[c.ident][runtime.GOOS]; !ok {
				t.Fatalf("no answer written down for %s on %s", c.ident, runtime.GOOS)
			}
			tr := tracer.New(t)
			a := c.ask(t, tr)
			if a == nil {
				return
			}
			w := want(c.ident)
			if a.got != tracer.Answer(w.errno) {
				msg := a.req + "(" + a.target + ") from " + a.who + ": got " + a.got + ", want " + tracer.Answer(w.errno) + " (" + w.rule + ")"
				if a.then != "" {
					msg += "; " + a.then
				}
				t.Fatal(msg)
			}
			// An accepted attach is a tracer's: the target stops with the
			// SIGSTOP PT_ATTACH sends, and the asker detaches it.
			if w.errno == 0 && a.probe != nil && (a.probe.stop != "SIGSTOP" || a.probe.detach != tracer.Answer(0)) {
				t.Fatalf("%s(%s) from %s: accepted, but then %s; want the SIGSTOP attach stop and a detach", a.req, a.target, a.who, a.then)
			}
			if a.then != "" {
				t.Logf("%s", a.then)
			}
		})
	}
}
