//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

func main() {
	if filepath.Base(os.Args[0]) == "echo" {
		os.Exit(echo(os.Stdout, os.Args[1:]))
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "guestinit: this is the /sbin/init of a cmd/netbsd-qemu image; it only runs as pid 1")
		os.Exit(2)
	}
	runInit()
}

// echo is echo(1): the arguments joined by spaces and a newline; -n as the
// first argument drops the newline.
func echo(w *os.File, args []string) int {
	nl := "\n"
	if len(args) > 0 && args[0] == "-n" {
		args, nl = args[1:], ""
	}
	if _, err := w.WriteString(strings.Join(args, " ") + nl); err != nil {
		return 1
	}
	return 0
}

// runInit never returns: pid 1 exiting panics the kernel ("init died"), which
// would hide what went wrong. Every failure is reported as an error frame and
// ends in a reboot.
func runInit() {
	emit := func(f bootproto.Frame) { writeLine(f.Line()) }
	defer func() {
		if r := recover(); r != nil {
			emit(bootproto.Frame{Kind: bootproto.KindError, Reason: fmt.Sprintf("guestinit panicked: %v: %s", r, debug.Stack())})
			shutdown()
		}
	}()
	if err := setupSystem(); err != nil {
		emit(bootproto.Frame{Kind: bootproto.KindError, Reason: err.Error()})
		shutdown()
	}
	b, err := os.ReadFile(bootproto.PlanPath)
	if err != nil {
		emit(bootproto.Frame{Kind: bootproto.KindError, Reason: "reading the plan: " + err.Error()})
		shutdown()
	}
	plan, err := bootproto.DecodePlan(b)
	if err != nil {
		emit(bootproto.Frame{Kind: bootproto.KindError, Reason: err.Error()})
		shutdown()
	}
	emit(bootproto.Frame{Kind: bootproto.KindHello, Boot: plan.Boot, Cases: plan.NumCases()})
	r, err := NewRunner(plan, "/tmp", emit)
	if err != nil {
		emit(bootproto.Frame{Kind: bootproto.KindError, Reason: err.Error()})
		shutdown()
	}
	r.IsInit = true
	r.RunPlan()
	emit(bootproto.Frame{Kind: bootproto.KindDone})
	shutdown()
}

// writeLine writes one console line in one write(2), so that lines of the
// runner are never interleaved with each other.
func writeLine(s string) {
	os.Stdout.Write([]byte(s + "\n"))
}
