//go:build mutation && linux

package raw

import "os"

// A mutation build injects the vfork-raise mutants here, where the
// scenario makes the vforked child's requests (the names and their bugs:
// internal/ptrace/mutant_vraise_linux.go). The variable is the one
// internal/ptrace reads, $PTRACESUITE_MUTANT, which tracees inherit.
var vraiseMutant = os.Getenv("PTRACESUITE_MUTANT")

// mutRaiseStep: vfork-raise-lost sends signal 0, which only checks the pid.
func mutRaiseStep(s sysStep) sysStep {
	if vraiseMutant == "vfork-raise-lost" {
		s.a4 = 0
	}
	return s
}

// mutTraceMe: vfork-traceme-ignored leaves PT_TRACE_ME out, in every raw
// vforked child that asks for it (raise, crash, exec, nested creation).
func mutTraceMe(traceMe bool) bool { return traceMe && vraiseMutant != "vfork-traceme-ignored" }
