package clone

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"ptracesuite/internal/expect"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// cloneBits are the sharing and waiting flags the suite combines.
var cloneBits = []int{raw.CloneVM, raw.CloneFS, raw.CloneFiles, raw.CloneSighand, raw.CloneVfork}

// validFlagSets are every combination of cloneBits both kernels accept:
// CLONE_SIGHAND needs CLONE_VM.
func validFlagSets() []int {
	var sets []int
	for i := 0; i < 1<<len(cloneBits); i++ {
		f := 0
		for j, b := range cloneBits {
			if i&(1<<j) != 0 {
				f |= b
			}
		}
		if f&raw.CloneSighand == 0 || f&raw.CloneVM != 0 {
			sets = append(sets, f)
		}
	}
	return sets
}

// exitSignals are the exit signals a clone child gets in this area:
// SIGCHLD, another signal, and none.
var exitSignals = []syscall.Signal{syscall.SIGCHLD, syscall.SIGUSR1, 0}

// scenario names the creation scenario that clones with flags and sig.
func scenario(flags int, sig syscall.Signal) string {
	return fmt.Sprintf("clone_f%x_s%d", flags, int(sig))
}

// Creation scenarios (expect.RegisterCreationThen: every SIGTRAP setup,
// traced and _attached) for every valid flag set and exit signal: clone one
// child that exits 0. After reaping it the scenario reports whether the
// child's exit signal reached it ("exit_signal_received" 1 or 0, waiting
// up to exitSignalWait; always 1 for no exit signal).
func init() {
	for _, f := range validFlagSets() {
		for _, sig := range exitSignals {
			expect.RegisterCreationThen(scenario(f, sig), func(c *tracee.Ctx) (int, func(), error) {
				got := make(chan os.Signal, 1)
				if sig != 0 {
					signal.Notify(got, sig)
				}
				pid, err := raw.CloneExit(f, int(sig), 0)
				return pid, func() { c.Report("exit_signal_received", received(got, sig)) }, err
			})
		}
	}
}

const exitSignalWait = 5 * time.Second

// received: the kernel sends the exit signal before the child can be
// reaped, so after the reap it is at most in flight to the channel.
func received(got chan os.Signal, sig syscall.Signal) int {
	if sig == 0 {
		return 1
	}
	defer signal.Stop(got)
	select {
	case <-got:
		return 1
	case <-time.After(exitSignalWait):
		return 0
	}
}

// invalid is a clone request with its expected errno per kernel.
type invalid struct {
	ident, descr string
	flags        int
	sig          int
	nullStack    bool
	errno        map[string]syscall.Errno // 0: the kernel accepts it
}

var invalids = []invalid{
	{"clone_sighand_without_vm", "CLONE_SIGHAND without CLONE_VM is refused with EINVAL (both kernels enforce Linux's rule)",
		raw.CloneSighand, int(syscall.SIGCHLD), false,
		map[string]syscall.Errno{"netbsd": syscall.EINVAL, "linux": syscall.EINVAL}},
	// NetBSD sys___clone: exit signal >= _NSIG (64) -> EINVAL. Linux's
	// clone(2) takes the CSIGNAL byte unchecked (kernel/fork.c checks the
	// exit signal only for clone3), so 64+1 creates the child.
	{"clone_exit_signal_nsig", "an exit signal >= NSIG: NetBSD refuses it with EINVAL; Linux's clone(2) does not check it (only clone3 does)",
		0, nsigProbe, false,
		map[string]syscall.Errno{"netbsd": syscall.EINVAL, "linux": 0}},
	// NetBSD's t_clone null_stack expects EINVAL from libc's clone(3),
	// which checks the stack itself; neither kernel's clone entry point
	// does (NetBSD sys___clone, Linux kernel/fork.c): the child keeps the
	// parent's stack pointer. The raw child never touches a stack, so it
	// exits 0 safely.
	{"clone_null_stack", "a NULL stack with CLONE_VM: EINVAL is libc's check (NetBSD t_clone null_stack); both kernels accept it at the system call",
		raw.CloneVM, int(syscall.SIGCHLD), true,
		map[string]syscall.Errno{"netbsd": 0, "linux": 0}},
}

// nsigProbes is the first exit signal past the kernel's signals: NetBSD's
// _NSIG is 64 (signals 1..63); Linux's signals are 1..64.
var nsigProbes = map[string]int{"netbsd": 64, "linux": 65}

var nsigProbe = nsigProbes[runtime.GOOS]

// Scenarios "<ident>" for invalids: issue the request, report its errno
// as "errno" (0 when the kernel accepted it; then reap the child), exit
// ParentExit.
func init() {
	for _, iv := range invalids {
		tracee.Register(iv.ident, func(c *tracee.Ctx) int {
			c.Ready()
			var err error
			if iv.nullStack {
				err = raw.CloneNullStack(iv.flags, iv.sig)
			} else {
				var pid int
				if pid, err = raw.CloneExit(iv.flags, iv.sig, 0); err == nil {
					_, werr := raw.WaitExit(pid)
					c.Check("wait for child", werr)
				}
			}
			errno := 0
			if e, ok := err.(syscall.Errno); ok {
				errno = int(e)
			} else if err != nil {
				c.Fatalf("clone: %v", err)
			}
			c.Report("errno", errno)
			return expect.ParentExit
		})
	}
}
