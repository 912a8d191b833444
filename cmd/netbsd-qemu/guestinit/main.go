//go:build unix

package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

func main() {
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "guestinit: this is the /sbin/init of a cmd/netbsd-qemu image; it only runs as pid 1")
		os.Exit(2)
	}
	runInit()
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
