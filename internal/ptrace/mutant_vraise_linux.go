//go:build mutation && linux

package ptrace

// The vfork-raise mutants (tests/siginfo traceme_vfork_raise_*). Their
// bugs are in what the kernel does to a vforked child's own requests, which
// the scenario makes itself (internal/raw, not this tracer): the effect is
// injected there (internal/raw/mutant_vraise_linux.go); the names join
// Mutants here, in a package-level initializer (see mutant_kill_linux.go).
var _ = func() bool {
	Mutants["vfork-raise-lost"] = "a signal a vforked child sends itself (kill(getpid(), sig)) is discarded"
	Mutants["vfork-traceme-ignored"] = "PT_TRACE_ME in a vforked child has no effect: its signals get their default action, no stop for the tracer"
	return true
}()
