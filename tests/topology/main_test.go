// Package topology is the ATF program t_topology: who may trace whom.
// The kernel's permission rules for PT_ATTACH and PT_TRACE_ME (NetBSD's
// t_ptrace.c: attach_pid0, attach_pid1, attach_pid1_securelevel,
// attach_self, attach_chroot, traceme_twice; and the uid, set-id and
// already-traced rules), each refusal's exact errno per kernel written
// down next to the case with the kernel source that promises it; and the
// process topology a tracer lives in (NetBSD's TOPOLOGY area: a tracer
// sees a termination before the real parent, parents and children
// attaching to each other, running and stopped, a tracee still sees its
// original parent).
//
// Who asks matters, so the asking is done by a re-executed copy of the
// test binary made into that asker (tracee's attach_probe: another uid, a
// chroot, an unrelated process); the test process never changes its own
// credentials or root.
package topology

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
