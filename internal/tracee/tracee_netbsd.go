package tracee

// dieWithParent: NetBSD has no parent-death signal. A tracee outlives a
// SIGKILLed test binary there unless the kernel ends traced processes with
// their tracer (UNVERIFIED); the tracer's own watchdog kills everything
// before kyua's timeout would.
func dieWithParent() {}
