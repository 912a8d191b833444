package tracee

import (
	"os"

	"ptracesuite/internal/raw"
)

// EnvTarget names the scenario the built-in "launch" scenario starts.
const EnvTarget = "PTRACESUITE_TARGET"

// The "launch" scenario makes the tracer unrelated to its tracee: it starts
// the scenario named by PTRACESUITE_TARGET as its own (untraced) child, with
// the same report and go pipes, reports "target=<pid>", waits for it and
// reports "target_status=<raw wait status>". The tracer then attaches to a
// process that is not its child, as a debugger attaching to a running
// program does; the kernel must report the same events to such a tracer.
func init() {
	Register("launch", func(c *Ctx) int {
		exe, err := os.Executable()
		c.Check("os.Executable", err)
		env := Env(os.Environ(), EnvScenario, os.Getenv(EnvTarget))
		p, err := os.StartProcess(exe, []string{exe}, &os.ProcAttr{
			Env:   env,
			Files: []*os.File{os.Stdin, os.Stdout, os.Stderr, c.report, c.gofd},
		})
		c.Check("start target", err)
		c.Report("target", p.Pid)
		st, err := raw.WaitExit(p.Pid)
		c.Check("wait for target", err)
		c.Report("target_status", st)
		return 0
	})
}
