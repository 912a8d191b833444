package expect

import (
	"fmt"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/tracer"
)

// MaskMatrix is one of NetBSD's mask families (fork1..fork16, vfork1..16,
// clone1..8 and so on): the same body under each of the first N of NetBSD's
// numbered event masks (MaskN), case name Prefix+n.
type MaskMatrix struct {
	Test   func(*testing.T)
	Prefix string
	Descr  string // with one %v for the mask
	N      int    // 16, or 8 for the families without SPAWN (clone*)
}

// Declare declares the family's cases; call it from an init function.
func (mm MaskMatrix) Declare() {
	for n := 1; n <= mm.N; n++ {
		atfshim.DeclareSub(mm.Test, fmt.Sprintf("%s%d", mm.Prefix, n), atfshim.Meta{
			Descr: fmt.Sprintf(mm.Descr, MaskN(n)), Timeout: CaseTimeout,
		})
	}
}

// Run runs body for each case of the family from mm.Test.
func (mm MaskMatrix) Run(t *testing.T, body func(t *atfshim.T, m tracer.Mask)) {
	for n := 1; n <= mm.N; n++ {
		atfshim.RunSub(t, fmt.Sprintf("%s%d", mm.Prefix, n), func(t *atfshim.T) { body(t, MaskN(n)) })
	}
}

// Cases names the family's cases for docs/SEMANTICS.md: "fork1..fork16".
func (mm MaskMatrix) Cases() string { return fmt.Sprintf("%s1..%s%d", mm.Prefix, mm.Prefix, mm.N) }
