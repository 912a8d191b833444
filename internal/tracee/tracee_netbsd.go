package tracee

// dieWithParent: NetBSD has no parent-death signal. A process the test
// binary traces dies with it anyway: exit1() (sys/kern/kern_exit.c) SIGKILLs
// every traced child of an exiting tracer ("orphaned traced process").
// Only a process that is not (or no longer) traced when the test binary is
// SIGKILLed, e.g. a launcher's target before PT_ATTACH or after PT_DETACH,
// runs on; the tracer's own watchdog kills everything before kyua's timeout
// would.
func dieWithParent() {}
