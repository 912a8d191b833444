//go:build linux || netbsd

package raw

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Each primitive runs inside a re-executed copy of this test binary (a
// "helper"), as it does inside a tracee: the main goroutine is locked to the
// main thread, and a raw child that corrupted its parent kills only the
// helper. A helper prints "ok" and exits 0 when every check passed.

const helperEnv = "RAW_TEST_HELPER"

func init() { runtime.LockOSThread() }

func TestMain(m *testing.M) {
	if name := os.Getenv(helperEnv); name != "" {
		os.Exit(runHelper(name))
	}
	os.Exit(m.Run())
}

// iterations is how often the shared-VM primitives run in one helper.
const iterations = 200

// execTargetStatus is the exit status of the exec-target helper when the
// image it runs in got the signal state VforkExec must hand over.
const execTargetStatus = 42

// missingPath is a program that does not exist: execve fails in the child,
// which then exits with 127.
const missingPath = "/nonexistent/raw-test-program"

var helpers = map[string]func() error{
	"fork":        func() error { return exitChildren(ForkExit) },
	"vfork-novm":  func() error { return exitChildren(VforkNoVMExit) },
	"vfork":       func() error { return exitChildren(VforkExit) },
	"vfork-exec":  helperVforkExec,
	"clone":       helperClone,
	"clone-bad":   helperCloneInvalid,
	"signals":     helperSignals,
	"dfl-kill":    helperDefaultKill,
	"traceme":     helperTraceMe,
	"exec-target": helperExecTarget,
}

func runHelper(name string) int {
	h, ok := helpers[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "no helper %q\n", name)
		return 3
	}
	if tid, main := ThreadID(), mainThreadID(); tid != main {
		fmt.Fprintf(os.Stderr, "helper runs on thread %d, not the main thread %d\n", tid, main)
		return 1
	}
	if err := h(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	if name == "exec-target" {
		return execTargetStatus
	}
	if err := noChildrenLeft(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	fmt.Println("ok")
	return 0
}

// noChildrenLeft checks that every child the helper made was reaped.
func noChildrenLeft() error {
	pid, err := unix.Wait4(-1, nil, unix.WNOHANG|unix.WALL, nil)
	if err == unix.ECHILD {
		return nil
	}
	return fmt.Errorf("a child is left behind: wait4(-1, WNOHANG) = %d, %v", pid, err)
}

const canaryBase = 0x5a17c0de00000000

// guarded runs f below depth frames that each hold a canary array in stack
// memory, then checks every canary and returns through every frame. A child
// that wrote the parent's stack, or returned into it, breaks a canary or a
// return address here.
//
//go:noinline
func guarded(depth int, f func() error) error {
	var canary [8]uint64
	for i := range canary {
		canary[i] = canaryBase | uint64(depth<<8|i)
	}
	keepOnStack(&canary)
	var err error
	if depth == 0 {
		err = f()
	} else {
		err = guarded(depth-1, f)
	}
	for i, v := range canary {
		if want := canaryBase | uint64(depth<<8|i); v != want {
			return fmt.Errorf("canary %d at depth %d is %#x, want %#x", i, depth, v, want)
		}
	}
	return err
}

//go:noinline
func keepOnStack(*[8]uint64) {}

// waitStatus is a wait status decoded by hand: the encoding is the same on
// both kernels, and x/sys misreads SIGSTOP stops on NetBSD.
type waitStatus int

func (s waitStatus) exited() bool   { return s&0x7f == 0 }
func (s waitStatus) exitCode() int  { return int(s>>8) & 0xff }
func (s waitStatus) signaled() bool { return s&0x7f != 0 && s&0xff != 0x7f }
func (s waitStatus) signal() int    { return int(s & 0x7f) }
func (s waitStatus) stopped() bool  { return s&0xff == 0x7f }
func (s waitStatus) stopSig() int   { return int(s>>8) & 0xff }

func (s waitStatus) String() string {
	switch {
	case s.exited():
		return fmt.Sprintf("exited %d", s.exitCode())
	case s.signaled():
		return fmt.Sprintf("killed by signal %d", s.signal())
	case s.stopped():
		return fmt.Sprintf("stopped by signal %d", s.stopSig())
	}
	return fmt.Sprintf("status %#x", int(s))
}

// reapExit waits for pid and checks that it exited with code.
func reapExit(pid, code int) error {
	st, err := WaitExit(pid)
	if err != nil {
		return fmt.Errorf("wait4(%d): %v", pid, err)
	}
	if s := waitStatus(st); !s.exited() || s.exitCode() != code {
		return fmt.Errorf("child %d: %v, want exited %d", pid, s, code)
	}
	return nil
}

// exitChildren makes children with create, each with its own exit status,
// and checks the statuses and the parent's stack.
func exitChildren(create func(code int) (int, error)) error {
	for i := range iterations {
		code := 1 + i%200
		err := guarded(3, func() error {
			pid, err := create(code)
			if err != nil {
				return err
			}
			return reapExit(pid, code)
		})
		if err != nil {
			return fmt.Errorf("iteration %d: %v", i, err)
		}
	}
	return nil
}

// helperEnviron is this process's environment with helperEnv set to name.
func helperEnviron(name string) []string {
	env := []string{helperEnv + "=" + name}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, helperEnv+"=") {
			env = append(env, kv)
		}
	}
	return env
}

