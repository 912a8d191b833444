//go:build mutation && linux

package ptrace

// Kernel bugs of the LWP listing, injected at the request
// (mutant_linux.go says how mutants work). They are added while package
// variables are initialized, before mutant_linux.go's init checks the name.
var _ = func() bool {
	Mutants["lwpinfo-drops-lwp"] = "the LWP listing (PT_LWPINFO; Linux /proc/PID/task) omits the last LWP that is not the signalled one"
	return true
}()

// mutLwpInfo applies lwpinfo-drops-lwp to a listing.
func mutLwpInfo(l []Lwp) []Lwp {
	if mutant != "lwpinfo-drops-lwp" {
		return l
	}
	for i := len(l) - 1; i >= 0; i-- {
		if !l[i].Signalled {
			return append(l[:i:i], l[i+1:]...)
		}
	}
	return l
}
