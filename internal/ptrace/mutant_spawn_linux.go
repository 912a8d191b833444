//go:build mutation && linux

package ptrace

import (
	"fmt"
	"os"
)

// Kernel bugs of the LWP listing, injected at the request
// (mutant_linux.go says how mutants work). They are added while package
// variables are initialized, before mutant_linux.go's init checks the name.
var _ = func() bool {
	Mutants["lwpinfo-drops-lwp"] = "the LWP listing (PT_LWPINFO; Linux /proc/PID/task) omits the last LWP that is not the signalled one"
	Mutants["exec-drops-sigstate"] = "execve clears the blocked set and every SIG_IGN: a process that exec'd another image blocks and ignores nothing"
	return true
}()

// mutExecSigState applies exec-drops-sigstate to the signal state of pid:
// a process whose image is not this binary (every tracee runs this
// binary) has exec'd.
func mutExecSigState(pid int, st SigState) SigState {
	if mutant != "exec-drops-sigstate" {
		return st
	}
	self, err1 := os.Executable()
	img, err2 := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err1 == nil && err2 == nil && img != self {
		return SigState{}
	}
	return st
}

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
