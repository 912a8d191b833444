// Package picotrace is the picotrace command (cmd/picotrace, whose test
// program is tests/picotrace): it traces the system calls, signals and
// process events of a command or of a running process, one record a line,
// on the ptrace core of internal/ptrace (see picotrace.1):
//
//	picotrace [-i] [-o OUTPUT] [-j] [-c] [-k] [-p PID | command [arg ...]]
//
// A record has the columns pid, lwp (0 for a whole-process event),
// exename, event and extra. A command's exit status is picotrace's (128+N
// when a signal N killed it); with -p, SIGINT detaches and leaves the
// process running untraced.
package picotrace

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/ptrace"
)

// NoSyscallInfo starts the warning on a kernel whose syscall stops carry
// no call (NetBSD before TRAP_SCE/TRAP_SCX siginfo): SCE and SCX records
// are then "?" alone.
const NoSyscallInfo = noSyscallInfo

const noSyscallInfo = "system calls are recorded as ?, without number, arguments or results"

const usage = "usage: picotrace [-i] [-o OUTPUT] [-j] [-c] [-k] [-p PID | command [arg ...]]"

// options are picotrace's command line.
type options struct {
	inherit, json, count bool
	check                bool // -k: the kernel's promises at every report
	output               string
	pid                  int
	argv                 []string
}

// usageError is bad input: one line, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run is picotrace with its arguments; it returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	warnTo = stderr
	o, err := parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "picotrace: %v (%s)\n", err, usage)
		return 2
	}
	code, err := trace(o, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "picotrace: %s\n", oneLine(err.Error()))
		var u usageError
		if errors.As(err, &u) {
			return 2
		}
		return 1
	}
	return code
}

// cause is the innermost error (the errno of a path error).
func cause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("picotrace", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.inherit, "i", false, "follow every child, thread and spawn")
	fs.StringVar(&o.output, "o", "", "write the records to OUTPUT")
	fs.BoolVar(&o.json, "j", false, "JSON lines")
	fs.BoolVar(&o.count, "c", false, "a per-syscall count and time summary instead of the records")
	fs.BoolVar(&o.check, "k", false, "check the kernel's promises at every report, as the suite does")
	pid := fs.String("p", "", "trace the running process PID")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.argv = fs.Args()
	switch {
	case *pid != "" && len(o.argv) > 0:
		return o, fmt.Errorf("-p and a command are mutually exclusive")
	case *pid == "" && len(o.argv) == 0:
		return o, fmt.Errorf("no command and no -p PID")
	case *pid != "":
		n, err := strconv.Atoi(*pid)
		if err != nil || n <= 0 {
			return o, fmt.Errorf("-p %q: not a process id", *pid)
		}
		if why := ptrace.Forbidden(n); why != "" {
			return o, fmt.Errorf("-p %d: %s: not a process picotrace traces", n, why)
		}
		o.pid = n
	}
	return o, nil
}

// trace runs the trace and returns picotrace's exit status.
func trace(o options, stdout io.Writer) (int, error) {
	var path string
	if o.pid == 0 {
		var err error
		if path, err = exec.LookPath(o.argv[0]); err != nil {
			return 0, usageError{fmt.Sprintf("%s: %v", o.argv[0], cause(err))}
		}
	}
	out, closeOut, err := openOutput(o.output, stdout)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	rec := newRecorder(out, o.json, o.count, o.output == "")
	// The tracer thread waits in wait(2) for every report. With a single
	// P (picotrace bound to one CPU), the runtime's sysmon takes that P
	// from it whenever a wait lasts over 20 µs and is woken again when the
	// wait returns: a thread of its own scheduled in between the tracer
	// and its tracees, thousands of times (5,600 in 200 fork+exec, make
	// bench). With a second P idle, sysmon leaves a P in a system call
	// alone for 10 ms and backs off.
	if runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
	// picotrace's live heap is a few hundred KiB whatever it traces, so
	// the collector's default pace (a cycle each time the heap doubles)
	// runs it for nothing thousands of times in a long trace; a $GOGC of
	// the user's own wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(800)
	}
	// With a command the tracees die with the tracer (Linux's safety
	// nets); a process picotrace attached to must outlive it.
	// The promises of the suite's core (internal/ptrace checks.go) cost
	// /proc and register reads at creation reports and state at every
	// syscall stop: picotrace checks them with -k only.
	// picotrace is done with each report before it waits for the next:
	// one buffer serves them all (no allocation per stop).
	c, err := ptrace.New(ptrace.WithSafetyNets(o.pid == 0), ptrace.WithChecks(o.check), ptrace.WithReusedReports(true))
	if err != nil {
		closeOut(false)
		return 0, err
	}
	defer c.Close()
	if why := ptrace.Lacks(nbabi.FeatureSyscallSiginfo); why != "" {
		warn("%s: %s", noSyscallInfo, why)
	}
	// Only the cost of a signal per tracee stop depends on it: a failure
	// leaves the runtime's SIGCHLD action as it was.
	_ = ptrace.QuietStops()
	t := newTracer(c, rec, o.inherit)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if o.pid != 0 {
		err = t.attach(o.pid)
	} else {
		err = t.spawn(path, o.argv, os.Environ())
	}
	if err != nil {
		c.KillAll()
		c.ReapAll()
		closeOut(false)
		return 0, err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-sigs:
				// A command gets the terminal's SIGINT itself, and its
				// status is picotrace's; a process picotrace attached to
				// is left running untraced.
				if o.pid != 0 {
					t.interrupt()
				}
			case <-done:
				return
			}
		}
	}()
	var code int
	c.Loop(func(th ptrace.Thread) { t.th, t.looping = th, true; code, err = t.loop() })
	if err == nil {
		err = rec.finish()
	}
	if err != nil {
		c.KillAll()
		c.ReapAll()
		closeOut(true)
		return 0, err
	}
	return code, closeOut(true)
}

// openOutput opens OUTPUT, or returns stdout for "". Its close function
// removes a file it created when nothing was traced (kept false).
func openOutput(name string, stdout io.Writer) (io.Writer, func(kept bool) error, error) {
	if name == "" {
		return stdout, func(bool) error { return nil }, nil
	}
	_, statErr := os.Stat(name)
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, fmt.Errorf("-o %s: %v", name, cause(err))
	}
	return f, func(kept bool) error {
		err := f.Close()
		if !kept && statErr != nil {
			os.Remove(name)
		}
		return err
	}, nil
}
