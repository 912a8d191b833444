package regs

import (
	"encoding/binary"
	"fmt"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

// The x87 register file, as x87 registers (NetBSD's x86_*_fpu_*) or as
// MMX registers (x86_*_mm_*), through PT_GETFPREGS/PT_SETFPREGS, through
// PT_GETXSTATE/PT_SETXSTATE (whose xs_xstate_bv must then have x87), and
// in a core's notes. The FXSAVE image keeps st(i) in slot i (relative to
// the stack top); mm(i) is the low 8 bytes of the same slot.

type x87Mode struct {
	name string // "fpu" or "mm", as in NetBSD's case names
	fp   int    // raw.FPX87 or raw.FPMMX
	reg  string // slot name prefix: "st" or "mm"
	size int    // bytes of a register: 10 or 8
	// loaded and written are register i's value as loaded and as the
	// tracer writes it.
	loaded, written func(i int) []byte
}

var x87Modes = []x87Mode{
	{"fpu", raw.FPX87, "st", 10,
		func(i int) []byte { v := raw.X87Value(0, i); return v[:] },
		func(i int) []byte { v := raw.X87Value(0x42, i); return v[:] }},
	{"mm", raw.FPMMX, "mm", 8,
		func(i int) []byte { return binary.LittleEndian.AppendUint64(nil, raw.MMXValue(0, i)) },
		func(i int) []byte { return binary.LittleEndian.AppendUint64(nil, raw.MMXValue(0x42, i)) }},
}

type x87Case struct {
	mode x87Mode
	set  tracer.RegSet
	op   string // read, write, core
}

func (c x87Case) ident() string {
	s := "fpregs"
	if c.set == tracer.RegsXState {
		s = "xstate"
	}
	return fmt.Sprintf("x86_%s_%s_%s", s, c.mode.name, c.op)
}

var x87Cases = func() []x87Case {
	var out []x87Case
	for _, set := range []tracer.RegSet{tracer.RegsFP, tracer.RegsXState} {
		for _, m := range x87Modes {
			for _, op := range []string{"read", "write", "core"} {
				out = append(out, x87Case{m, set, op})
			}
		}
	}
	return out
}()

func init() {
	for _, c := range x87Cases {
		what := map[string]string{
			"read":  "read back as the tracee loaded them",
			"write": "written, are what the resumed LWP holds",
			"core":  "are in the LWP's note of the core a SIGTRAP at a breakpoint dumps (only the PC moved), as loaded",
		}[c.op]
		atfshim.DeclareSub(TestX87, c.ident(), atfshim.Meta{
			Descr:   fmt.Sprintf("%s: %s0..%s7 %s", c.set.Name(c.op == "write"), c.mode.reg, c.mode.reg, what),
			Timeout: caseTimeout,
		})
	}
}

// TestX87 runs NetBSD's x86_{fpregs,xstate}_{fpu,mm}_{read,write,core}.
func TestX87(t *testing.T) {
	for _, c := range x87Cases {
		atfshim.RunSub(t, c.ident(), func(t *atfshim.T) {
			if why := tracer.RegSetMissing(c.set); why != "" {
				t.Skip(why)
			}
			if c.op == "core" {
				coreCrashRace.Gate(t)
			}
			tr := tracer.New(t)
			s := atRegsStopFP(t, tr, false, c.mode.fp, c.op == "core")
			reg := func(i int) string { return fmt.Sprintf("%s%d", c.mode.reg, i) }
			check := func(what string, r tracer.Regs, want func(int) []byte) {
				t.Helper()
				if c.set == tracer.RegsXState {
					if bv := r.Word("xstate_bv"); bv&nbabi.XCR0_X87 == 0 {
						t.Errorf("%s: XSTATE_BV %#x lacks x87 (%#x): the loaded x87 state is reported initial", what, bv, nbabi.XCR0_X87)
					}
				}
				for i := 0; i < 8; i++ {
					if got := r.Slot(reg(i)); string(got) != string(want(i)) {
						t.Errorf("%s: %s is %x, want %x", what, reg(i), got, want(i))
					}
				}
			}
			switch c.op {
			case "read":
				r := tr.GetRegSet(s.p.Pid, s.lwp, c.set)
				check(fmt.Sprintf("%s of LWP %d", c.set.Name(false), s.lwp), r, c.mode.loaded)
				s.resumeAndSee(t, tr)
			case "write":
				r := tr.GetRegSet(s.p.Pid, s.lwp, c.set).Clone()
				for i := 0; i < 8; i++ {
					copy(r.Slot(reg(i)), c.mode.written(i))
				}
				tr.SetRegSet(s.p.Pid, r)
				saw := s.resumeAndSee(t, tr)
				for i := 0; i < 8; i++ {
					if got := saw.fp[i][:c.mode.size]; string(got) != string(c.mode.written(i)) {
						t.Errorf("%s of LWP %d: once resumed the LWP had %s = %x, the tracer wrote %x", c.set.Name(true), s.lwp, reg(i), got, c.mode.written(i))
					}
				}
			case "core":
				r := coreRegs(t, tr, s, c.set)
				check(fmt.Sprintf("core note (%s layout) of LWP %d", c.set.Name(false), s.lwp), r, c.mode.loaded)
			}
		})
	}
}
