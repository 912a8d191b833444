package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// The test binary is picotrace too: with asMainEnv set it runs picotrace's
// main on its arguments, handing scenarioEnv on to the command it traces
// (the test binary again) as the tracee scenario to run.
const (
	asMainEnv   = "PICOTRACE_TEST_AS_MAIN"
	scenarioEnv = "PICOTRACE_TEST_SCENARIO"
)

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) != "" {
		os.Unsetenv(asMainEnv)
		if s := os.Getenv(scenarioEnv); s != "" {
			os.Unsetenv(scenarioEnv)
			os.Setenv(tracee.EnvScenario, s)
		}
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	tracee.RunIfRequested()
	os.Exit(m.Run())
}

// The fixed scenario: a raised signal, a fork whose child exits 7, a vfork
// whose child execs sh -c 'exit 4', exit 5. The crash scenario dies of a
// load from an unmapped page; the sleeper runs until it is killed.
func init() {
	tracee.Register("picotrace_fixed", func(c *tracee.Ctx) int {
		c.Check("ignore SIGUSR1", raw.IgnoreSignal(int(unix.SIGUSR1)))
		c.Check("raise SIGUSR1", raw.RaiseSelf(int(unix.SIGUSR1)))
		pid, err := raw.ForkExit(7)
		c.Check("fork", err)
		_, err = raw.WaitExit(pid)
		c.Check("wait for the fork child", err)
		pid, err = raw.VforkExec("/bin/sh", []string{"sh", "-c", "exit 4"}, os.Environ())
		c.Check("vfork and exec", err)
		_, err = raw.WaitExit(pid)
		c.Check("wait for the vfork child", err)
		return 5
	})
	tracee.Register("picotrace_crash", func(c *tracee.Ctx) int {
		c.Check("SIG_DFL for SIGSEGV", raw.DefaultSignal(int(unix.SIGSEGV)))
		_, err := raw.PrepareCore(os.TempDir())
		c.Check("prepare the core", err)
		cr, _ := raw.CrashByName("segv")
		c.Check("crash", cr.Trigger())
		return 0
	})
	tracee.Register("picotrace_sleeper", func(c *tracee.Ctx) int {
		for {
			unix.Getpid()
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// picotrace runs picotrace with args, tracing scenario (if not ""); it
// returns its exit status, stdout and stderr.
func picotrace(t *testing.T, scenario string, args ...string) (int, string, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.WaitDelay = time.Second
	cmd.Env = append(os.Environ(), asMainEnv+"=1", scenarioEnv+"="+scenario, "GODEBUG=asyncpreemptoff=1", "TMPDIR="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("picotrace %v: %v", args, err)
	}
	return code, stdout.String(), stderr.String()
}

// line is one record: pid lwp exename event extra.
type line struct{ pid, lwp, exe, event, extra string }

func parseRecords(t *testing.T, out string) []line {
	t.Helper()
	var ls []line
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		f := strings.SplitN(l, " ", 5)
		if len(f) < 4 {
			t.Fatalf("record %q: fewer than 4 columns", l)
		}
		if len(f) == 4 {
			f = append(f, "")
		}
		ls = append(ls, line{f[0], f[1], f[2], f[3], f[4]})
	}
	return ls
}

// compared are the events held to exact expectations. Left out: system
// calls (the Go runtime's own), the environment and auxv (checked apart),
// the runtime's threads (LWP_*), and SIGCHLD, which the kernel sends to
// whichever thread of the parent and may merge.
var compared = map[string]bool{evExec: true, evArgv: true, evForked: true, evVforked: true, evVforkDone: true,
	evSpawned: true, evSignaled: true, evStopped: true, evContinued: true, evCrashed: true, evExited: true}

// roles renames pids by role (root, then the pid each creation record
// names, by its event) and the test binary to EXE, and keeps the compared
// events, per role in order.
func roles(t *testing.T, ls []line) map[string][]string {
	t.Helper()
	exe, _ := os.Executable()
	name := map[string]string{ls[0].pid: "root"}
	for _, l := range ls {
		switch l.event {
		case evForked:
			name[l.extra] = "forkee"
		case evVforked:
			name[l.extra] = "vforkee"
		}
	}
	out := map[string][]string{}
	for _, l := range ls {
		if !compared[l.event] || l.event == evSignaled && strings.HasPrefix(l.extra, "SIGCHLD ") {
			continue
		}
		who, ok := name[l.pid]
		if !ok {
			t.Errorf("record of pid %s, which no creation record named: %v", l.pid, l)
			continue
		}
		lwp := "0"
		if l.lwp != "0" {
			lwp = "L"
		}
		ex := l.exe
		if ex == filepath.Base(exe) {
			ex = "EXE"
		}
		extra := strings.ReplaceAll(l.extra, exe, "EXE")
		if n, ok := name[extra]; ok {
			extra = n
		}
		out[who] = append(out[who], strings.Join([]string{lwp, ex, l.event, extra}, " "))
	}
	return out
}

// raiseCode is the si_code of a signal an LWP sends itself.
var raiseCode = map[string]string{"linux": "SI_TKILL", "netbsd": "SI_LWP"}

func TestFixedScenario(t *testing.T) {
	sh, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		t.Fatal(err)
	}
	shExe := filepath.Base(sh)
	root := []string{
		"0 EXE EXEC EXE", `0 EXE ARGV 0 "EXE"`, "L EXE SIGNALED SIGUSR1 " + raiseCode[runtime.GOOS],
		"0 EXE FORKED forkee", "0 EXE VFORKED vforkee", "0 EXE VFORK_DONE vforkee", "0 EXE EXITED status 5",
	}
	inherited := map[string][]string{
		"root":   root,
		"forkee": {"0 EXE EXITED status 7"},
		"vforkee": {"0 " + shExe + " EXEC " + sh, "0 " + shExe + ` ARGV 0 "sh"`, "0 " + shExe + ` ARGV 1 "-c"`,
			"0 " + shExe + ` ARGV 2 "exit 4"`, "0 " + shExe + " EXITED status 4"},
	}
	for _, c := range []struct {
		name string
		args []string
		want map[string][]string
	}{
		{"no_i", nil, map[string][]string{"root": {root[0], root[1], root[2], root[6]}}},
		{"i", []string{"-i"}, inherited},
		// -k: the same records, and no promise broken (stderr empty).
		{"i_k", []string{"-i", "-k"}, inherited},
	} {
		t.Run(c.name, func(t *testing.T) {
			exe, _ := os.Executable()
			out := filepath.Join(t.TempDir(), "trace")
			code, stdout, stderr := picotrace(t, "picotrace_fixed", append(append(c.args, "-o", out), exe)...)
			if code != 5 || stderr != "" {
				t.Fatalf("picotrace: exit %d, want the command's 5; stderr %q; stdout %q", code, stderr, stdout)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			ls := parseRecords(t, string(b))
			if d := cmp.Diff(c.want, roles(t, ls)); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
			checkStart(t, ls, "root", "picotrace_fixed")
			checkCalls(t, ls, c.name != "no_i")
		})
	}
}

// checkStart: the root's start records its environment and auxv.
func checkStart(t *testing.T, ls []line, who, scenario string) {
	t.Helper()
	var env, pagesz bool
	for _, l := range ls {
		if l.pid != ls[0].pid {
			continue
		}
		env = env || l.event == evEnv && strings.HasSuffix(l.extra, strconv.Quote(tracee.EnvScenario+"="+scenario))
		pagesz = pagesz || l.event == evAuxv && l.extra == fmt.Sprintf("AT_PAGESZ %#x", os.Getpagesize())
	}
	if !env {
		t.Errorf("%s: no ENV record of %s=%s", who, tracee.EnvScenario, scenario)
	}
	if !pagesz {
		t.Errorf("%s: no AUXV record AT_PAGESZ %#x", who, os.Getpagesize())
	}
}

// sysRecord is "name (number)" and arguments, or "name (number) = ...".
var sysRecord = regexp.MustCompile(`^[a-z_0-9]+ \([0-9]+\)( 0x[0-9a-f]+)+$|^[a-z_0-9]+ \([0-9]+\) = -?[0-9]+(, -?[0-9]+)?$|^[a-z_0-9]+ \([0-9]+\) = -1 E[A-Z0-9_]+ \([0-9]+\)$`)

// checkCalls: every system call record names its call; with -i the fork
// child's one call, exit, is there.
func checkCalls(t *testing.T, ls []line, inherit bool) {
	t.Helper()
	var calls, childExit int
	forkee := ""
	for _, l := range ls {
		if l.event == evForked {
			forkee = l.extra
		}
		if l.event != evSCE && l.event != evSCX {
			continue
		}
		calls++
		if !sysRecord.MatchString(l.extra) {
			t.Errorf("system call record without a name or malformed: %v", l)
		}
		if l.pid == forkee && l.event == evSCE && strings.HasPrefix(l.extra, "exit (") {
			childExit++
		}
	}
	if calls == 0 {
		t.Errorf("no system call records")
	}
	if inherit && childExit != 1 {
		t.Errorf("the fork child's records have %d SCE exit, want 1", childExit)
	}
}

func TestCrash(t *testing.T) {
	exe, _ := os.Executable()
	out := filepath.Join(t.TempDir(), "trace")
	code, _, stderr := picotrace(t, "picotrace_crash", "-o", out, exe)
	if code != 128+int(unix.SIGSEGV) || stderr != "" {
		t.Fatalf("picotrace: exit %d, want 128+SIGSEGV; stderr %q", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := roles(t, parseRecords(t, string(b)))["root"]
	// The fault address is the page the scenario unmapped; the core bit
	// is the kernel's core rule (tests/siginfo holds it).
	crash := regexp.MustCompile(`^L EXE CRASHED SIGSEGV SEGV_MAPERR addr (0x[0-9a-f]+)$`)
	if len(got) != 4 || got[0] != "0 EXE EXEC EXE" || !crash.MatchString(got[2]) ||
		!regexp.MustCompile(`^0 EXE EXITED signal SIGSEGV core (true|false)$`).MatchString(got[3]) {
		t.Fatalf("records %q, want EXEC, ARGV, CRASHED SIGSEGV SEGV_MAPERR addr A, EXITED signal SIGSEGV", got)
	}
	addr, _ := strconv.ParseUint(crash.FindStringSubmatch(got[2])[1][2:], 16, 64)
	if addr == 0 || addr%uint64(os.Getpagesize()) != 0 {
		t.Errorf("fault address %#x: want the unmapped page", addr)
	}
}

// TestAttachDetach: -p traces a running process; SIGINT detaches and
// leaves it running untraced.
func TestAttachDetach(t *testing.T) {
	exe, _ := os.Executable()
	sleeper := exec.Command(exe)
	sleeper.Env = append(os.Environ(), tracee.EnvScenario+"=picotrace_sleeper", "GODEBUG=asyncpreemptoff=1")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	out := filepath.Join(t.TempDir(), "trace")
	pt := exec.Command(exe, "-i", "-o", out, "-p", strconv.Itoa(sleeper.Process.Pid))
	pt.Env = append(os.Environ(), asMainEnv+"=1")
	var stderr bytes.Buffer
	pt.Stderr = &stderr
	if err := pt.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- pt.Wait() }()
	ended := false
	defer func() {
		if !ended {
			pt.Process.Kill()
			<-exited
		}
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(out)
		if strings.Contains(string(b), " "+evAuxv+" AT_NULL ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("picotrace -p recorded no start within 5 s: %q (stderr %q)", b, stderr.String())
		}
	}
	time.Sleep(200 * time.Millisecond) // a few of its calls traced
	pt.Process.Signal(syscall.SIGINT)
	select {
	case err := <-exited:
		ended = true
		if err != nil || stderr.Len() != 0 {
			t.Fatalf("picotrace -p after SIGINT: %v, stderr %q; want exit 0", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("picotrace -p did not end within 5 s of SIGINT")
	}
	time.Sleep(100 * time.Millisecond)
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", sleeper.Process.Pid))
	if runtime.GOOS == "linux" {
		if err != nil {
			t.Fatalf("the process is gone after the detach: %v", err)
		}
		if !regexp.MustCompile(`(?m)^TracerPid:\s+0$`).Match(st) || regexp.MustCompile(`(?m)^State:\s+[tT]`).Match(st) {
			t.Fatalf("after the detach the process is still traced or stopped:\n%s", st)
		}
	}
	if err := sleeper.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("the process is gone after the detach: %v", err)
	}
	b, _ := os.ReadFile(out)
	ls := parseRecords(t, string(b))
	if ls[0].event != evArgv {
		t.Errorf("the first record of an attach is %v, want its ARGV", ls[0])
	}
	checkStart(t, ls, "attached", "picotrace_sleeper")
	checkCalls(t, ls, false)
}

// TestBadInput: bad argv and an unwritable OUTPUT get one line on stderr
// and exit 2, and run nothing.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	cmd := []string{"sh", "-c", "touch " + marker}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no_command", nil, "picotrace: no command and no -p PID ("},
		{"unknown_flag", []string{"-x"}, "picotrace: flag provided but not defined: -x ("},
		{"pid_not_a_number", []string{"-p", "abc"}, `picotrace: -p "abc": not a process id (`},
		{"pid_init", []string{"-p", "1"}, "picotrace: -p 1: init: not a process picotrace traces ("},
		{"pid_and_command", append([]string{"-p", "4242"}, cmd...), "picotrace: -p and a command are mutually exclusive ("},
		{"no_such_command", []string{filepath.Join(dir, "nosuch")}, "picotrace: " + filepath.Join(dir, "nosuch") + ": no such file or directory"},
		{"output_in_missing_dir", append([]string{"-o", filepath.Join(dir, "no", "trace")}, cmd...), "picotrace: -o " + filepath.Join(dir, "no", "trace") + ": no such file or directory"},
		{"output_is_a_dir", append([]string{"-o", dir}, cmd...), "picotrace: -o " + dir + ": is a directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := picotrace(t, "", c.args...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, c.want) {
				t.Errorf("picotrace %q: exit %d, stdout %q, stderr %q; want exit 2 and one line starting %q", c.args, code, stdout, stderr, c.want)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("picotrace %q ran the command", c.args)
			}
		})
	}
}