func helperVforkExec() error {
	// A failing execve runs the whole child path (handler resets, mask
	// restore, execve) and ends in exit(127).
	for i := range iterations {
		err := guarded(3, func() error {
			pid, err := VforkExec(missingPath, []string{missingPath}, nil)
			if err != nil {
				return err
			}
			return reapExit(pid, 127)
		})
		if err != nil {
			return fmt.Errorf("iteration %d: %v", i, err)
		}
	}
	// A real image must start with the caller's mask and ignored signals.
	// SIGHUP stays ignored across exec and the Go runtime keeps an inherited
	// SIG_IGN for it.
	if err := BlockSignal(int(unix.SIGUSR1)); err != nil {
		return err
	}
	if err := IgnoreSignal(int(unix.SIGHUP)); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for name, start := range map[string]func(string, []string, []string) (int, error){"VforkExec": VforkExec, "Spawn": Spawn} {
		err := guarded(3, func() error {
			pid, err := start(self, []string{self}, helperEnviron("exec-target"))
			if err != nil {
				return err
			}
			return reapExit(pid, execTargetStatus)
		})
		if err != nil {
			return fmt.Errorf("%s of exec-target: %v", name, err)
		}
	}
	return UnblockSignal(int(unix.SIGUSR1))
}

// helperExecTarget is the image helperVforkExec execs.
func helperExecTarget() error {
	want := []struct {
		what string
		got  func(int) (bool, error)
		sig  syscall.Signal
		want bool
	}{
		{"blocked", Blocked, unix.SIGUSR1, true},
		{"blocked", Blocked, unix.SIGUSR2, false},
		{"blocked", Blocked, unix.SIGTERM, false},
		{"ignored", Ignored, unix.SIGHUP, true},
	}
	for _, w := range want {
		got, err := w.got(int(w.sig))
		if err != nil {
			return err
		}
		if got != w.want {
			return fmt.Errorf("%v %s = %v, want %v", w.sig, w.what, got, w.want)
		}
	}
	return nil
}

// cloneCase is a clone request and whether the child shares the address
// space.
type cloneCase struct {
	name              string
	flags, exitSignal int
}

var cloneCases = []cloneCase{
	{"fork-like", 0, int(unix.SIGCHLD)},
	{"vm", cloneVM, int(unix.SIGCHLD)},
	{"vm-vfork", cloneVM | cloneVfork, int(unix.SIGCHLD)},
	{"vm-fs-files-sighand", cloneVM | cloneFS | cloneFiles | cloneSighand, int(unix.SIGCHLD)},
	{"vfork", cloneVfork, int(unix.SIGCHLD)},
	{"files-no-exit-signal", cloneFiles, 0},
	{"vm-sigusr1", cloneVM, int(unix.SIGUSR1)},
}

