package tracer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

const helperEnv = "TRACER_TEST_HELPER"

// TestHelperEnd is run in a child test binary by TestCleanupGuarantee: it
// starts a traced sleeper and a launcher with an untraced grandchild,
// writes their pids to a file, and ends the way $TRACER_TEST_HELPER says.
func TestHelperEnd(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper for TestCleanupGuarantee")
	}
	if os.Getenv("TRACER_TEST_NETS") == "off" {
		tracer.SetSafetyNets(false)
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
// started or learned of is killed and reaped — with Linux's safety nets
// (PR_SET_PDEATHSIG, PTRACE_O_EXITKILL) and without them, where killAll
// and reapAll alone do it, as on NetBSD, which has no such nets.
func TestCleanupGuarantee(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Orphans of the helper come to this process, so a leftover is ours
	// to check, kill and reap.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Fatalf("PR_SET_CHILD_SUBREAPER: %v", err)
	}
	for _, nets := range []string{"on", "off"} {
		for _, mode := range []string{"pass", "fatal", "panic", "timeout"} {
			t.Run("nets_"+nets+"/"+mode, func(t *testing.T) {
				pidfile := t.TempDir() + "/pids"
				// A helper whose cleanup does not work may hang (its timed
				// out wait returns only when killAll kills the tracee).
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, exe, "-test.run=^TestHelperEnd$", "-test.v=true")
				cmd.WaitDelay = time.Second
				// The helper's temporary directories go where this test
				// removes them, even if the helper is killed.
				cmd.Env = append(os.Environ(), helperEnv+"="+mode, "TRACER_TEST_PIDS="+pidfile, "TRACER_TEST_NETS="+nets, "TMPDIR="+t.TempDir())
				out, err := cmd.CombinedOutput()
				if (err == nil) != (mode == "pass") {
					t.Logf("helper output:\n%s", out)
					t.Errorf("helper ending by %s: exit %v, want %s", mode, err, map[bool]string{true: "success", false: "failure"}[mode == "pass"])
				}
				if mode == "timeout" && !strings.Contains(string(out), "no report within 1s of") {
					t.Logf("helper output:\n%s", out)
					t.Errorf("a wait that times out must say what it awaited (no report within 1s of …)")
				}
				b, err := os.ReadFile(pidfile)
				if err != nil {
					t.Fatalf("helper wrote no pids: %v", err)
				}
				var pids []int
				for _, f := range strings.Fields(string(b)) {
					pid, _ := strconv.Atoi(f)
					pids = append(pids, pid)
				}
				deadline := time.Now().Add(time.Second)
				for _, pid := range pids {
					for alive(pid) && time.Now().Before(deadline) {
						time.Sleep(10 * time.Millisecond)
					}
				}
				for _, pid := range pids {
					if alive(pid) {
						t.Errorf("safety nets %s, helper ending by %s: process %d was left behind: the tracer's cleanup did not kill and reap it", nets, mode, pid)
						if ppid, _ := parentOf(pid); ppid == os.Getpid() {
							syscall.Kill(pid, syscall.SIGKILL) // an orphan of the helper, reparented to us
						}
					}
				}
				reapOrphans()
			})
		}
	}
}

// alive: the process exists and is not a zombie (a zombie orphan of the
// helper is reaped by reapOrphans).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}

func parentOf(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return strconv.Atoi(f[1])
}

func reapOrphans() {
	for {
		var ws unix.WaitStatus
		if pid, err := unix.Wait4(-1, &ws, unix.WNOHANG|unix.WALL, nil); pid <= 0 || err != nil {
			return
		}
	}
}
