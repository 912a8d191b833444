package expect

import (
	"runtime"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

// Revised is one kernel's expectation across its revisions: Now holds on a
// kernel that has every feature in Before; a kernel that lacks one gets the
// value of the newest feature it lacks. Before is newest first. Only NetBSD
// revisions are told apart (tracer.Lacks never reports a Linux feature).
type Revised[T any] struct {
	Now    T
	Before []Older[T]
}

// Older is the expectation on kernels that predate Feature.
type Older[T any] struct {
	Feature nbabi.Feature
	Value   T
}

// Here returns the value for the running kernel and, when an older row
// chose it, why.
func (r Revised[T]) Here() (T, string) {
	for _, o := range r.Before {
		if why := tracer.Lacks(o.Feature); why != "" {
			return o.Value, why
		}
	}
	return r.Now, ""
}

// Pick returns the running kernel's row of a per-kernel table of revised
// expectations, logging which revision chose it, or fails the case when
// nobody wrote the kernel's expectation down.
func Pick[T any](t *atfshim.T, what string, table map[string]Revised[T]) T {
	t.Helper()
	r, ok := table[runtime.GOOS]
	if !ok {
		t.Fatalf("no %s written down for %s", what, runtime.GOOS)
	}
	v, why := r.Here()
	if why != "" {
		t.Logf("%s: the older rule applies: %s", what, why)
	}
	return v
}
