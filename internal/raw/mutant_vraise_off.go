//go:build !(mutation && linux)

package raw

// The vfork-raise mutants compile to nothing (mutant_vraise_linux.go).

func mutRaiseStep(s sysStep) sysStep { return s }
func mutTraceMe(traceMe bool) bool   { return traceMe }
