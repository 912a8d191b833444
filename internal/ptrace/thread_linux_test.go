package ptrace

import (
	"strings"
	"testing"
)

// Without syscall decoding the core tells entry from exit by alternation
// alone, per LWP: the same sequence of kinds as decoding gives, with no
// syscall number. It refuses to run the checks on such reports.
func TestBareSyscallStopsAlternate(t *testing.T) {
	if _, err := New(WithSyscallInfo(false)); err == nil || !strings.Contains(err.Error(), "needs WithChecks(false)") {
		t.Fatalf("New(WithSyscallInfo(false)) with the checks on: err %v, want one naming WithChecks(false)", err)
	}
	kinds := func(opts ...Option) (ks []Kind, sysnos []int) {
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
				if err != nil || ev.Terminal() {
					return
				}
				ks, sysnos = append(ks, ev.Kind), append(sysnos, ev.Sysno)
			}
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
