//go:build linux || netbsd

package raw

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// VforkCrashes are the crashes VforkCrash can make, NetBSD's five. A vfork
// child runs only its step list (see rawFork). Its load faults come from
// the step loop itself: steps that end at a page boundary make it load the
// next, missing, step from the page after, which is unmapped (SIGSEGV,
// SEGV_MAPERR) or a page of a file past its end (SIGBUS, BUS_ADRERR). Its
// instruction faults come from a jump step (jumpTrap) to the trigger of
// Crashes, which faults before it touches the stack: the breakpoint, the
// undefined instruction, the division.
var VforkCrashes = []string{"trap", "segv", "ill", "fpe", "bus"}

// jumpTrap as a step's number makes the child loop jump to the step's a1
// (child_<arch>.h, raw_<os>_<arch>.s) instead of making a system call.
const jumpTrap = ^uintptr(0)

// vforkJumps are the triggers a jump step runs, by crash name.
var vforkJumps = map[string]func() uintptr{"trap": trapAddr, "ill": illAddr, "fpe": fpeAddr}

// vforkCrashPlan is what the child's steps point to. The parent keeps it
// alive and sleeps in vfork until the child has died.
type vforkCrashPlan struct {
	act   sigactiont
	mask  sigset
	steps [4]sysStep // a jump crash's steps
}

// VforkCrash creates a child with the real vfork that sets its signal's
// disposition and its mask per setup ("": SIG_DFL, unblocked; "_masked":
// blocked; "_ignored": SIG_IGN), calls PT_TRACE_ME when traceMe is set
// (making this process its tracer), and then faults with the named crash.
// It returns the child's pid once vfork returns.
func VforkCrash(name, setup string, traceMe bool) (int, error) {
	c, ok := CrashByName(name)
	if !ok {
		return 0, fmt.Errorf("no vfork crash %q", name)
	}
	sig := int(c.Sig)
	plan := new(vforkCrashPlan)
	switch setup {
	case "":
	case "_masked":
		sigaddset(&plan.mask, sig)
	case "_ignored":
		plan.act.handler = sigIgn
	default:
		return 0, fmt.Errorf("no setup %q", setup)
	}
	list := []sysStep{sigactionStep(sig, &plan.act), setmaskStep(&plan.mask)}
	if mutTraceMe(traceMe) {
		list = append(list, sysStep{trap: sysPtrace, a1: ptTraceMe})
	}
	if jump, ok := vforkJumps[name]; ok {
		copy(plan.steps[:], append(list, sysStep{trap: jumpTrap, a1: jump()}))
		pid, err := forkChild(vforkCall, 0, func(*sigset) *sysStep { return &plan.steps[0] })
		runtime.KeepAlive(plan)
		return pid, err
	}
	pg := os.Getpagesize()
	region, err := unix.Mmap(-1, 0, 2*pg, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return 0, err
	}
	defer unix.Munmap(region)
	after := unsafe.Pointer(&region[pg])
	if name == "segv" {
		err = unix.MunmapPtr(after, uintptr(pg))
	} else {
		err = mapPastEOF(after, pg)
	}
	if err != nil {
		return 0, err
	}
	size := int(unsafe.Sizeof(sysStep{}))
	steps := unsafe.Slice((*sysStep)(unsafe.Pointer(&region[pg-len(list)*size])), len(list))
	copy(steps, list)
	pid, err := forkChild(vforkCall, 0, func(*sigset) *sysStep { return &steps[0] })
	runtime.KeepAlive(plan)
	return pid, err
}

// mapPastEOF maps a page of a file at addr and truncates the file to 0, so
// that every byte of the page lies past its end.
func mapPastEOF(addr unsafe.Pointer, pg int) error {
	f, err := os.CreateTemp("", "ptrace-vfork-bus-*")
	if err != nil {
		return err
	}
	// The name goes at once: a tracee killed before a deferred remove
	// would leave the file; the open file is all the mapping needs.
	os.Remove(f.Name())
	defer f.Close()
	if err := f.Truncate(int64(pg)); err != nil {
		return err
	}
	if _, err := unix.MmapPtr(int(f.Fd()), 0, addr, uintptr(pg), unix.PROT_READ, unix.MAP_SHARED|unix.MAP_FIXED); err != nil {
		return err
	}
	return f.Truncate(0)
}
