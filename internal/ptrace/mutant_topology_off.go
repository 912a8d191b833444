//go:build !(mutation && linux)

package ptrace

// Without the mutation build (mutant_topology_linux.go) the kernel's
// answers to PT_ATTACH and PT_TRACE_ME are returned unaltered.

func mutAttach(pid int, err error) error { return err }
func mutTraceMe(err error) error         { return err }
func mutPollEmpty(pid int) (Event, bool) { return Event{}, false }
func mutParent(p int) int                { return p }
func mutProcEntries(n int) int           { return n }
