package expect

import (
	"syscall"
	"testing"

	"ptracesuite/internal/tracer"
)

// NetBSD's bit matrix of fork1..16 (t_ptrace_fork_wait.h).
func TestMaskN(t *testing.T) {
	f, v, d, s := tracer.MaskFork, tracer.MaskVfork, tracer.MaskVforkDone, tracer.MaskSpawn
	want := []tracer.Mask{0, f, v, f | v, d, f | d, v | d, f | v | d,
		s, s | f, s | v, s | f | v, s | d, s | f | d, s | v | d, s | f | v | d}
	for i, w := range want {
		if got := MaskN(i + 1); got != w {
			t.Errorf("MaskN(%d) = %v, want %v", i+1, got, w)
		}
	}
}

var vforkRule = Reporting{Kind: tracer.Vfork, Bit: tracer.MaskVfork, DoneBit: tracer.MaskVforkDone,
	ChildFirst: SameEvent(tracer.Vfork)}

func TestWantVforkDoneIndependentOfVfork(t *testing.T) {
	got := vforkRule.Want(tracer.MaskVforkDone, 10, 11)
	want := map[string][]tracer.Event{"parent": {{Kind: tracer.VforkDone, Other: 11}, {Kind: tracer.Exited, Status: ParentExit}}}
	if d := tracer.Diff(want, got); d != "" {
		t.Errorf("VFORK_DONE alone (-want +got):\n%s", d)
	}
}

func TestSurvivorWant(t *testing.T) {
	kill9 := tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}
	for _, c := range []struct {
		s           Survivor
		who         []tracer.Event
		childStatus int
	}{
		{Survivor{Act: tracer.KillIt, Who: "parent"}, []tracer.Event{{Kind: tracer.Vfork, Other: 11}, kill9}, 0},
		{Survivor{Act: tracer.KillIt, Who: "parent", At: tracer.VforkDone},
			[]tracer.Event{{Kind: tracer.Vfork, Other: 11}, {Kind: tracer.VforkDone, Other: 11}, kill9}, 0},
		{Survivor{Act: tracer.DetachIt, Who: "parent"},
			[]tracer.Event{{Kind: tracer.Vfork, Other: 11}, {Kind: tracer.Exited, Status: ParentExit}}, 0},
		{Survivor{Act: tracer.DetachIt, Who: "child"}, []tracer.Event{{Kind: tracer.Vfork, Other: 10}}, 0},
		{Survivor{Act: tracer.KillIt, Who: "child"}, []tracer.Event{{Kind: tracer.Vfork, Other: 10}, kill9}, int(syscall.SIGKILL)},
	} {
		w, st := c.s.Want(vforkRule, 10, 11)
		if d := tracer.Diff(c.who, w[c.s.Who]); d != "" || st != c.childStatus {
			t.Errorf("%+v: status %d (want %d), log (-want +got):\n%s", c.s, st, c.childStatus, d)
		}
	}
}
