package tracer

import (
	"testing"

	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/ptrace"
)

// Needs skips the case when the kernel under test predates a feature the
// case needs, naming the feature and the revision that added it. The
// features are NetBSD's; on Linux each case's data names its analog or its
// skip, so Needs never skips there.
func Needs(tb testing.TB, fs ...nbabi.Feature) {
	tb.Helper()
	for _, f := range fs {
		if why := ptrace.Lacks(f); why != "" {
			tb.Skip(why)
		}
	}
}

// Lacks reports why the kernel under test predates f ("" if it has it),
// for cases whose expectations change with the feature rather than skip.
func Lacks(f nbabi.Feature) string { return ptrace.Lacks(f) }
