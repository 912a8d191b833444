package tracer

import (
	"testing"

	"ptracesuite/internal/nbabi"
)

// MissingError is a request the tracer did not send because the running
// kernel's revision gives its number another meaning, or none.
type MissingError struct {
	Request string // the request as sys/sys/ptrace.h 1.75 names it
	Why     string // the feature and the revision that added it
}

func (e *MissingError) Error() string { return e.Request + " not sent: " + e.Why }

// Needs skips the case when the kernel under test predates a feature the
// case needs, naming the feature and the revision that added it. The
// features are NetBSD's; on Linux each case's data names its analog or its
// skip, so Needs never skips there.
func Needs(tb testing.TB, fs ...nbabi.Feature) {
	tb.Helper()
	for _, f := range fs {
		if why := featureMissing(f); why != "" {
			tb.Skip(why)
		}
	}
}

// Lacks reports why the kernel under test predates f ("" if it has it),
// for cases whose expectations change with the feature rather than skip.
func Lacks(f nbabi.Feature) string { return featureMissing(f) }
