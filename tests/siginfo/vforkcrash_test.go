package siginfo

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// vforkCrashRule is what a kernel does when a child that vfork()ed and
// called PT_TRACE_ME (its tracer is the parent sleeping in vfork) faults.
type vforkCrashRule struct {
	// killed: the child is not stopped but terminated by the signal,
	// with a core (NetBSD kern_sig.c trapsignal: a traced child whose
	// tracer is its vfork parent gets the default action, since the
	// parent cannot wait while it sleeps in vfork).
	killed bool
	// hangs: the child stops for its tracer, which sleeps in vfork until
	// the child execs or exits: neither ever reports (Linux: the fault is
	// an ordinary signal-delivery-stop; wait_for_vfork_done only ends
	// when the child leaves the address space).
	hangs bool
}

var vforkCrashRules = map[string]vforkCrashRule{
	"netbsd": {killed: true},
	"linux":  {hangs: true},
}

// vforkCrashFix is the fix the killed rule needs (expect.KnownBugs).
var vforkCrashFix = nbabi.FixVforkChildCrash

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("traceme_vfork_[signal{masked,ignored}_]crash_{"+strings.Join(raw.VforkCrashes, ",")+"}",
		"a fault in a vforked child traced by its vforker (PT_TRACE_ME), which sleeps in vfork", "vforkCrashRules, vforkCrashFix", func(k string) string {
			r := vforkCrashRules[k]
			switch {
			case r.killed:
				return fmt.Sprintf("no stop: the child is terminated by the signal, with a core where the core rule promises one; the vforker collects it\nbefore NetBSD %s (%s): an expected failure: %s",
					nbabi.OSRevisionString(vforkCrashFix.Since), vforkCrashFix.Name, vforkCrashFix.Before)
			case r.hangs:
				return "the child stops for its tracer, which sleeps in vfork until the child leaves: neither reports (the case kills both)"
			}
			return "nothing written down"
		})}
})

// hangWindow is how long the Linux case watches for a report that must
// not come.
const hangWindow = 500 * time.Millisecond

// vforkCrashWait bounds the wait for the crashed child's status.
const vforkCrashWait = 5 * time.Second

func init() {
	for _, st := range crashSetups {
		for _, name := range raw.VforkCrashes {
			atfshim.DeclareSub(TestTracemeVforkCrash, "traceme_vfork_"+st.ident+"crash_"+name, atfshim.Meta{
				Descr:   "a " + name + " crash in a vforked child traced by its parent (PT_TRACE_ME) terminates it with the signal and a core, no stop (Linux: the child stops and both hang)",
				Timeout: caseTimeout,
			})
		}
	}
}

// TestTracemeVforkCrash is NetBSD's traceme_vfork_crash_*,
// traceme_vfork_signalmasked_crash_* and traceme_vfork_signalignored_crash_*
// for its five crashes (raw.VforkCrashes: the child faults in its step
// loop, or jumps to the trigger of the trap, ill and fpe crashes).
func TestTracemeVforkCrash(t *testing.T) {
	for _, st := range crashSetups {
		for _, name := range raw.VforkCrashes {
			atfshim.RunSub(t, "traceme_vfork_"+st.ident+"crash_"+name, func(t *atfshim.T) {
				rule, ok := vforkCrashRules[runtime.GOOS]
				if !ok {
					t.Fatalf("no vfork-crash rule written down for %s", runtime.GOOS)
				}
				c, _ := raw.CrashByName(name)
				if why := raw.CrashUnsupported(c); why != "" {
					t.Skipf("%s", why)
				}
				expect.KnownBugs(t, vforkCrashFix)
				// The child dies at once where the kernel kills it: a few
				// seconds bound the wait for its status.
				tr := tracer.New(t, tracer.WithWaitTimeout(vforkCrashWait))
				tr.Pass(syscall.SIGCHLD) // the child's death signal to the scenario is not an event
				// Its own group: the stopped child is killed with it.
				p := tr.SpawnLeader("vfork_crash_" + name + st.scenario)
				tr.Cont(p.Pid, 0)
				if rule.hangs {
					if p.ReportedWithin("child_status", hangWindow) {
						t.Fatalf("the vfork parent collected its crashed child (status %s); this kernel stops the child for its sleeping tracer", p.Report("child_status"))
					}
					// Kill the scenario's group (it and the stopped child).
					syscall.Kill(-p.Pid, syscall.SIGKILL)
					expect.Same(t, "the hung vfork parent, killed", tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}, tr.Wait(p.Pid))
					return
				}
				// WTERMSIG = the signal, WCOREFLAG (0x80) iff the core rule
				// promises a dump for the setting the child inherited.
				var cs raw.CoreSetting
				if err := json.Unmarshal([]byte(p.Report("core")), &cs); err != nil {
					t.Fatalf("tracee core setting %q: %v", p.Report("core"), err)
				}
				core, coreWhy := coreRules[runtime.GOOS](cs)
				want, with := int(c.Sig), "without a core"
				if core {
					want, with = want|0x80, "with a core"
				}
				got := p.ReportInt("child_status")
				if coreWhy != "" {
					t.Logf("WCOREDUMP not checked: the core rule cannot be stated here: %s", coreWhy)
					want, with = want|got&0x80, "WCOREDUMP not checked"
				}
				if got != want {
					t.Errorf("the crashed vfork child's wait status is %#x, want %#x (killed by %s, %s)", got, want, tracer.SignalName(int(c.Sig)), with)
				}
				expect.Same(t, fmt.Sprintf("the vfork parent must exit %d", scenarioExit), tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
			})
		}
	}
}
