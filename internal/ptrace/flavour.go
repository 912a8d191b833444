package ptrace

import "fmt"

// Flavour is one of the kernel's wait(2) entry points with the argument
// pattern of its libc wrapper. NetBSD's suite found bugs that only one
// flavour showed, so the suite can run a case under each. The suite calls
// the syscalls directly (no libc): it tests the kernel's entry points.
type Flavour struct {
	Name string
	// HasPid: the flavour can wait for one pid (NetBSD's TWAIT_HAVE_PID).
	// Without it the tracer waits for any child and queues the others.
	HasPid bool
	// HasStatus: the flavour returns a wait status (waitid returns a
	// siginfo instead; the tracer synthesizes the status from it).
	HasStatus bool

	wait func(pid int) (wpid int, status uint32, siginfo []byte, err error)
}

// FlavourNames lists every flavour either kernel has, in NetBSD's order.
var FlavourNames = []string{"wait", "waitpid", "waitid", "wait3", "wait4", "wait6"}

// FlavourByName returns the named flavour of this kernel, or an error that
// says why this kernel does not have it.
func FlavourByName(name string) (Flavour, error) {
	for _, f := range flavours {
		if f.Name == name {
			return f, nil
		}
	}
	if why, ok := missingFlavours[name]; ok {
		return Flavour{}, fmt.Errorf("%s", why)
	}
	return Flavour{}, fmt.Errorf("unknown wait flavour %q", name)
}

// defaultFlavour is waitpid: wait4 without a struct rusage for the
// kernel to fill at every report, the least a wait asks of it.
func defaultFlavour() Flavour {
	f, err := FlavourByName("waitpid")
	if err != nil {
		panic(err)
	}
	return f
}