func helperClone() error {
	for _, c := range cloneCases {
		err := exitChildren(func(code int) (int, error) { return CloneExit(c.flags, c.exitSignal, code) })
		if err != nil {
			return fmt.Errorf("%s: %v", c.name, err)
		}
	}
	// Both kernels accept a NULL stack; only NetBSD's libc refuses it.
	flags := cloneVM | cloneFS | cloneFiles | cloneSighand
	if err := CloneNullStack(flags, int(unix.SIGCHLD)); err != nil {
		return fmt.Errorf("CloneNullStack(%#x): %v, want nil", flags, err)
	}
	return nil
}

// invalidClone is a clone request the kernel (or CloneExit itself) refuses
// with EINVAL.
type invalidClone struct {
	name              string
	flags, exitSignal int
}

var invalidClones = append([]invalidClone{
	{"sighand-without-vm", cloneSighand, int(unix.SIGCHLD)},
	{"flags-in-signal-byte", cloneVM | 0x11, int(unix.SIGCHLD)},
	{"signal-out-of-byte", cloneVM, 0x100},
}, osInvalidClones...)

func helperCloneInvalid() error {
	for _, c := range invalidClones {
		pid, err := CloneExit(c.flags, c.exitSignal, 1)
		if err != unix.EINVAL {
			if err == nil {
				_, _ = WaitExit(pid)
			}
			return fmt.Errorf("CloneExit %s: pid %d, %v, want EINVAL", c.name, pid, err)
		}
		if err := CloneNullStack(c.flags, c.exitSignal); err != unix.EINVAL {
			return fmt.Errorf("CloneNullStack %s: %v, want EINVAL", c.name, err)
		}
	}
	return nil
}

func helperSignals() error {
	check := func(what string, got func(int) (bool, error), sig syscall.Signal, want bool) error {
		v, err := got(int(sig))
		if err != nil {
			return fmt.Errorf("%s(%v): %v", what, sig, err)
		}
		if v != want {
			return fmt.Errorf("%s(%v) = %v, want %v", what, sig, v, want)
		}
		return nil
	}
	steps := []func() error{
		func() error { return check("Blocked", Blocked, unix.SIGUSR1, false) },
		func() error { return BlockSignal(int(unix.SIGUSR1)) },
		func() error { return check("Blocked", Blocked, unix.SIGUSR1, true) },
		func() error { return check("Blocked", Blocked, unix.SIGUSR2, false) },
		func() error { return UnblockSignal(int(unix.SIGUSR1)) },
		func() error { return check("Blocked", Blocked, unix.SIGUSR1, false) },
		// The Go runtime has a handler installed for SIGUSR2.
		func() error { return check("Ignored", Ignored, unix.SIGUSR2, false) },
		func() error { return IgnoreSignal(int(unix.SIGUSR2)) },
		func() error { return check("Ignored", Ignored, unix.SIGUSR2, true) },
		// An ignored signal sent to this thread does nothing.
		func() error { return RaiseSelf(int(unix.SIGUSR2)) },
		func() error { return DefaultSignal(int(unix.SIGUSR2)) },
		func() error { return check("Ignored", Ignored, unix.SIGUSR2, false) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("step %d: %v", i, err)
		}
	}
	for _, bad := range []int{0, -1, nsig} {
		if err := BlockSignal(bad); err != unix.EINVAL {
			return fmt.Errorf("BlockSignal(%d): %v, want EINVAL", bad, err)
		}
		if _, err := Blocked(bad); err != unix.EINVAL {
			return fmt.Errorf("Blocked(%d): %v, want EINVAL", bad, err)
		}
	}
	if err := IgnoreSignal(int(unix.SIGKILL)); err != unix.EINVAL {
		return fmt.Errorf("IgnoreSignal(SIGKILL): %v, want EINVAL", err)
	}
	return nil
}

// helperDefaultKill must die by SIGUSR1: with Go's handler the runtime
// drops an un-notified SIGUSR1, with SIG_DFL it terminates the process.
func helperDefaultKill() error {
	if err := DefaultSignal(int(unix.SIGUSR1)); err != nil {
		return err
	}
	if err := RaiseSelf(int(unix.SIGUSR1)); err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	return errors.New("still alive after SIGUSR1 with SIG_DFL")
}

