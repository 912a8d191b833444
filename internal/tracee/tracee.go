// Package tracee is the tracee side of the suite: the test binary re-executes
// itself with PTRACESUITE_TRACEE=<scenario> and, instead of running tests, runs
// that scenario on its main thread and exits with the scenario's code.
//
// Why a re-executed binary and not a fork of the test process: the Go runtime
// is multithreaded, so a forked copy of it may hold locks nobody will release.
// The re-executed process is a clean Go program; the only raw children are the
// ones a scenario makes with package raw, and those run raw syscalls only.
//
// The protocol between tracer and tracee:
//   - fd 3 (report pipe, tracee → tracer): lines "key=value";
//   - fd 4 (go pipe, tracer → tracee): one byte per "go" (AwaitGo);
//   - the ready point is a thread-directed SIGSTOP of the scenario's thread
//     (Ready), so the tracer can set its event mask when the Go runtime has
//     started and before the scenario does anything it wants to observe.
package tracee

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"

	"ptracesuite/internal/raw"
)

// EnvScenario names the scenario a re-executed test binary must run.
const EnvScenario = "PTRACESUITE_TRACEE"

// EnvNoSafetyNets, set by the tracer's cleanup test, keeps a tracee from
// asking to die with its parent: the test proves the cleanup alone leaves
// nothing behind, as it must on NetBSD, which has no such net.
const EnvNoSafetyNets = "PTRACESUITE_NO_SAFETY_NETS"

// ExitFailed is the exit code of a scenario that hit an unexpected error; the
// error text precedes it on the report pipe as "fail=<message>".
const ExitFailed = 99

// Scenario is the code a tracee runs. Its return value is the exit code.
type Scenario func(c *Ctx) int

var scenarios = map[string]Scenario{}

// Register makes a scenario available by name. Called from init functions of
// test packages; a duplicate name is a programming error.
func Register(name string, s Scenario) {
	if _, dup := scenarios[name]; dup {
		panic("tracee: scenario registered twice: " + name)
	}
	scenarios[name] = s
}

// Registered reports whether a scenario exists (the tracer checks before it
// spawns, so a typo fails the test instead of producing a confusing exit).
func Registered(name string) bool { _, ok := scenarios[name]; return ok }

// Names lists the registered scenarios, sorted.
func Names() []string {
	var n []string
	for k := range scenarios {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func init() {
	// Lock the main goroutine to the main thread, in the tracee and in the
	// tracer alike. In the tracee the scenario then runs on the thread that
	// PTRACE_TRACEME traced (Linux traces threads, not processes). In the
	// tracer no test goroutine can land on the main thread, which the runtime
	// never lets exit: a tracer thread that cannot exit cannot take its
	// PTRACE_O_EXITKILL tracees with it.
	runtime.LockOSThread()
}

// Ctx is a running scenario's view of the protocol.
type Ctx struct {
	report *os.File
	gofd   *os.File
}

// RunIfRequested runs the requested scenario and exits, or returns at once
// when the binary was not started as a tracee. Call it first in TestMain.
func RunIfRequested() {
	name, ok := os.LookupEnv(EnvScenario)
	if !ok {
		return
	}
	s := scenarios[name]
	if s == nil {
		fmt.Fprintf(os.Stderr, "tracee: unknown scenario %q (known: %s)\n", name, strings.Join(Names(), ", "))
		os.Exit(2)
	}
	c := &Ctx{report: os.NewFile(3, "report"), gofd: os.NewFile(4, "go")}
	if os.Getenv(EnvNoSafetyNets) == "" {
		dieWithParent()
	}
	raw.AllowAnyTracer()
	os.Exit(s(c))
}

// Report sends "key=value" to the tracer.
func (c *Ctx) Report(key string, value any) {
	if _, err := fmt.Fprintf(c.report, "%s=%v\n", key, value); err != nil {
		os.Exit(ExitFailed)
	}
}

// Fatalf reports an unexpected error to the tracer and exits with ExitFailed.
func (c *Ctx) Fatalf(format string, args ...any) {
	msg := strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " ")
	fmt.Fprintf(c.report, "fail=%s\n", msg)
	os.Exit(ExitFailed)
}

// Check calls Fatalf when err is not nil.
func (c *Ctx) Check(what string, err error) {
	if err != nil {
		c.Fatalf("%s: %v", what, err)
	}
}

// Ready stops the scenario's thread with a thread-directed SIGSTOP: the
// tracer's ready point. NetBSD reports it with si_code SI_LWP, Linux with
// SI_TKILL.
func (c *Ctx) Ready() {
	c.Check("ready stop", raw.StopSelf())
}

// AwaitGo reports "awaiting_go" and blocks until the tracer says go (one
// byte on fd 4). Used by scenarios that a tracer attaches to instead of
// spawning: once "awaiting_go" is reported the process is past its execve
// (a tracer attaching during execve would first see the exec's SIGTRAP).
func (c *Ctx) AwaitGo() {
	c.Report("awaiting_go", os.Getpid())
	var b [1]byte
	for {
		n, err := c.gofd.Read(b[:])
		if n == 1 {
			return
		}
		if err != nil {
			c.Fatalf("waiting for go: %v", err)
		}
	}
}

// GoSent returns a channel that is closed when the tracer says go
// (Proc.Go), for a scenario that watches for something else meanwhile. It
// reports nothing; a tracer that never says go leaves it open.
func (c *Ctx) GoSent() <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		var b [1]byte
		for {
			n, err := c.gofd.Read(b[:])
			if n == 1 {
				close(ch)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}

// Env returns env with key set to value, replacing any earlier setting:
// a Go child takes the first of duplicate keys, so appending is not enough.
func Env(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}
