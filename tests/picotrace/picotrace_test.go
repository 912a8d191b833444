// Package picotrace is the ATF program t_picotrace: picotrace (cmd/picotrace,
// internal/picotrace) as a tracer outside the tests, on this kernel. It
// traces a fixed tracee scenario (a raised signal, a fork, a vfork whose
// child execs sh, exit 5), a crash and a running process it attaches to and
// detaches from, and compares its records with the exact expected ones per
// kernel; bad argv and an unwritable -o give one line and exit 2.
package picotrace

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

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/picotrace"
	"ptracesuite/internal/ptrace"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// The test binary is picotrace too: with asMainEnv set it runs picotrace's
// main on its arguments, handing scenarioEnv on to the command it traces
// (the test binary again) as the tracee scenario to run.
const (
	asMainEnv   = "PICOTRACE_TEST_AS_MAIN"
	scenarioEnv = "PICOTRACE_TEST_SCENARIO"
	markerEnv   = "PICOTRACE_TEST_MARKER"
)

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) != "" {
		os.Unsetenv(asMainEnv)
		if s := os.Getenv(scenarioEnv); s != "" {
			os.Unsetenv(scenarioEnv)
			os.Setenv(tracee.EnvScenario, s)
		}
		os.Exit(picotrace.Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	tracee.RunIfRequested()
	semantics.DumpIfRequested()
	atfshim.Main(m)
}

// caseTimeout bounds each case: picotrace runs its command under 30 s.
const caseTimeout = 60 * time.Second

func init() {
	for _, c := range fixedCases {
		atfshim.DeclareSub(TestFixedScenario, c.ident, atfshim.Meta{Descr: c.descr, Timeout: caseTimeout})
	}
	atfshim.Declare(TestCrash, atfshim.Meta{Timeout: caseTimeout,
		Descr: "picotrace on a process that dies of SIGSEGV: CRASHED SIGSEGV SEGV_MAPERR with the unmapped page's address, EXITED signal SIGSEGV, exit status 128+SIGSEGV"})
	atfshim.Declare(TestAttachDetach, atfshim.Meta{Timeout: caseTimeout,
		Descr: "picotrace -i -p PID records a running process's start and calls; SIGINT detaches and leaves it running untraced, picotrace exits 0"})
	atfshim.Declare(TestBadInput, atfshim.Meta{Timeout: caseTimeout,
		Descr: "bad argv and an unwritable -o OUTPUT: one line on stderr, exit 2, nothing run"})
}

// The fixed scenario: a raised signal, a fork whose child exits 7, a vfork
// whose child execs this binary again as picotrace_exit4 (every system
// has it, NetBSD's qemu lab has no /bin/sh), exit 5. The crash scenario
// dies of a load from an unmapped page; the sleeper runs until it is
// killed; picotrace_touch creates the file $PICOTRACE_TEST_MARKER.
func init() {
	tracee.Register("picotrace_fixed", func(c *tracee.Ctx) int {
		c.Check("ignore SIGUSR1", raw.IgnoreSignal(int(unix.SIGUSR1)))
		c.Check("raise SIGUSR1", raw.RaiseSelf(int(unix.SIGUSR1)))
		pid, err := raw.ForkExit(7)
		c.Check("fork", err)
		_, err = raw.WaitExit(pid)
		c.Check("wait for the fork child", err)
		exe, err := os.Executable()
		c.Check("the test binary's path", err)
		pid, err = raw.VforkExec(exe, []string{"exit4"}, withScenario(os.Environ(), "picotrace_exit4"))
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
	tracee.Register("picotrace_exit4", func(*tracee.Ctx) int { return 4 })
	tracee.Register("picotrace_touch", func(c *tracee.Ctx) int {
		c.Check("create the marker", os.WriteFile(os.Getenv(markerEnv), nil, 0o644))
		return 0
	})
	tracee.Register("picotrace_sleeper", func(c *tracee.Ctx) int {
		for {
			unix.Getpid()
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// withScenario is env with the tracee scenario set to scenario, replacing
// the one env has (getenv takes the first).
func withScenario(env []string, scenario string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, tracee.EnvScenario+"=") {
			out = append(out, e)
		}
	}
	return append(out, tracee.EnvScenario+"="+scenario)
}

// runPicotrace runs picotrace with args, tracing scenario (if not ""); it
// returns its exit status, stdout and stderr. picotrace runs in a process
// group of its own, which its tracees inherit: if it does not end within
// picotraceTimeout the case fails naming where the kernel left each
// process its records name, and the group, this test's own, is killed.
func runPicotrace(t testing.TB, scenario string, args ...string) (int, string, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), picotraceTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// stdout is a file picotrace writes to itself: its records there
	// are flushed one by one, and read on a hang.
	stdoutFile, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer stdoutFile.Close()
	var hung, held string
	cmd.Cancel = func() error {
		hung, held = stateOfRecorded(args, stdoutFile.Name())
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = time.Second
	cmd.Env = append(os.Environ(), asMainEnv+"=1", scenarioEnv+"="+scenario, "GODEBUG=asyncpreemptoff=1", "TMPDIR="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdoutFile, &stderr
	err = cmd.Run()
	// Whatever picotrace left in its group (a tracee or an untraced
	// child of one, if it ended early) goes with it. The group is this
	// test's: its id, picotrace's pid, is not given to another process
	// while any member lives, and pids are handed out in turn, so the id
	// of a group already empty is not anyone's this soon.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if ctx.Err() != nil {
		tracer.KnownHang(t, held)
		t.Fatalf("picotrace %q did not end within %v: %s", args, picotraceTimeout, hung)
	}
	stdout, rerr := os.ReadFile(stdoutFile.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("picotrace %v: %v", args, err)
	}
	return code, string(stdout), stderr.String()
}

// picotraceTimeout bounds one picotrace run.
const picotraceTimeout = 20 * time.Second

// stateOfRecorded says where the kernel shows each process the records
// (in -o OUTPUT if args has it, else in stdout) name, and the last record
// of each; held is the first whose exit cannot finish (ptrace.ExitHeld).
func stateOfRecorded(args []string, stdout string) (line, held string) {
	out := stdout
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			out = args[i+1]
		}
	}
	b, _ := os.ReadFile(out)
	last := map[string]string{}
	var pids []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(l)
		if len(f) < 4 {
			continue
		}
		if _, ok := last[f[0]]; !ok {
			pids = append(pids, f[0])
		}
		last[f[0]] = l
	}
	if len(pids) == 0 {
		return "no records", ""
	}
	var parts []string
	for _, p := range pids {
		n, _ := strconv.Atoi(p)
		parts = append(parts, fmt.Sprintf("pid %s is %s, last record %q", p, ptrace.ProcState(n), last[p]))
		if h := ptrace.ExitHeld(n); h != "" && held == "" {
			held = h
		}
	}
	return strings.Join(parts, "; "), held
}

// line is one record: pid lwp exename event extra.
type line struct{ pid, lwp, exe, event, extra string }

func parseRecords(t testing.TB, out string) []line {
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
var compared = map[string]bool{"EXEC": true, "ARGV": true, "FORKED": true, "VFORKED": true, "VFORK_DONE": true,
	"SPAWNED": true, "SIGNALED": true, "STOPPED": true, "CONTINUED": true, "CRASHED": true, "EXITED": true}

// roles renames pids by role (root, then the pid each creation record
// names, by its event) and the test binary to EXE, and keeps the compared
// events, per role in order.
func roles(t testing.TB, ls []line) map[string][]string {
	t.Helper()
	exe, _ := os.Executable()
	name := map[string]string{ls[0].pid: "root"}
	for _, l := range ls {
		switch l.event {
		case "FORKED":
			name[l.extra] = "forkee"
		case "VFORKED":
			name[l.extra] = "vforkee"
		}
	}
	out := map[string][]string{}
	for _, l := range ls {
		if !compared[l.event] || l.event == "SIGNALED" && strings.HasPrefix(l.extra, "SIGCHLD ") {
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

// callRecords says where picotrace's SCE and SCX records come from.
var callRecords = map[string]string{
	"linux":  "PTRACE_GET_SYSCALL_INFO at each syscall stop: the call's name and number, its 6 arguments, its return value or -1 and the errno",
	"netbsd": "the TRAP_SCE/TRAP_SCX siginfo (si_sysnum, si_args, si_retval, si_error); before NetBSD 10.0 it has none, every call is recorded as ? (picotrace says so on stderr) and the record cases skip naming the feature",
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{
		semantics.Both("fixed_scenario*", "the SIGNALED record of a signal the traced command raises (its si_code)", "raiseCode",
			func(k string) string { return "SIGNALED SIGUSR1 " + raiseCode[k] }),
		semantics.Both("fixed_scenario*, crash, attach_detach", "what picotrace's system call records are made of", "callRecords, recordsNeed",
			func(k string) string { return callRecords[k] }),
	}
})

// fixedCases are the fixed scenario's runs: without -i (the root's
// records alone), with -i (every process), with -i -k (the core's checks
// at every report too, none broken).
var fixedCases = []struct {
	ident, descr string
	args         []string
	inherit      bool
}{
	{"fixed_scenario", "picotrace on the fixed scenario (a raised SIGUSR1, a fork, a vfork and exec, exit 5): the root's EXEC, ARGV, SIGNALED and EXITED records exactly, its calls named, exit status 5", nil, false},
	{"fixed_scenario_inherit", "picotrace -i on the fixed scenario: also FORKED, VFORKED, VFORK_DONE and every child's records exactly", []string{"-i"}, true},
	{"fixed_scenario_inherit_checked", "picotrace -i -k on the fixed scenario: the same records, and no kernel promise broken at any report", []string{"-i", "-k"}, true},
}

func TestFixedScenario(t *testing.T) {
	for _, c := range fixedCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) { fixedScenario(t, c.args, c.inherit) })
	}
}

// recordsNeed: the exact records of a traced command need syscall stops
// that carry the call (NetBSD's TRAP_SCE/TRAP_SCX siginfo): without it
// picotrace records every call as "?" and says so, and on 8.99.25 a Go
// command syscall-stepped to its exit or its crash never finishes it
// (FixExitWithStoppedLwps, seen 3 of 3). attach_detach and bad_input run
// everywhere.
var recordsNeed = []nbabi.Feature{nbabi.FeatureSyscallSiginfo}

func fixedScenario(t *atfshim.T, args []string, inherit bool) {
	tracer.Needs(t, recordsNeed...)
	root := []string{
		"0 EXE EXEC EXE", `0 EXE ARGV 0 "EXE"`, "L EXE SIGNALED SIGUSR1 " + raiseCode[runtime.GOOS],
		"0 EXE FORKED forkee", "0 EXE VFORKED vforkee", "0 EXE VFORK_DONE vforkee", "0 EXE EXITED status 5",
	}
	want := map[string][]string{"root": {root[0], root[1], root[2], root[6]}}
	if inherit {
		want = map[string][]string{
			"root":    root,
			"forkee":  {"0 EXE EXITED status 7"},
			"vforkee": {"0 EXE EXEC EXE", `0 EXE ARGV 0 "exit4"`, "0 EXE EXITED status 4"},
		}
	}
	exe, _ := os.Executable()
	code, stdout, stderr := runPicotrace(t, "picotrace_fixed", append(args, exe)...)
	if code != 5 || stderr != wantStderr() {
		t.Fatalf("picotrace: exit %d, want the command's 5; stderr %q, want %q", code, stderr, wantStderr())
	}
	ls := parseRecords(t, stdout)
	if line, full := firstDiff(want, roles(t, ls)); line != "" {
		t.Logf("records (-want +got):\n%s", full)
		t.Errorf("records differ: %s", line)
	}
	checkStart(t, ls, "root", "picotrace_fixed")
	checkCalls(t, ls, inherit)
}

// firstDiff is the first role whose records differ, in one line, and the
// whole diff.
func firstDiff(want, got map[string][]string) (string, string) {
	full := cmp.Diff(want, got)
	if full == "" {
		return "", ""
	}
	for _, r := range []string{"root", "forkee", "vforkee"} {
		if d := cmp.Diff(want[r], got[r]); d != "" {
			return fmt.Sprintf("%s: want %q, got %q", r, want[r], got[r]), full
		}
	}
	return "another role's records", full
}

// checkStart: the root's start records its environment and auxv.
func checkStart(t testing.TB, ls []line, who, scenario string) {
	t.Helper()
	var env, pagesz bool
	for _, l := range ls {
		if l.pid != ls[0].pid {
			continue
		}
		env = env || l.event == "ENV" && strings.HasSuffix(l.extra, strconv.Quote(tracee.EnvScenario+"="+scenario))
		pagesz = pagesz || l.event == "AUXV" && l.extra == fmt.Sprintf("AT_PAGESZ %#x", os.Getpagesize())
	}
	if !env {
		t.Errorf("%s: no ENV record of %s=%s", who, tracee.EnvScenario, scenario)
	}
	if !pagesz {
		t.Errorf("%s: no AUXV record AT_PAGESZ %#x", who, os.Getpagesize())
	}
}

// wantStderr is what picotrace says besides its records: nothing, or on a
// kernel whose syscall stops carry no call (NetBSD before
// FeatureSyscallSiginfo) the one line saying so.
func wantStderr() string {
	if why := ptrace.Lacks(nbabi.FeatureSyscallSiginfo); why != "" {
		return "picotrace: " + picotrace.NoSyscallInfo + ": " + why + "\n"
	}
	return ""
}

// sysRecord is "name (number)" and arguments, or "name (number) = ...".
var sysRecord = regexp.MustCompile(`^[a-z_0-9]+ \([0-9]+\)( 0x[0-9a-f]+)+$|^[a-z_0-9]+ \([0-9]+\) = -?[0-9]+(, -?[0-9]+)?$|^[a-z_0-9]+ \([0-9]+\) = -1 E[A-Z0-9_]+ \([0-9]+\)$`)

// checkCalls: every system call record names its call; with -i the fork
// child's one call, exit, is there.
func checkCalls(t testing.TB, ls []line, inherit bool) {
	t.Helper()
	var calls, childExit int
	forkee := ""
	// A kernel whose syscall stops carry no call: every record says so.
	noInfo := ptrace.Lacks(nbabi.FeatureSyscallSiginfo) != ""
	for _, l := range ls {
		if l.event == "FORKED" {
			forkee = l.extra
		}
		if l.event != "SCE" && l.event != "SCX" {
			continue
		}
		calls++
		if noInfo {
			if l.extra != "?" {
				t.Errorf("system call record on a kernel without TRAP_SCE/TRAP_SCX siginfo is not \"?\": %v", l)
			}
			continue
		}
		if !sysRecord.MatchString(l.extra) {
			t.Errorf("system call record without a name or malformed: %v", l)
		}
		if l.pid == forkee && l.event == "SCE" && strings.HasPrefix(l.extra, "exit (") {
			childExit++
		}
	}
	if calls == 0 {
		t.Errorf("no system call records")
	}
	if inherit && !noInfo && childExit != 1 {
		t.Errorf("the fork child's records have %d SCE exit, want 1", childExit)
	}
}

func TestCrash(t *testing.T) { atfshim.Run(t, crash) }

func crash(t *atfshim.T) {
	tracer.Needs(t, recordsNeed...)
	exe, _ := os.Executable()
	code, stdout, stderr := runPicotrace(t, "picotrace_crash", exe)
	if code != 128+int(unix.SIGSEGV) || stderr != wantStderr() {
		t.Fatalf("picotrace: exit %d, want 128+SIGSEGV; stderr %q, want %q", code, stderr, wantStderr())
	}
	got := roles(t, parseRecords(t, stdout))["root"]
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
func TestAttachDetach(t *testing.T) { atfshim.Run(t, attachDetach) }

func attachDetach(t *atfshim.T) {
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
		if strings.Contains(string(b), " "+"AUXV"+" AT_NULL ") {
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
		if err != nil || stderr.String() != wantStderr() {
			t.Fatalf("picotrace -p after SIGINT: %v, stderr %q; want exit 0 and stderr %q", err, stderr.String(), wantStderr())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("picotrace -p did not end within 5 s of SIGINT")
	}
	time.Sleep(100 * time.Millisecond)
	traced, stopped, err := ptrace.TracedOrStopped(sleeper.Process.Pid)
	if err != nil {
		t.Fatalf("the process is gone after the detach: %v", err)
	}
	if !ptrace.Alive(sleeper.Process.Pid) || traced || stopped {
		t.Fatalf("after the detach pid %d is %s: want it running untraced", sleeper.Process.Pid, ptrace.ProcState(sleeper.Process.Pid))
	}
	b, _ := os.ReadFile(out)
	ls := parseRecords(t, string(b))
	if ls[0].event != "ARGV" {
		t.Errorf("the first record of an attach is %v, want its ARGV", ls[0])
	}
	checkStart(t, ls, "attached", "picotrace_sleeper")
	checkCalls(t, ls, false)
}

// TestBadInput: bad argv and an unwritable OUTPUT get one line on stderr
// and exit 2, and run nothing.
func TestBadInput(t *testing.T) { atfshim.Run(t, badInput) }

func badInput(t *atfshim.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	t.Setenv(markerEnv, marker)
	exe, _ := os.Executable()
	cmd := []string{exe}
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
			code, stdout, stderr := runPicotrace(t, "picotrace_touch", c.args...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, c.want) {
				t.Errorf("picotrace %q: exit %d, stdout %q, stderr %q; want exit 2 and one line starting %q", c.args, code, stdout, stderr, c.want)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("picotrace %q ran the command", c.args)
			}
		})
	}
}
