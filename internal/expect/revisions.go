package expect

import (
	"fmt"
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

// KnownBugs declares the case an expected failure on a kernel that predates
// one of the fixes it checks, naming the fix. A case never skips for a
// missing fix: catching it is the suite's job.
func KnownBugs(t *atfshim.T, fixes ...nbabi.Feature) {
	t.Helper()
	for _, f := range fixes {
		if why := tracer.Lacks(f); why != "" {
			t.ExpectFail("kernel bug, fixed later: " + why)
			return
		}
	}
}

// RaceBefore is a kernel race of the revisions that predate Fix: there the
// case runs only when the racy variable is true (its outcome depends on
// timing), and its skip names the race and the fix.
type RaceBefore struct {
	Fix  nbabi.Feature
	Race string // what races, in the kernel's words
}

// Gate skips the case unless racy=true on a kernel that predates r.Fix.
func (r RaceBefore) Gate(t *atfshim.T) {
	t.Helper()
	if r.Fix.Name == "" {
		return
	}
	if why := tracer.Lacks(r.Fix); why != "" {
		t.RacyHere(r.Race + "; " + why)
	}
}

// Text states r for docs/SEMANTICS.md: the value now, then each older
// revision's, each value as format words it.
func (r Revised[T]) Text(format func(T) string) string {
	s := format(r.Now)
	for _, o := range r.Before {
		s += fmt.Sprintf("; before NetBSD %s (%s): %s", nbabi.OSRevisionString(o.Feature.Since), o.Feature.Name, format(o.Value))
	}
	return s
}

// Text states the race for docs/SEMANTICS.md ("" when there is none).
func (r RaceBefore) Text() string {
	if r.Fix.Name == "" {
		return ""
	}
	return fmt.Sprintf("before NetBSD %s (%s) the case runs only with racy=true: %s", nbabi.OSRevisionString(r.Fix.Since), r.Fix.Name, r.Race)
}
