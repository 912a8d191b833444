// Package vfork is the ATF program t_vfork: what the kernel reports to a
// tracer when a traced process vforks (NetBSD's vfork1..16,
// unrelated_tracer_vfork*, vfork_detach_vforker(done), vfork_kill_vforker(done),
// vfork(done)_signalmasked/ignored, traceme_vfork_fork/vfork/clone*,
// traceme_vfork_exec), plus the vforkee variants, the 4.4BSD vfork without
// shared VM, the hold-the-child proof that a vforker stays blocked, and a
// two-level vfork chain that NetBSD's suite lacks.
package vfork

import (
	"syscall"
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

// sigchld: the children's exit signal is passed through, not an event.
const sigchld = syscall.SIGCHLD
