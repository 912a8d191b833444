package ptrace

import (
	"encoding/binary"
	"fmt"
)

// RegSet names one register set of an LWP that a tracer reads and writes
// whole, in the kernel's own layout: NetBSD's struct reg, struct fpreg and
// struct xstate; Linux's regsets (user_regs_struct, user_fpregs_struct,
// the XSAVE area).
type RegSet int

const (
	RegsGP     RegSet = iota + 1 // NetBSD PT_GETREGS/PT_SETREGS; Linux PTRACE_GETREGSET/SETREGSET NT_PRSTATUS
	RegsFP                       // NetBSD PT_GETFPREGS/PT_SETFPREGS; Linux NT_PRFPREG (x86-64: the FXSAVE image)
	RegsXState                   // NetBSD PT_GETXSTATE/PT_SETXSTATE; Linux NT_X86_XSTATE (the XSAVE image)
)

// Name is the kernel's name for the read or the write request of s.
func (s RegSet) Name(write bool) string {
	n, ok := regSetNames[s]
	if !ok {
		return fmt.Sprintf("RegSet(%d)", int(s))
	}
	if write {
		return n[1]
	}
	return n[0]
}

// RegSetMissing says why this kernel and machine give the suite no s
// ("" when they do): no such request, or no layout written down for it.
func RegSetMissing(s RegSet) string { return regSetMissing(s) }

// Regs is one register set of one LWP as the kernel's struct lays it out.
// Named slots (RegSlots) are the struct's members in the header's words:
// "rbx", "r12", "xmm3", "xstate_bv"..., and the machine-independent
// aliases "pc", "sp" and "intrv" (NetBSD's PTRACE_REG_PC, PTRACE_REG_SP,
// PTRACE_REG_INTRV; on Linux the same registers).
type Regs struct {
	Set   RegSet
	Lwp   int
	Bytes []byte
}

// Slot is where a named register lives in a set.
type Slot struct{ Off, Size int }

// RegSlot returns where the named register lives in set s on this kernel
// and machine.
func RegSlot(s RegSet, name string) (Slot, bool) {
	sl, ok := regSlots(s)[name]
	return sl, ok
}

// Has reports whether the set has the named register.
func (r Regs) Has(name string) bool {
	sl, ok := RegSlot(r.Set, name)
	return ok && sl.Off+sl.Size <= len(r.Bytes)
}

// Slot returns the bytes of the named register (nil when the set has none).
func (r Regs) Slot(name string) []byte {
	sl, ok := RegSlot(r.Set, name)
	if !ok || sl.Off+sl.Size > len(r.Bytes) {
		return nil
	}
	return r.Bytes[sl.Off : sl.Off+sl.Size]
}

// Word reads the named register as an unsigned integer of its size (at
// most 8 bytes), in the machine's byte order.
func (r Regs) Word(name string) uint64 {
	b := r.Slot(name)
	switch len(b) {
	case 8:
		return binary.NativeEndian.Uint64(b)
	case 4:
		return uint64(binary.NativeEndian.Uint32(b))
	case 2:
		return uint64(binary.NativeEndian.Uint16(b))
	}
	return 0
}

// SetWord writes the named register (an integer of its size); false when
// the set has no such register.
func (r Regs) SetWord(name string, v uint64) bool {
	b := r.Slot(name)
	switch len(b) {
	case 8:
		binary.NativeEndian.PutUint64(b, v)
	case 4:
		binary.NativeEndian.PutUint32(b, uint32(v))
	case 2:
		binary.NativeEndian.PutUint16(b, uint16(v))
	default:
		return false
	}
	return true
}

// Clone copies r, so that a changed copy can be written while the read
// one is kept for comparison.
func (r Regs) Clone() Regs {
	r.Bytes = append([]byte(nil), r.Bytes...)
	return r
}

// GetRegSet reads set s of LWP lwp of the stopped tracee pid (NetBSD: lwp
// is the request's data, 0 the first LWP; Linux: lwp is the thread, 0 the
// main thread pid).
func (tr *Tracer) GetRegSet(pid, lwp int, s RegSet) (r Regs, err error) {
	if why := regSetMissing(s); why != "" {
		return Regs{}, &MissingError{Request: s.Name(false), Why: why}
	}
	tr.Do(func() {
		tr.sent(pid, s.Name(false), true)
		r, err = getRegSet(pid, lwp, s)
	})
	if err == nil {
		mutGetRegs(&r)
	}
	return r, err
}

// SetRegSet writes r back to its LWP of the stopped tracee pid.
func (tr *Tracer) SetRegSet(pid int, r Regs) (err error) {
	if why := regSetMissing(r.Set); why != "" {
		return &MissingError{Request: r.Set.Name(true), Why: why}
	}
	r, lost := mutSetRegs(r)
	if lost {
		return nil
	}
	tr.Do(func() {
		tr.sent(pid, r.Set.Name(true), true)
		err = setRegSet(pid, r)
	})
	return err
}

// GetRegs, SetRegs, GetFPRegs, SetFPRegs, GetXState and SetXState are
// GetRegSet and SetRegSet of one set.
func (tr *Tracer) GetRegs(pid, lwp int) (Regs, error)   { return tr.GetRegSet(pid, lwp, RegsGP) }
func (tr *Tracer) SetRegs(pid int, r Regs) error        { return tr.SetRegSet(pid, r) }
func (tr *Tracer) GetFPRegs(pid, lwp int) (Regs, error) { return tr.GetRegSet(pid, lwp, RegsFP) }
func (tr *Tracer) SetFPRegs(pid int, r Regs) error      { return tr.SetRegSet(pid, r) }
func (tr *Tracer) GetXState(pid, lwp int) (Regs, error) { return tr.GetRegSet(pid, lwp, RegsXState) }
func (tr *Tracer) SetXState(pid int, r Regs) error      { return tr.SetRegSet(pid, r) }

// DumpCore makes the stopped tracee pid write a core of itself to path
// (NetBSD PT_DUMPCORE, addr the path, data its length) and go on stopped.
// Linux has no such request: ErrNoRequest (DumpCoreMissing says so).
func (tr *Tracer) DumpCore(pid int, path string) (err error) {
	tr.Do(func() {
		tr.sent(pid, dumpCoreName, true)
		err = dumpCore(pid, path)
	})
	return err
}

// DumpCoreMissing says why this kernel has no PT_DUMPCORE ("" if it has).
func DumpCoreMissing() string { return dumpCoreMissing }

// DumpCoreName is the request's name on this kernel.
const DumpCoreName = dumpCoreName
