//go:build !(mutation && linux)

package ptrace

// Without the mutation build the LWP listing and the signal state are what
// the kernel said (mutant_spawn_linux.go).

func mutLwpInfo(l []Lwp) []Lwp                    { return l }
func mutExecSigState(_ int, st SigState) SigState { return st }
