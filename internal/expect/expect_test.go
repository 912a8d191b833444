package expect

import (
	"fmt"
	"slices"
	"strings"
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
	if line, full := RoleDiff(want, got); line != "" {
		t.Logf("(-want +got):\n%s", full)
		t.Errorf("VFORK_DONE alone: %s", line)
	}
}

func TestSurvivorWant(t *testing.T) {
	kill9 := tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}
	for _, c := range []struct {
		s           Survivor
		who         []tracer.Event
		childStatus int
		attach      bool
	}{
		{Survivor{Act: tracer.KillIt, Who: "parent"}, []tracer.Event{{Kind: tracer.Vfork, Other: 11}, kill9}, 0, false},
		{Survivor{Act: tracer.KillIt, Who: "parent", At: tracer.VforkDone},
			[]tracer.Event{{Kind: tracer.Vfork, Other: 11}, {Kind: tracer.VforkDone, Other: 11}, kill9}, 0, false},
		{Survivor{Act: tracer.DetachIt, Who: "parent"},
			[]tracer.Event{{Kind: tracer.Vfork, Other: 11}, {Kind: tracer.Exited, Status: ParentExit}}, 0, false},
		{Survivor{Act: tracer.DetachIt, Who: "child"}, []tracer.Event{{Kind: tracer.Vfork, Other: 10}}, 0, false},
		{Survivor{Act: tracer.KillIt, Who: "child"}, []tracer.Event{{Kind: tracer.Vfork, Other: 10}, kill9}, int(syscall.SIGKILL), false},
		// An unrelated tracer that detached never sees the parent again;
		// a killed parent still reports its death to it.
		{Survivor{Act: tracer.DetachIt, Who: "parent"}, []tracer.Event{{Kind: tracer.Vfork, Other: 11}}, 0, true},
		{Survivor{Act: tracer.KillIt, Who: "parent"}, []tracer.Event{{Kind: tracer.Vfork, Other: 11}, kill9}, 0, true},
	} {
		w, st := c.s.Want(vforkRule, 10, 11, c.attach)
		Same(t, fmt.Sprintf("%+v: the log", c.s), c.who, w[c.s.Who])
		if st != c.childStatus {
			t.Errorf("%+v: status %d, want %d", c.s, st, c.childStatus)
		}
	}
}

// recorder is a testing.TB that keeps what Same logs and reports.
type recorder struct {
	testing.TB
	logs, errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestSame(t *testing.T) {
	kill9 := tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}
	segv := tracer.Event{Kind: tracer.Stopped, Sig: int(syscall.SIGSEGV), Code: 1, Pid: 123}
	got9 := kill9
	got9.Pid, got9.Lwp = 123, 124

	r := &recorder{TB: t}
	if !Same(r, "PT_KILL at the crash stop", kill9, got9) || !Same(r, "log", []tracer.Event{kill9}, []tracer.Event{got9}) ||
		!Same(r, "empty", nil, []tracer.Event{}) {
		t.Errorf("Same failed on logs that differ only in who reported: %q", r.errs)
	}
	if len(r.logs)+len(r.errs) != 0 {
		t.Errorf("Same logged or failed on equal logs: %q %q", r.logs, r.errs)
	}

	for _, c := range []struct {
		ok   bool
		line string
	}{
		{Same(r, "PT_KILL at the crash stop", kill9, segv),
			"PT_KILL at the crash stop: want Killed(SIGKILL, core false), got Stopped(SIGSEGV, SEGV_MAPERR)@123"},
		{Same(r, "PT_KILL at the crash stop", []tracer.Event{kill9}, []tracer.Event{segv, got9}),
			"PT_KILL at the crash stop: want [Killed(SIGKILL, core false)], got [Stopped(SIGSEGV, SEGV_MAPERR)@123 Killed(SIGKILL, core false)@123]"},
	} {
		if c.ok {
			t.Errorf("Same passed where %q", c.line)
		}
	}
	want := []string{
		"PT_KILL at the crash stop: want Killed(SIGKILL, core false), got Stopped(SIGSEGV, SEGV_MAPERR)@123",
		"PT_KILL at the crash stop: want [Killed(SIGKILL, core false)], got [Stopped(SIGSEGV, SEGV_MAPERR)@123 Killed(SIGKILL, core false)@123]",
	}
	if !slices.Equal(r.errs, want) {
		t.Errorf("Same reasons:\n%q\nwant\n%q", r.errs, want)
	}
	for _, l := range r.logs {
		if !strings.Contains(l, "(-want +got):\n") {
			t.Errorf("Same did not log the go-cmp diff: %q", l)
		}
	}
}

func TestRoleDiffLine(t *testing.T) {
	exit5 := tracer.Event{Kind: tracer.Exited, Status: ParentExit}
	fork := tracer.Event{Kind: tracer.Fork, Other: 11, Pid: 10}
	for _, c := range []struct {
		want, got map[string][]tracer.Event
		line      string
	}{
		{map[string][]tracer.Event{"parent": {exit5}}, map[string][]tracer.Event{"parent": {exit5}}, ""},
		{map[string][]tracer.Event{"parent": {exit5}}, map[string][]tracer.Event{"parent": {fork, exit5}},
			"parent: want [Exited(5)], got [Fork(other 11) Exited(5)]"},
		{map[string][]tracer.Event{"parent": {exit5}}, map[string][]tracer.Event{"parent": {exit5}, "unexpected pid 11": {exit5}},
			"unexpected pid 11: want [], got [Exited(5)]"},
		// A role listed with no event differs from one not listed.
		{map[string][]tracer.Event{"parent": {exit5}}, map[string][]tracer.Event{"parent": {exit5}, "child": nil},
			"the roles differ only in one with an empty log"},
	} {
		line, full := RoleDiff(c.want, c.got)
		if line != c.line || (line == "") != (full == "") || strings.Contains(line, "\n") {
			t.Errorf("RoleDiff(%v, %v) = %q (diff %q), want %q", c.want, c.got, line, full, c.line)
		}
	}
}
