package tracer_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

func TestMain(m *testing.M) {
	tracee.RunIfRequested()
	os.Exit(m.Run())
}

// "sleeper" stops at its ready point and then never ends on its own;
// "sleeper_untraced" waits for a go that never comes (a launcher starts it,
// so it is the test process's grandchild and not traced).
func init() {
	tracee.Register("sleeper", func(c *tracee.Ctx) int {
		c.Ready()
		for {
			time.Sleep(time.Hour)
		}
	})
	tracee.Register("sleeper_untraced", func(c *tracee.Ctx) int {
		c.AwaitGo()
		return 0
	})
	tracee.Register("exit7", func(c *tracee.Ctx) int {
		c.Ready()
		return 7
	})
}

// TestFlavours: every flavour this kernel has collects a tracee's exit code;
// the ones it lacks say why.
func TestFlavours(t *testing.T) {
	for _, name := range tracer.FlavourNames {
		t.Run(name, func(t *testing.T) {
			f, err := tracer.FlavourByName(name)
			if err != nil {
				if !strings.Contains(err.Error(), "has no") {
					t.Errorf("a missing flavour must say which kernel lacks it: %v", err)
				}
				t.Skip(err)
			}
			tr := tracer.New(t, tracer.WithFlavour(f))
			p := tr.Spawn("exit7")
			tr.Cont(p.Pid, 0)
			if d := tracer.Diff(tracer.Event{Kind: tracer.Exited, Status: 7}, tr.Wait(p.Pid)); d != "" {
				t.Errorf("%s: (-want +got)\n%s", name, d)
			}
			tr.ExpectNoChildren(p.Pid)
		})
	}
}

func TestMaskString(t *testing.T) {
	for m, want := range map[tracer.Mask]string{
		0: "none", tracer.MaskFork: "FORK",
		tracer.MaskFork | tracer.MaskVforkDone | tracer.MaskSpawn: "FORK|VFORK_DONE|SPAWN",
	} {
		if got := m.String(); got != want {
			t.Errorf("Mask(%#x).String() = %q, want %q", uint32(m), got, want)
		}
	}
}
