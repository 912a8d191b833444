package expect

import (
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// Setups prepare a creation scenario's signal state: "" (none) and every
// SigSetups suffix.
func setups() map[string]func(*tracee.Ctx) {
	m := map[string]func(*tracee.Ctx){"": func(*tracee.Ctx) {}}
	for _, s := range SigSetups {
		m[s.Suffix] = s.Setup
	}
	return m
}

// RegisterCreation registers, for every setup suffix S, the scenarios
// "<name>S" (traced from exec, stops at its ready point) and
// "<name>S_attached" (untraced, waits for the tracer's go). Each creates one
// child with create, reports its pid as "child", waits for it, reports its
// raw wait status as "child_status" and exits ParentExit. Before its ready
// point it reports its signal state ("sigstate", ReportSignalState), the
// mask it holds inside a creating call ("sigmask_creating") and the LWP
// that stops there ("sigstate_lwp").
func RegisterCreation(name string, create func(c *tracee.Ctx) (int, error)) {
	RegisterCreationThen(name, func(c *tracee.Ctx) (int, func(), error) {
		pid, err := create(c)
		return pid, nil, err
	})
}

// RegisterCreationThen is RegisterCreation for a scenario with more to
// report: create also returns a function (may be nil) that runs after the
// child has been reaped and "child_status" reported.
func RegisterCreationThen(name string, create func(c *tracee.Ctx) (int, func(), error)) {
	for sname, setup := range setups() {
		for _, attached := range []bool{false, true} {
			full := name + sname
			if attached {
				full += "_attached"
			}
			tracee.Register(full, func(c *tracee.Ctx) int {
				setup(c)
				// What the kernel must keep at every stop (SigSetup.SignalState).
				ReportSignalState(c, "sigstate")
				ReportCreatingMask(c, "sigmask_creating")
				c.Report("sigstate_lwp", raw.ThreadID())
				if attached {
					c.AwaitGo()
				} else {
					c.Ready()
				}
				pid, then, err := create(c)
				c.Check(name, err)
				c.Report("child", pid)
				st, err := raw.WaitExit(pid)
				c.Check("wait for child", err)
				c.Report("child_status", st)
				if then != nil {
					then()
				}
				return ParentExit
			})
		}
	}
}
