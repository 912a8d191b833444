//go:build !(linux && (amd64 || arm64 || 386 || arm))

package ptrace

// QuietStops changes nothing here: on NetBSD, and on the Linux arches
// whose struct sigaction the core does not lay out, the runtime's
// SIGCHLD handler runs at each stop as before (quiet_linux.go).
func QuietStops() error { return nil }
