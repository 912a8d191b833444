// Package fork is the ATF program t_fork: what the kernel reports to a
// tracer when a traced process forks or posix_spawns (NetBSD's fork1..16,
// posix_spawn1..16, fork_detach_forker, fork_kill_forker, unrelated_tracer_*,
// fork_signalmasked/ignored), plus the forkee variants NetBSD lacks.
package fork

import (
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
)

func TestMain(m *testing.M) {
	tracee.RunIfRequested()
	semantics.DumpIfRequested()
	atfshim.Main(m)
}
