package ptrace

import "ptracesuite/internal/nbabi"

// MissingError is a request the tracer did not send because the running
// kernel's revision gives its number another meaning, or none.
type MissingError struct {
	Request string // the request as sys/sys/ptrace.h 1.75 names it
	Why     string // the feature and the revision that added it
}

func (e *MissingError) Error() string { return e.Request + " not sent: " + e.Why }

// Lacks reports why the running kernel predates f ("" if it has it). The
// features are NetBSD's; on Linux it is always "".
func Lacks(f nbabi.Feature) string { return featureMissing(f) }
