//go:build !(mutation && linux)

package ptrace

// Without the mutation build (mutant_topology_linux.go) the kernel's
// answers to PT_ATTACH and PT_TRACE_ME are returned unaltered.

func mutAttach(err error) error  { return err }
func mutTraceMe(err error) error { return err }
