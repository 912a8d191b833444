package fork

import (
	"syscall"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// parentExit is the exit code of every forking scenario's parent: the
// tracer must see exactly this code, distinct from the child's 0.
const parentExit = 5

// spawnPath is what the spawn scenario starts. /bin/echo exists on NetBSD
// and Debian alike (NetBSD's suite spawns it too).
var spawnPath = "/bin/echo"

// creators make one child that exits 0, the way the scenario's name says.
var creators = map[string]func() (int, error){
	"fork":  func() (int, error) { return raw.ForkExit(0) },
	"spawn": func() (int, error) { return raw.Spawn(spawnPath, []string{"echo", "ptrace"}, nil) },
}

// setups prepare the scenario's signal state before it creates its child.
var setups = map[string]func(c *tracee.Ctx){
	"":            func(*tracee.Ctx) {},
	"_sigmasked":  func(c *tracee.Ctx) { c.Check("block SIGTRAP", raw.BlockSignal(int(syscall.SIGTRAP))) },
	"_sigignored": func(c *tracee.Ctx) { c.Check("ignore SIGTRAP", raw.IgnoreSignal(int(syscall.SIGTRAP))) },
}

// Scenario "<creator><setup>" (traced from exec, stops at its ready point)
// and "<creator><setup>_attached" (untraced, waits for the tracer's go):
// create one child, report its pid as "child", wait for it, report its raw
// wait status as "child_status", exit parentExit.
func init() {
	for cname, create := range creators {
		for sname, setup := range setups {
			for _, attached := range []bool{false, true} {
				name := cname + sname
				if attached {
					name += "_attached"
				}
				tracee.Register(name, func(c *tracee.Ctx) int {
					setup(c)
					if attached {
						c.AwaitGo()
					} else {
						c.Ready()
					}
					pid, err := create()
					c.Check(cname, err)
					c.Report("child", pid)
					st, err := raw.WaitExit(pid)
					c.Check("wait for child", err)
					c.Report("child_status", st)
					return parentExit
				})
			}
		}
	}
}
