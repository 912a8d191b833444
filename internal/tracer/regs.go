package tracer

import (
	"errors"

	"ptracesuite/internal/ptrace"
)

// The register API of the ptrace core (internal/ptrace regs_*.go), for
// cases: register sets of one LWP, core files' register notes,
// PT_DUMPCORE.
type (
	Regs   = ptrace.Regs
	RegSet = ptrace.RegSet
	Slot   = ptrace.Slot
	Core   = ptrace.Core
)

const (
	RegsGP     = ptrace.RegsGP
	RegsFP     = ptrace.RegsFP
	RegsXState = ptrace.RegsXState
)

var (
	RegSlot         = ptrace.RegSlot
	RegSetMissing   = ptrace.RegSetMissing
	ReadCore        = ptrace.ReadCore
	DumpCoreMissing = ptrace.DumpCoreMissing
)

// DumpCoreName is PT_DUMPCORE's name on this kernel.
const DumpCoreName = ptrace.DumpCoreName

// GetRegSet reads set s of LWP lwp (0: the first LWP / the main thread) of
// the stopped tracee pid, or fails the case naming the request. A set
// the kernel or machine lacks skips the case, saying why.
func (tr *Tracer) GetRegSet(pid, lwp int, s RegSet) Regs {
	tr.tb.Helper()
	r, err := tr.c.GetRegSet(pid, lwp, s)
	tr.regRequest(s.Name(false), pid, err)
	return r
}

// SetRegSet writes r to its LWP of the stopped tracee pid, or fails the case.
func (tr *Tracer) SetRegSet(pid int, r Regs) {
	tr.tb.Helper()
	tr.regRequest(r.Set.Name(true), pid, tr.c.SetRegSet(pid, r))
}

// TryGetRegSet and TrySetRegSet return the kernel's error.
func (tr *Tracer) TryGetRegSet(pid, lwp int, s RegSet) (Regs, error) {
	return tr.c.GetRegSet(pid, lwp, s)
}
func (tr *Tracer) TrySetRegSet(pid int, r Regs) error { return tr.c.SetRegSet(pid, r) }

// TryDumpCore makes the stopped tracee dump core to path (NetBSD
// PT_DUMPCORE).
func (tr *Tracer) TryDumpCore(pid int, path string) error { return tr.c.DumpCore(pid, path) }

func (tr *Tracer) regRequest(name string, pid int, err error) {
	tr.tb.Helper()
	var miss *ptrace.MissingError
	if errors.As(err, &miss) {
		tr.tb.Skip(miss.Error())
	}
	tr.request(name, pid, err)
}
