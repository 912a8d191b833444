package lwp

import (
	"strings"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// eventBits are NetBSD's eventmask_preserved_* masks, plus all of them at
// once.
var eventBits = []struct {
	name string
	mask tracer.Mask
}{
	{"empty", 0},
	{"fork", tracer.MaskFork},
	{"vfork", tracer.MaskVfork},
	{"vfork_done", tracer.MaskVforkDone},
	{"lwp_create", tracer.MaskLwpCreate},
	{"lwp_exit", tracer.MaskLwpExit},
	{"posix_spawn", tracer.MaskSpawn},
	{"all", tracer.MaskFork | tracer.MaskVfork | tracer.MaskVforkDone | tracer.MaskLwpCreate | tracer.MaskLwpExit | tracer.MaskSpawn},
}

// maskEffects is, per kernel, the event each bit makes the process itself
// report when the probe scenario forks, vforks and creates an LWP; the
// effect is how a kernel without a read-back request (Linux has no
// PTRACE_GETOPTIONS) shows that the options it was given are in effect.
// POSIX_SPAWN has no probe (the probe does not spawn).
var maskEffects = map[string]map[tracer.Mask]tracer.Kind{
	"netbsd": {tracer.MaskFork: tracer.Fork, tracer.MaskVfork: tracer.Vfork, tracer.MaskVforkDone: tracer.VforkDone,
		tracer.MaskLwpCreate: tracer.LwpCreate, tracer.MaskLwpExit: tracer.LwpExit},
	"linux": {tracer.MaskFork: tracer.Fork, tracer.MaskVfork: tracer.Vfork, tracer.MaskVforkDone: tracer.VforkDone,
		tracer.MaskLwpCreate: tracer.Clone, tracer.MaskLwpExit: tracer.ExitEvent},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("eventmask_preserved_*", "the event each bit makes the probe (fork, vfork, one LWP) report", "maskEffects",
		func(k string) string {
			var s []string
			for _, b := range eventBits {
				if kind, ok := maskEffects[k][b.mask]; ok {
					s = append(s, b.mask.On(k)+": "+kind.On(k))
				}
			}
			return strings.Join(s, "; ")
		})}
})

func init() {
	for _, b := range eventBits {
		atfshim.DeclareSub(TestEventmaskPreserved, "eventmask_preserved_"+b.name, atfshim.Meta{
			Descr:   "PT_SET_EVENT_MASK " + b.mask.String() + " then PT_GET_EVENT_MASK returns the same bits, and each bit set (and only those) shows its event when the tracee forks, vforks and creates an LWP",
			Timeout: caseTimeout,
		})
	}
}

// TestEventmaskPreserved: NetBSD's eventmask_preserved_*. A debugger that
// sets an event mask must get it back unchanged, and the kernel must act
// on exactly those bits.
func TestEventmaskPreserved(t *testing.T) {
	for _, b := range eventBits {
		atfshim.RunSub(t, "eventmask_preserved_"+b.name, func(t *atfshim.T) {
			effects := kernelData(t, "event-mask expectations", maskEffects)
			m := b.mask
			rules(t).gateExit(t, m)
			if m&tracer.MaskVforkDone != 0 {
				expect.VforkDoneQueued.Gate(t)
			}
			if u, why := tracer.Unsupported(m); u != 0 {
				if m == u {
					t.Skipf("this kernel has no event for %v: %s", u, why)
				}
				m &^= u
				t.Logf("%v dropped: this kernel has no event for it: %s", u, why)
			}
			tr := tracer.New(t)
			p := tr.Spawn("probe")
			tr.SetEventMask(p.Pid, m)
			if got, ok := tr.EventMask(p.Pid); ok && got != m {
				t.Errorf("PT_GET_EVENT_MASK after PT_SET_EVENT_MASK %v returned %v", m, got)
			} else if !ok {
				t.Logf("this kernel cannot read the event mask back; checking its effect only")
			}
			tr.Cont(p.Pid, 0)
			trace := tr.Follow(p.Pid, nil)
			seen := map[tracer.Kind]bool{}
			for _, ev := range trace.ByPid[p.Pid] {
				seen[ev.Kind] = true
			}
			for bit, kind := range effects {
				if want := m&bit != 0; seen[kind] != want {
					t.Errorf("event mask %v: the process reported %v: %v, want %v (its reports: %v)", m, kind, seen[kind], want, trace.ByPid[p.Pid])
				}
			}
			tr.ExpectNoChildren(p.Pid)
		})
	}
}
