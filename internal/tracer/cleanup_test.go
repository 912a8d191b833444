package tracer_test

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
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

const helperEnv = "TRACER_TEST_HELPER"

// TestHelperEnd is run in a child test binary by TestCleanupGuarantee: it
// starts a traced sleeper and a launcher with an untraced grandchild,
// writes their pids to a file, and ends the way $TRACER_TEST_HELPER says.
func TestHelperEnd(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper for TestCleanupGuarantee")
	}
	tr := tracer.New(t, tracer.WithWaitTimeout(time.Second))
	p := tr.Spawn("sleeper")
	tr.Cont(p.Pid, 0)
	l := tr.Start("launch", tracee.EnvTarget+"=sleeper_untraced")
	target := l.ReportInt("target")
	tr.Adopt(target, "untraced grandchild")
	l.Report("awaiting_go")
	pids := fmt.Sprintf("%d %d %d", p.Pid, l.Pid, target)
	if err := os.WriteFile(os.Getenv("TRACER_TEST_PIDS"), []byte(pids), 0o644); err != nil {
		t.Fatal(err)
	}
	switch mode {
	case "pass":
	case "fatal":
		t.Fatal("ending the test with t.Fatal")
	case "panic":
		panic("ending the test with a panic")
	case "timeout":
		tr.Wait(p.Pid) // the sleeper never reports again: the wait times out
	}
}

// TestCleanupGuarantee: however a test ends, every process its tracer
// started or learned of is killed and reaped.
func TestCleanupGuarantee(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"pass", "fatal", "panic", "timeout"} {
		t.Run(mode, func(t *testing.T) {
			pidfile := t.TempDir() + "/pids"
			cmd := exec.Command(exe, "-test.run=^TestHelperEnd$", "-test.v=true")
			cmd.Env = append(os.Environ(), helperEnv+"="+mode, "TRACER_TEST_PIDS="+pidfile)
			out, err := cmd.CombinedOutput()
			if (err == nil) != (mode == "pass") {
				t.Errorf("helper ending by %s: exit %v, want %s\n%s", mode, err, map[bool]string{true: "success", false: "failure"}[mode == "pass"], out)
			}
			if mode == "timeout" && !strings.Contains(string(out), "timed out after 1s") {
				t.Errorf("a wait that times out must say so:\n%s", out)
			}
			b, err := os.ReadFile(pidfile)
			if err != nil {
				t.Fatalf("helper wrote no pids: %v\n%s", err, out)
			}
			for _, f := range strings.Fields(string(b)) {
				pid, _ := strconv.Atoi(f)
				deadline := time.Now().Add(3 * time.Second)
				for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
				if syscall.Kill(pid, 0) == nil {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Errorf("helper ending by %s left process %d behind", mode, pid)
				}
			}
		})
	}
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