func helperTraceMe() error {
	AllowAnyTracer()
	if err := TraceMe(); err != nil {
		return fmt.Errorf("TraceMe: %v", err)
	}
	if err := TraceMe(); err == nil {
		return errors.New("a second TraceMe succeeded")
	}
	return StopSelf()
}

// runHelperProcess runs helper name and checks that it printed "ok" and
// exited 0.
func runHelperProcess(t *testing.T, name string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = helperEnviron(name)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second
	timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Run()
	if err != nil || strings.TrimSpace(out.String()) != "ok" {
		t.Fatalf("helper %s: %v\n%s", name, err, out.String())
	}
}

func TestForkExit(t *testing.T)      { runHelperProcess(t, "fork") }
func TestVforkNoVMExit(t *testing.T) { runHelperProcess(t, "vfork-novm") }
func TestVforkExit(t *testing.T)     { runHelperProcess(t, "vfork") }
func TestVforkExec(t *testing.T)     { runHelperProcess(t, "vfork-exec") }
func TestCloneExit(t *testing.T)     { runHelperProcess(t, "clone") }
func TestCloneInvalid(t *testing.T)  { runHelperProcess(t, "clone-bad") }
func TestSignals(t *testing.T)       { runHelperProcess(t, "signals") }

func TestDefaultSignalKills(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = helperEnviron("dfl-kill")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	ws := ee.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != unix.SIGUSR1 {
		t.Fatalf("helper ended with %v (status %#x), want killed by SIGUSR1\n%s", err, int(ws), out)
	}
}

// TestStopSelf starts a helper that makes this test its tracer with TraceMe
// and stops itself with StopSelf; the stop must arrive as a SIGSTOP
// signal-delivery-stop with the thread-directed si_code.
func TestStopSelf(t *testing.T) {
	// On Linux the tracer is the thread that forked the tracee, and only it
	// may make ptrace requests.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	out, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	env := append(helperEnviron("traceme"), "GODEBUG=asyncpreemptoff=1")
	pid, err := syscall.ForkExec(os.Args[0], []string{os.Args[0], "-test.run=^$"}, &syscall.ProcAttr{
		Env:   env,
		Files: []uintptr{0, w.Fd(), w.Fd()},
	})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	exited := false
	defer func() {
		if !exited {
			_ = unix.Kill(pid, unix.SIGKILL)
			_, _ = WaitExit(pid)
		}
	}()
	timer := time.AfterFunc(60*time.Second, func() { _ = unix.Kill(pid, unix.SIGKILL) })
	defer timer.Stop()

	sawStop := false
	for {
		st, err := WaitExit(pid)
		if err != nil {
			t.Fatalf("wait4: %v", err)
		}
		s := waitStatus(st)
		if !s.stopped() {
			exited = true
			if !s.exited() || s.exitCode() != 0 {
				t.Fatalf("helper: %v, want exited 0", s)
			}
			break
		}
		inject := s.stopSig()
		if inject == int(unix.SIGSTOP) && !sawStop {
			signo, code, err := StopSiginfo(pid)
			if err != nil {
				t.Fatalf("reading the siginfo of the stop: %v", err)
			}
			if signo != int(unix.SIGSTOP) || code != threadKillCode {
				t.Errorf("stop siginfo: signo %d code %d, want %d and %d", signo, code, unix.SIGSTOP, threadKillCode)
			}
			sawStop, inject = true, 0
		}
		// Anything else (the runtime's own signals) goes back to the helper.
		if err := PtraceCont(pid, inject); err != nil {
			t.Fatalf("continuing after %v: %v", s, err)
		}
	}
	if !sawStop {
		t.Fatal("the helper exited without a SIGSTOP stop")
	}
	if text, _ := io.ReadAll(out); strings.TrimSpace(string(text)) != "ok" {
		t.Fatalf("helper output:\n%s", text)
	}
}
