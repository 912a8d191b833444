package ptrace

import (
	"strings"
	"testing"
)

// stepSh syscall-steps sh -c 'exit 0' to its end with a core made with
// opts (and the safety nets), calling each with every report but the last;
// each returns false to stop early.
func stepSh(t *testing.T, opts []Option, each func(tr *Tracer, th Thread, pid int, ev Event) bool) {
	t.Helper()
	tr, err := New(append([]Option{WithSafetyNets(true)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	tr.Loop(func(th Thread) {
		pid, _, err := tr.Spawn(Cmd{Path: "/bin/sh", Argv: []string{"sh", "-c", "exit 0"}, What: "sh"})
		if err != nil {
			t.Errorf("Spawn: %v", err)
			return
		}
		for {
			if err := th.Syscall(pid, 0); err != nil {
				t.Errorf("PT_SYSCALL: %v", err)
				return
			}
			ev, err := th.Wait(pid)
			if err != nil || ev.Terminal() || !each(tr, th, pid, ev) {
				return
			}
		}
	})
}

// Without syscall decoding the core tells entry from exit by alternation
// alone, per LWP: the same sequence of kinds as decoding gives, with no
// syscall number. It refuses to run the checks on such reports.
func TestBareSyscallStopsAlternate(t *testing.T) {
	if _, err := New(WithSyscallInfo(false)); err == nil || !strings.Contains(err.Error(), "needs WithChecks(false)") {
		t.Fatalf("New(WithSyscallInfo(false)) with the checks on: err %v, want one naming WithChecks(false)", err)
	}
	kinds := func(opts ...Option) (ks []Kind, sysnos []int) {
		stepSh(t, opts, func(_ *Tracer, _ Thread, _ int, ev Event) bool {
			ks, sysnos = append(ks, ev.Kind), append(sysnos, ev.Sysno)
			return true
		})
		return ks, sysnos
	}
	decoded, _ := kinds()
	bare, sysnos := kinds(WithChecks(false), WithSyscallInfo(false))
	if len(decoded) == 0 || len(decoded) != len(bare) {
		t.Fatalf("stops of sh -c 'exit 0': decoded %d, bare %d", len(decoded), len(bare))
	}
	for i := range decoded {
		if decoded[i] != bare[i] || sysnos[i] != -1 {
			t.Fatalf("stop %d: decoded %v, bare %v (sysno %d, want -1)", i, decoded[i], bare[i], sysnos[i])
		}
	}
}

// With reused reports, a report's Raw is valid until the next one; one the
// core keeps (Requeue) is a copy the next report does not overwrite, and
// the sequence of reports is the one fresh allocations give.
func TestReusedReportsAreKeptApart(t *testing.T) {
	steps := func(opts ...Option) (sysnos []int) {
		stepSh(t, append([]Option{WithChecks(false)}, opts...), func(tr *Tracer, th Thread, pid int, ev Event) bool {
			if ev.Kind != SyscallEntry {
				return true
			}
			var a [6]uint64
			copy(a[:], ev.Raw.Sys.Args[:6])
			// Put back and taken again: the kept copy, then a fresh
			// report must leave it as it was.
			tr.Requeue(ev)
			again, err := th.Wait(pid)
			if err != nil || again.Raw == ev.Raw && tr.reuse {
				t.Errorf("the requeued report came back as %v, %v, sharing the buffer %v", again, err, again.Raw == ev.Raw)
				return false
			}
			kept := again.Raw
			if err := th.Syscall(pid, 0); err != nil {
				t.Errorf("PT_SYSCALL: %v", err)
				return false
			}
			if next, err := th.Wait(pid); err != nil || next.Terminal() {
				return false
			}
			var b [6]uint64
			copy(b[:], kept.Sys.Args[:6])
			if a != b {
				t.Errorf("a requeued entry's arguments changed under the next report: %x, then %x", a, b)
			}
			sysnos = append(sysnos, ev.Sysno)
			return true
		})
		return sysnos
	}
	fs := steps()
	rs := steps(WithReusedReports(true))
	if len(fs) == 0 || len(fs) != len(rs) {
		t.Fatalf("entries of sh -c 'exit 0': fresh %d, reused %d", len(fs), len(rs))
	}
	for i := range fs {
		if fs[i] != rs[i] {
			t.Fatalf("entry %d: fresh sysno %d, reused %d", i, fs[i], rs[i])
		}
	}
}
