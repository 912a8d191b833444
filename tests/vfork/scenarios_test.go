package vfork

import (
	"ptracesuite/internal/expect"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// execPath is what the vfork_exec scenario's child execs. /bin/echo exists
// on NetBSD and Debian alike (NetBSD's suite execs it too).
var execPath = "/bin/echo"

// Creation scenarios (expect.RegisterCreation: every SIGTRAP setup, traced
// and _attached): the scenario vforks one child that exits 0 or execs.
func init() {
	expect.RegisterCreation("vfork", func(*tracee.Ctx) (int, error) { return raw.VforkExit(0) })
	expect.RegisterCreation("vfork_novm", func(*tracee.Ctx) (int, error) { return raw.VforkNoVMExit(0) })
	expect.RegisterCreation("vfork_exec", func(*tracee.Ctx) (int, error) {
		return raw.VforkExec(execPath, []string{"echo", "ptrace"}, nil)
	})
}

// nested names how a vforked child creates a child of its own.
type nested struct {
	name  string // scenario and case suffix, NetBSD's traceme_vfork_<name>
	inner func() (raw.Inner, error)
}

func cloneInner(flags int) func() (raw.Inner, error) {
	return func() (raw.Inner, error) { return raw.InnerClone(flags) }
}

func plain(in func() raw.Inner) func() (raw.Inner, error) {
	return func() (raw.Inner, error) { return in(), nil }
}

var nesteds = []nested{
	{"fork", plain(raw.InnerFork)},
	{"vfork", plain(raw.InnerVfork)},
	{"clone", cloneInner(0)},
	{"clone_vm", cloneInner(raw.CloneVM)},
	{"clone_fs", cloneInner(raw.CloneFS)},
	{"clone_files", cloneInner(raw.CloneFiles)},
	{"clone_sighand", cloneInner(raw.CloneSighand | raw.CloneVM)},
	{"clone_vfork", cloneInner(raw.CloneVfork)},
}

// Scenarios "traceme_vfork_<name>" and "vfork_chain_<name>": vfork a child
// (raw.VforkThen) that makes a child of its own with <name>, waits for it
// and exits 0; the traceme_ variant's child first calls PT_TRACE_ME, making
// the scenario (asleep in vfork) its tracer. Reports "child", the child's
// wait4 status for its own child as "inner_status", and this process's
// wait status for the child as "child_status"; exits ParentExit.
func init() {
	for _, n := range nesteds {
		for _, traceMe := range []bool{true, false} {
			name := "vfork_chain_" + n.name
			if traceMe {
				name = "traceme_vfork_" + n.name
			}
			tracee.Register(name, func(c *tracee.Ctx) int {
				in, err := n.inner()
				c.Check(n.name, err)
				c.Ready()
				pid, inner, err := raw.VforkThen(traceMe, in, 0)
				c.Check("vfork", err)
				c.Report("child", pid)
				c.Report("inner_status", inner)
				st, err := raw.WaitExit(pid)
				c.Check("wait for child", err)
				c.Report("child_status", st)
				return expect.ParentExit
			})
		}
	}
}
