// Package kill is the ATF program t_kill: how a traced process dies. PT_KILL
// (Linux PTRACE_KILL), kill(2) and killpg(3) with SIGKILL of a stopped
// tracee (NetBSD's kill1..3), and PT_KILL and kill(SIGKILL) at every event
// stop the suite reaches: fork, vfork, vfork-done, posix_spawn, LWP create
// and exit, exec, syscall entry and exit. The tracer must see exactly the
// termination by SIGKILL (no core) and nothing after it, and nothing of the
// tracee may be left.
package kill

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
