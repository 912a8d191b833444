// Package ptio is the ATF program t_ptio: reading and writing a tracee's
// memory (NetBSD PT_IO with every PIOD_* op, PT_READ_*/PT_WRITE_*; their
// Linux analogs PTRACE_PEEK*/POKE*, process_vm_readv/writev and
// /proc/PID/mem), the zero-length and unmapped-page rules, and the resume
// address rules of PT_CONTINUE, PT_SYSCALL, PT_DETACH and PT_STEP (addr 0
// rejected, addr 1 resumes where stopped, any other addr is the new PC).
package ptio

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
