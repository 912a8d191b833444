//go:build linux || netbsd

package raw

import (
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The crash triggers make the CPU fault on the calling thread, so that the
// kernel sends the fault signal with a fault si_code (not SI_USER/SI_LWP).
// They are assembly (crash_<arch>.s) because Go itself never traps: the
// compiler guards integer division with a check that panics.
func crashTrap()   // the machine's breakpoint instruction (NetBSD PTRACE_BREAKPOINT_ASM)
func crashIll()    // an undefined instruction (NetBSD PTRACE_ILLEGAL_ASM)
func crashFpe()    // x86: integer divide by zero; arm, arm64: FP divide by zero with the trap enabled
func textScratch() // never executed: a patch of text for PT_WRITE_I / PT_IO PIOD_WRITE_I tests

// load reads one byte at addr with a plain load instruction.
func load(addr uintptr) byte

// fpTrapProbe reports whether the FPU keeps the invalid-operation trap
// enable bit once set (x86: true, integer division traps there).
func fpTrapProbe() bool

// trapAddr and textScratchAddr are the ABI0 entry addresses of crashTrap
// and textScratch (a Go func value would name a wrapper).
func trapAddr() uintptr
func textScratchAddr() uintptr

// illAddr and fpeAddr are those of crashIll and crashFpe.
func illAddr() uintptr
func fpeAddr() uintptr

// Crash names one way to crash: the signal it raises and its trigger.
type Crash struct {
	Name string // "trap", "segv", "ill", "fpe", "bus"
	Sig  unix.Signal
	run  func() error
}

// Crashes are NetBSD's five crash signals, in its suite's order.
var Crashes = []Crash{
	{"trap", unix.SIGTRAP, func() error { crashTrap(); return nil }},
	{"segv", unix.SIGSEGV, crashSegv},
	{"ill", unix.SIGILL, func() error { crashIll(); return nil }},
	{"fpe", unix.SIGFPE, func() error { crashFpe(); return nil }},
	{"bus", unix.SIGBUS, crashBus},
}

// CrashByName returns the named crash.
func CrashByName(name string) (Crash, bool) {
	for _, c := range Crashes {
		if c.Name == name {
			return c, true
		}
	}
	return Crash{}, false
}

// Trigger crashes the calling thread; it returns only if the fault did not
// happen (or a handler returned), with an error when the set-up failed.
func (c Crash) Trigger() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return c.run()
}

// NoIllegalInstruction are the machines whose <machine/ptrace.h> defines
// no PTRACE_ILLEGAL_ASM (NetBSD's sparc and sparc64 ports; neither is a Go
// target, but the table says so rather than pretending every port has one).
var NoIllegalInstruction = map[string]string{
	"sparc":   "PTRACE_ILLEGAL_ASM not defined (sys/arch/sparc/include/ptrace.h)",
	"sparc64": "PTRACE_ILLEGAL_ASM not defined (sys/arch/sparc64/include/ptrace.h)",
}

// IntDivTraps says, per GOARCH, whether an integer divide by zero traps.
// x86 raises #DE; AArch64 UDIV/SDIV and ARMv7 SDIV/UDIV return 0 instead, so
// there the trigger is an FP divide by zero with the trap enabled, which
// only works where the FPU implements trapped exceptions.
var IntDivTraps = map[string]bool{"amd64": true, "386": true, "arm64": false, "arm": false}

// FPExceptionsSupported is NetBSD's are_fpu_exceptions_supported: on
// machines where integer division does not trap, set the invalid-operation
// trap enable bit and see whether the FPU keeps it (many NEON FPUs read it
// back as 0 and never trap).
func FPExceptionsSupported() bool {
	if IntDivTraps[runtime.GOARCH] {
		return true
	}
	return fpTrapProbe()
}

// CrashUnsupported returns why this machine cannot raise the crash's
// signal, or "" when it can: the quirk table as data.
func CrashUnsupported(c Crash) string {
	switch {
	case c.Sig == unix.SIGILL && NoIllegalInstruction[runtime.GOARCH] != "":
		return NoIllegalInstruction[runtime.GOARCH]
	case c.Sig == unix.SIGFPE && !FPExceptionsSupported():
		return "FP exceptions are not supported"
	}
	return ""
}

// TrapAddress is where the breakpoint trigger starts: resuming a tracee
// there makes it stop with SIGTRAP at once.
func TrapAddress() uintptr { return trapAddr() }

// TextScratchAddress is the address of a patch of this binary's text that
// no code executes.
func TextScratchAddress() uintptr { return textScratchAddr() }

// ReadByte reads the byte at addr with a load instruction (text included).
func ReadByte(addr uintptr) byte { return load(addr) }

// crashSegv loads from a page that was mapped and is now unmapped, so the
// fault is SEGV_MAPERR whatever lives at address 0.
func crashSegv() error {
	p, err := unix.Mmap(-1, 0, os.Getpagesize(), unix.PROT_READ, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return err
	}
	addr := sliceAddr(p)
	if err := unix.Munmap(p); err != nil {
		return err
	}
	load(addr)
	return nil
}

// crashBus is NetBSD's trigger_bus: map a page of a file, truncate the file
// to 0 and load from the page, which now lies past the end of the file
// (BUS_ADRERR).
func crashBus() error {
	f, err := os.CreateTemp("", "ptrace-bus-*")
	if err != nil {
		return err
	}
	// The name goes at once: the crash ends this process before any
	// deferred cleanup could run, and the open file is all the load needs.
	os.Remove(f.Name())
	defer f.Close()
	pg := os.Getpagesize()
	if err := f.Truncate(int64(pg)); err != nil {
		return err
	}
	p, err := unix.Mmap(int(f.Fd()), 0, pg, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	load(sliceAddr(p))
	return unix.Munmap(p)
}

func sliceAddr(p []byte) uintptr { return uintptr(unsafe.Pointer(&p[0])) }
