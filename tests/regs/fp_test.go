package regs

import (
	"fmt"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/tracer"
)

// FPU and extended state: PT_GETFPREGS (Linux NT_PRFPREG) is the FXSAVE
// image of the LWP; PT_GETXSTATE (Linux NT_X86_XSTATE) the XSAVE state,
// with the component bitmap: xs_xstate_bv (Linux XSTATE_BV) says which
// components are not in their initial state, and a write resets to the
// initial state every requested component whose bit is clear.

var _ = atfshim.Declare(TestAccessFpregs1, atfshim.Meta{
	Descr:   "PT_GETFPREGS at a stop: xmm0..xmm15 read back as the tracee loaded them (also x86_fpregs_xmm_read)",
	Timeout: caseTimeout,
})

// TestAccessFpregs1 is NetBSD's access_fpregs1.
func TestAccessFpregs1(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr := tracer.New(t)
		s := atRegsStop(t, tr, false, false)
		r := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsFP)
		t.Logf("%s of LWP %d: % x", tracer.RegsFP.Name(false), s.lwp, r.Bytes)
		checkVec(t, fmt.Sprintf("%s of LWP %d", tracer.RegsFP.Name(false), s.lwp), r, false,
			func(i int) []byte { return vecWant(i, false) })
		s.resumeAndSee(t, tr)
	})
}

var _ = atfshim.Declare(TestAccessFpregs2, atfshim.Meta{
	Descr:   "PT_SETFPREGS at a stop: the resumed LWP holds xmm0..xmm15 as written (also x86_fpregs_xmm_write)",
	Timeout: caseTimeout,
})

// TestAccessFpregs2 is NetBSD's access_fpregs2.
func TestAccessFpregs2(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		tr := tracer.New(t)
		s := atRegsStop(t, tr, false, false)
		r := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsFP).Clone()
		for i := 0; i < 16; i++ {
			copy(r.Slot(vecLow(i)), newVec(i, false))
		}
		tr.SetRegSet(s.p.Pid, r)
		saw := s.resumeAndSee(t, tr)
		for i := 0; i < 16; i++ {
			if got, want := saw.vec[i][:16], newVec(i, false); string(got) != string(want) {
				t.Errorf("%s of LWP %d: once resumed the LWP had %s = %x, the tracer wrote %x", tracer.RegsFP.Name(true), s.lwp, vecLow(i), got, want)
			}
		}
	})
}

// xstateCase is one PT_GETXSTATE/PT_SETXSTATE case: the scenario (AVX or
// SSE loads), and what the tracer writes, if anything.
type xstateCase struct {
	ident, descr string
	avx          bool
	write        func(r tracer.Regs) // nil: read only
	// wantLow and wantHigh are the vector registers the LWP must hold
	// once resumed (wantHigh nil: not checked).
	wantLow, wantHigh func(i int) []byte
}

var xstateCases = []xstateCase{
	{ident: "x86_xstate_xmm_read", descr: "PT_GETXSTATE at a stop: XSTATE_BV has SSE, and xmm0..xmm15 read back as loaded",
		wantLow: loaded(false)},
	{ident: "x86_xstate_xmm_write", descr: "PT_SETXSTATE of xmm0..xmm15 with SSE in XSTATE_BV: the resumed LWP holds them as written",
		write: func(r tracer.Regs) { setVecs(r, false) }, wantLow: written(false)},
	{ident: "x86_xstate_ymm_read", descr: "PT_GETXSTATE at a stop: XSTATE_BV has SSE and AVX, and ymm0..ymm15 read back as loaded (low and high halves)",
		avx: true, wantLow: loaded(false), wantHigh: loaded(true)},
	{ident: "x86_xstate_ymm_write", descr: "PT_SETXSTATE of ymm0..ymm15 with AVX in XSTATE_BV: the resumed LWP holds them as written",
		avx: true, write: func(r tracer.Regs) { setVecs(r, false); setVecs(r, true) }, wantLow: written(false), wantHigh: written(true)},
	{ident: "x86_xstate_ymm_reset", descr: "PT_SETXSTATE with AVX requested but clear in XSTATE_BV: the resumed LWP's ymm upper halves are reset to their initial value (zero), the xmm halves kept",
		avx: true, write: func(r tracer.Regs) {
			setVecs(r, true) // must not be applied: the component is reset
			r.SetWord("xstate_bv", r.Word("xstate_bv")&^nbabi.XCR0_YMM_Hi128)
		}, wantLow: loaded(false), wantHigh: func(int) []byte { return make([]byte, 16) }},
}

