//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

// The test binary doubles as a fake ATF test program (when
// GUESTINIT_FAKE_ATF is set), so that the runner's kyua behaviour is tested
// for real on Linux: processes, sessions, timeouts, result files.
func TestMain(m *testing.M) {
	if os.Getenv("GUESTINIT_FAKE_ATF") == "1" {
		os.Exit(fakeATF(os.Args[1:]))
	}
	os.Exit(m.Run())
}

const fakeListing = `Content-Type: application/X-atf-tp; version="1"

ident: pass
timeout: 10

ident: fail_exit2
timeout: 10

ident: no_result
timeout: 10

ident: timeout
timeout: 1

ident: cleanup_bad
has.cleanup: true
timeout: 10

ident: needs_var
require.config: foo
timeout: 10

ident: env_check
timeout: 10

ident: group_child
timeout: 10

ident: chatty
timeout: 10
`

func fakeATF(args []string) int {
	var vars []string
	var result, ident string
	for _, a := range args {
		switch {
		case a == "-l":
			if os.Getenv("FAKE_LISTING_STDERR") == "1" {
				fmt.Fprintln(os.Stderr, "oops")
			}
			fmt.Print(fakeListing)
			return 0
		case strings.HasPrefix(a, "-v"):
			vars = append(vars, a[2:])
		case strings.HasPrefix(a, "-r"):
			result = a[2:]
		default:
			ident = a
		}
	}
	write := func(s string) { os.WriteFile(result, []byte(s+"\n"), 0o644) }
	switch ident {
	case "pass", "needs_var":
		write("passed")
	case "fail_exit2":
		write("failed: bad")
		return 2
	case "no_result":
		return 0
	case "timeout":
		time.Sleep(time.Hour)
	case "cleanup_bad":
		write("passed")
	case "cleanup_bad:cleanup":
		if _, err := os.Stat("marker"); err == nil { // the cleanup runs in the body's work dir
			return 1
		}
		return 0
	case "env_check":
		var bad []string
		wd, _ := os.Getwd()
		check := func(what string, ok bool) {
			if !ok {
				bad = append(bad, what)
			}
		}
		check("HOME", os.Getenv("HOME") == wd)
		check("TMPDIR", os.Getenv("TMPDIR") == wd)
		check("TZ", os.Getenv("TZ") == "UTC")
		check("LANG", os.Getenv("LANG") == "" && os.Getenv("LC_ALL") == "")
		check("marker", os.Getenv("__RUNNING_INSIDE_ATF_RUN") == "internal-yes-value")
		check("PATH", os.Getenv("PATH") == "/bin:/sbin")
		check("cwd", filepath.Base(wd) == "work" && filepath.Dir(wd) == filepath.Dir(result))
		check("session", syscall.Getpid() == mustGetsid())
		check("vars", strings.Join(vars, ";") == "a=1;foo=x y=z")
		fi, err := os.Stdin.Stat()
		check("stdin", err == nil && fi.Mode()&os.ModeCharDevice != 0)
		if len(bad) > 0 {
			write("failed: wrong " + strings.Join(bad, ", "))
			return 1
		}
		write("passed")
	case "group_child":
		cmd := exec.Command("sleep", "3600")
		cmd.Start()
		os.WriteFile(os.Getenv("FAKE_PIDFILE"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
		write("passed")
	case "chatty":
		for i := 0; i < 3000; i++ {
			fmt.Printf("line %d of output\n", i)
		}
		fmt.Fprintln(os.Stderr, "the error\x1b[0m")
		write("failed: chatty")
		return 1
	}
	if strings.HasSuffix(ident, "cleanup_bad") {
		os.WriteFile("marker", nil, 0o644)
	}
	return 0
}

func mustGetsid() int {
	sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
	return int(sid)
}

func runFake(t *testing.T, cases []string) map[string]bootproto.Frame {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GUESTINIT_FAKE_ATF", "1")
	t.Setenv("LANG", "de_DE.UTF-8")
	pidfile := filepath.Join(t.TempDir(), "pid")
	t.Setenv("FAKE_PIDFILE", pidfile)
	plan := &bootproto.Plan{Boot: 1, TimeoutScale: 1, Vars: []bootproto.Var{{Name: "a", Value: "1"}, {Name: "foo", Value: "x y=z"}},
		Programs: []bootproto.Program{{Name: "t_fake", Path: self, Cases: cases}}}
	results := map[string]bootproto.Frame{}
	var outs []bootproto.Frame
	r, err := NewRunner(plan, t.TempDir(), func(f bootproto.Frame) {
		// every frame must survive the console
		if _, ok, err := bootproto.ParseFrame(f.Line()); !ok || err != nil {
			t.Errorf("frame %q does not parse: %v", f.Line(), err)
		}
		switch f.Kind {
		case bootproto.KindResult:
			results[strings.TrimPrefix(f.Case, "t_fake:")] = f
		case bootproto.KindOut:
			outs = append(outs, f)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	r.RunPlan()
	if b, err := os.ReadFile(pidfile); err == nil {
		pid, _ := strconv.Atoi(string(b))
		var ws syscall.WaitStatus
		syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("the case's child %d survived the case", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if len(outs) > 0 {
		results["(out)"] = bootproto.Frame{Text: fmt.Sprint(len(outs)), Reason: outs[0].Text + "|" + outs[len(outs)-1].Text}
	}
	return results
}

func TestRunnerLikeKyua(t *testing.T) {
	all := []string{"pass", "fail_exit2", "no_result", "timeout", "cleanup_bad", "needs_var", "env_check", "group_child", "not_listed"}
	got := runFake(t, all)
	want := map[string][2]string{
		"pass":        {"passed", ""},
		"fail_exit2":  {"broken", "Failed test case should have reported failure but exited with code 2"},
		"no_result":   {"broken", "Premature exit; test case exited with code 0"},
		"timeout":     {"broken", "Test case body timed out"},
		"cleanup_bad": {"broken", "Test case cleanup did not terminate successfully"},
		"needs_var":   {"passed", ""},
		"env_check":   {"passed", ""},
		"group_child": {"passed", ""},
	}
	for id, w := range want {
		f, ok := got[id]
		if !ok || f.Category != w[0] || f.Reason != w[1] {
			t.Errorf("%s: got %s %q, want %s %q", id, f.Category, f.Reason, w[0], w[1])
		}
	}
	if _, ok := got["not_listed"]; ok {
		t.Error("a case the listing lacks must not run")
	}
	if f := got["timeout"]; f.Elapsed < time.Second || f.Elapsed > 5*time.Second {
		t.Errorf("timeout case took %v", f.Elapsed)
	}
}

func TestRunnerRequireConfig(t *testing.T) {
	self, _ := os.Executable()
	t.Setenv("GUESTINIT_FAKE_ATF", "1")
	plan := &bootproto.Plan{TimeoutScale: 1, Programs: []bootproto.Program{{Name: "t_fake", Path: self, Cases: []string{"needs_var"}}}}
	var res bootproto.Frame
	r, _ := NewRunner(plan, t.TempDir(), func(f bootproto.Frame) {
		if f.Kind == bootproto.KindResult {
			res = f
		}
	})
	r.RunPlan()
	if res.Category != "skipped" || res.Reason != "Required configuration property 'foo' not defined" {
		t.Errorf("got %+v", res)
	}
}

func TestRunnerOutputTail(t *testing.T) {
	got := runFake(t, []string{"chatty"})
	if got["chatty"].Category != "failed" {
		t.Fatalf("chatty: %+v", got["chatty"])
	}
	n, _ := strconv.Atoi(got["(out)"].Text)
	if n < 100 || n > 1000 {
		t.Errorf("%d output lines: the tail must be bounded", n)
	}
	if !strings.HasPrefix(got["(out)"].Reason, "[... ") || !strings.HasSuffix(got["(out)"].Reason, "the error\x1b[0m") {
		t.Errorf("tail: %q", got["(out)"].Reason)
	}
}

func TestRunnerListingFailure(t *testing.T) {
	t.Setenv("FAKE_LISTING_STDERR", "1")
	got := runFake(t, []string{"pass"})
	if f := got["pass"]; f.Category != "broken" || !strings.Contains(f.Reason, "Test case list wrote to stderr") {
		t.Errorf("got %+v", f)
	}
}

func TestRunnerUnlisted(t *testing.T) {
	self, _ := os.Executable()
	t.Setenv("GUESTINIT_FAKE_ATF", "1")
	plan := &bootproto.Plan{TimeoutScale: 1, Programs: []bootproto.Program{{Name: "t_fake", Path: self,
		Cases: []string{"pass", "gone"}, Expected: []string{"pass", "gone", "timeout", "fail_exit2", "no_result", "cleanup_bad", "needs_var", "env_check", "group_child"},
		Unlisted: []string{"ch*"}}}}
	var frames []bootproto.Frame
	r, _ := NewRunner(plan, t.TempDir(), func(f bootproto.Frame) { frames = append(frames, f) })
	r.RunPlan()
	l := frames[0]
	if l.Kind != bootproto.KindListing || l.Listing != "differs" || strings.Join(l.OnlyGuest, ",") != "chatty" || strings.Join(l.OnlyHost, ",") != "gone" {
		t.Errorf("listing frame %+v", l)
	}
	var ran []string
	for _, f := range frames {
		if f.Kind == bootproto.KindStart {
			ran = append(ran, f.Case)
		}
	}
	if strings.Join(ran, ",") != "t_fake:pass,t_fake:chatty" {
		t.Errorf("ran %v", ran)
	}
}

// A process that survives SIGKILL is named once and not waited for again.
func TestReapStuckProcess(t *testing.T) {
	proc := t.TempDir()
	stuck := exec.Command("sleep", "3600")
	if err := stuck.Start(); err != nil {
		t.Fatal(err)
	}
	defer stuck.Process.Kill()
	os.Mkdir(filepath.Join(proc, strconv.Itoa(stuck.Process.Pid)), 0o755)
	os.Mkdir(filepath.Join(proc, "curproc"), 0o755)
	var said []string
	r := &Runner{IsInit: true, reapWait: 200 * time.Millisecond, procDir: proc,
		killAll: func() {}, say: func(s string) { said = append(said, s) }}
	start := time.Now()
	r.reapLeftovers(0)
	if len(said) != 1 || !strings.Contains(said[0], fmt.Sprintf("[%d]", stuck.Process.Pid)) {
		t.Errorf("said %q", said)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Error("did not wait for the process")
	}
	start = time.Now()
	r.reapLeftovers(0)
	if len(said) != 1 || time.Since(start) > 100*time.Millisecond {
		t.Errorf("waited again for a known survivor (%v): %q", time.Since(start), said)
	}
}
