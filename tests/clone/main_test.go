// Package clone is the ATF program t_clone: how the kernel reports a
// traced process's clone(2) to a tracer (NetBSD's clone1..8, clone_vm*,
// clone_fs*, clone_files*, clone_vfork*, clone_*_signalmasked/ignored,
// t_clone's null_stack), for every flag set with SIGCHLD and with another
// exit signal, per kernel; the regression case for fork1()'s `&&` bug;
// invalid requests; and a seeded random stress of the flag → event rule.
package clone

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