func loaded(high bool) func(int) []byte  { return func(i int) []byte { return vecWant(i, high) } }
func written(high bool) func(int) []byte { return func(i int) []byte { return newVec(i, high) } }

func vecLow(i int) string  { return fmt.Sprintf("xmm%d", i) }
func vecHigh(i int) string { return fmt.Sprintf("ymmh%d", i) }

func setVecs(r tracer.Regs, high bool) {
	for i := 0; i < 16; i++ {
		name := vecLow(i)
		if high {
			name = vecHigh(i)
		}
		copy(r.Slot(name), newVec(i, high))
	}
}

func init() {
	for _, c := range xstateCases {
		atfshim.DeclareSub(TestXState, c.ident, atfshim.Meta{Descr: c.descr, Timeout: caseTimeout})
	}
	for _, id := range zmmCases {
		atfshim.DeclareSub(TestXStateZmm, id, atfshim.Meta{
			Descr: "PT_GETXSTATE/PT_SETXSTATE of the AVX-512 state (opmask, zmm upper halves, zmm16..31), where the CPU has AVX512F", Timeout: caseTimeout})
	}
}

// TestXState runs NetBSD's x86_xstate_{xmm,ymm}_{read,write} and the
// XSTATE_BV reset rule.
func TestXState(t *testing.T) {
	for _, c := range xstateCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			if why := tracer.RegSetMissing(tracer.RegsXState); why != "" {
				t.Skip(why) // before a tracee exists
			}
			tr := tracer.New(t)
			s := atRegsStop(t, tr, c.avx, false)
			r := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsXState)
			t.Logf("%s of LWP %d: % x", tracer.RegsXState.Name(false), s.lwp, r.Bytes)
			what := fmt.Sprintf("%s of LWP %d", tracer.RegsXState.Name(false), s.lwp)
			want := uint64(nbabi.XCR0_SSE)
			if c.avx {
				want |= nbabi.XCR0_YMM_Hi128
			}
			if bv := r.Word("xstate_bv"); bv&want != want {
				t.Errorf("%s: XSTATE_BV %#x lacks %#x: the components the LWP loaded are reported in their initial state", what, bv, want&^bv)
			}
			switch {
			case kernelRegs[runtime.GOOS].hasRFBM && !r.Has("rfbm"):
				t.Errorf("%s: no xs_rfbm in the layout read back, which this kernel's struct xstate has", what)
			case kernelRegs[runtime.GOOS].hasRFBM:
				if rfbm := r.Word("rfbm"); rfbm&want != want {
					t.Errorf("%s: xs_rfbm %#x lacks %#x: components the CPU has were not saved", what, rfbm, want&^rfbm)
				}
			}
			if c.write == nil {
				checkVec(t, what, r, false, c.wantLow)
				if c.wantHigh != nil {
					checkVec(t, what, r, true, c.wantHigh)
				}
				s.resumeAndSee(t, tr)
				return
			}
			w := r.Clone()
			c.write(w)
			tr.SetRegSet(s.p.Pid, w)
			saw := s.resumeAndSee(t, tr)
			for i := 0; i < 16; i++ {
				if got, want := saw.vec[i][:16], c.wantLow(i); string(got) != string(want) {
					t.Errorf("%s of LWP %d: once resumed the LWP had %s = %x, want %x", tracer.RegsXState.Name(true), s.lwp, vecLow(i), got, want)
				}
				if c.wantHigh == nil {
					continue
				}
				if got, want := saw.vec[i][16:], c.wantHigh(i); string(got) != string(want) {
					t.Errorf("%s of LWP %d (XSTATE_BV %#x): once resumed the LWP had %s = %x, want %x", tracer.RegsXState.Name(true), s.lwp, w.Word("xstate_bv"), vecHigh(i), got, want)
				}
			}
		})
	}
}

var zmmCases = []string{"x86_xstate_zmm_read", "x86_xstate_zmm_write", "x86_xstate_zmm_core"}

// TestXStateZmm: NetBSD's AVX-512 cases. They need a CPU with AVX512F
// and a tracee that loads zmm registers, which this suite does not have
// yet.
func TestXStateZmm(t *testing.T) {
	for _, id := range zmmCases {
		atfshim.RunSub(t, id, func(t *atfshim.T) {
			if !cpu.X86.HasAVX512F {
				t.Skip("the CPU lacks AVX512F (CPUID.(EAX=07H,ECX=0):EBX bit 16 with OSXSAVE and XCR0 opmask/ZMM state, as golang.org/x/sys/cpu measures it)")
			}
			t.Skip("the CPU has AVX512F, but the suite's tracee does not load zmm registers yet (internal/raw regsLoadStop loads ymm0..15)")
		})
	}
}
