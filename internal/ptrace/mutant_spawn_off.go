//go:build !(mutation && linux)

package ptrace

// Without the mutation build the LWP listing is what the kernel said
// (mutant_spawn_linux.go).

func mutLwpInfo(l []Lwp) []Lwp { return l }
