package regs

import (
	"encoding/hex"
	"fmt"
	"strings"
	"syscall"

	"golang.org/x/sys/cpu"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

const caseTimeout = expect.CaseTimeout

// regsStop is a register scenario stopped with its registers loaded.
type regsStop struct {
	p                         *tracer.Proc
	ev                        tracer.Event
	lwp                       int
	landing, stopfn, unmapped uint64
	trap                      uint64 // the breakpoint instruction (raw.TrapAddress)
}

// needAVX skips a case on a CPU without AVX, naming the CPUID bit.
func needAVX(t *atfshim.T) {
	t.Helper()
	if !cpu.X86.HasAVX {
		t.Skip("the CPU lacks AVX (CPUID.01H:ECX bit 28 with OSXSAVE and XCR0 YMM state, as golang.org/x/sys/cpu measures it)")
	}
}

// atRegsStop spawns the scenario and returns it stopped in regsLoadStop.
func atRegsStop(t *atfshim.T, tr *tracer.Tracer, avx, core bool) regsStop {
	t.Helper()
	return atRegsStopFP(t, tr, avx, raw.FPNone, core)
}

// atRegsStopFP is atRegsStop with the x87 register file loaded too.
func atRegsStopFP(t *atfshim.T, tr *tracer.Tracer, avx bool, fp int, core bool) regsStop {
	t.Helper()
	if why := raw.RegsUnsupported(); why != "" {
		t.Skip(why)
	}
	if avx {
		needAVX(t)
	}
	p := tr.Spawn(scenarioNameFP(avx, fp, core))
	s := regsStop{p: p, lwp: p.ReportInt("lwp")}
	for key, dst := range map[string]*uint64{"landing": &s.landing, "stopfn": &s.stopfn, "unmapped": &s.unmapped, "trap": &s.trap} {
		v, err := parseWord(p.Report(key))
		if err != nil {
			t.Fatalf("tracee reported %s=%q: %v", key, p.Report(key), err)
		}
		*dst = v
	}
	tr.Cont(p.Pid, 0)
	s.ev = tr.Wait(p.Pid)
	if s.ev.Kind != tracer.Stopped || s.ev.Sig != int(syscall.SIGSTOP) {
		t.Fatalf("the tracee's thread-directed SIGSTOP with its registers loaded must stop it, got %v", s.ev)
	}
	return s
}

// seen is what the tracee reports of its registers once resumed.
type seen struct {
	gp     []uint64
	ax, sp uint64
	vec    [][]byte
	fp     [][]byte // the x87 register file: st0..st7 or mm0..mm7
}

// resumeAndSee resumes the stopped tracee, which must exit scenarioExit,
// and returns what it saw in its registers.
func (s regsStop) resumeAndSee(t *atfshim.T, tr *tracer.Tracer) seen {
	t.Helper()
	tr.Cont(s.p.Pid, 0)
	var r seen
	for _, v := range strings.Split(s.p.Report("out"), ",") {
		w, err := parseWord(v)
		if err != nil {
			t.Fatalf("tracee reported out=%q: %v", s.p.Report("out"), err)
		}
		r.gp = append(r.gp, w)
	}
	var err error
	if r.ax, err = parseWord(s.p.Report("ax")); err != nil {
		t.Fatalf("tracee reported ax: %v", err)
	}
	if r.sp, err = parseWord(s.p.Report("sp")); err != nil {
		t.Fatalf("tracee reported sp: %v", err)
	}
	for _, v := range strings.Split(s.p.Report("vout"), ",") {
		b, err := hex.DecodeString(v)
		if err != nil {
			t.Fatalf("tracee reported vout: %v", err)
		}
		r.vec = append(r.vec, b)
	}
	for _, v := range strings.Split(s.p.Report("fout"), ",") {
		b, err := hex.DecodeString(v)
		if err != nil {
			t.Fatalf("tracee reported fout: %v", err)
		}
		r.fp = append(r.fp, b)
	}
	expect.Same(t, fmt.Sprintf("once resumed the tracee must exit %d", scenarioExit),
		tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(s.p.Pid))
	return r
}

// checkGP holds every loaded general register of r to want(i), one
// failure line per register that differs.
func checkGP(t *atfshim.T, what string, r tracer.Regs, want func(i int) uint64) {
	t.Helper()
	for i, name := range raw.GPLoaded {
		if !r.Has(name) {
			t.Fatalf("%s: no %s in the register set layout", what, name)
		}
		if got := r.Word(name); got != want(i) {
			t.Errorf("%s: %s is %#x, want %#x", what, name, got, want(i))
		}
	}
}

// vecWant is the value the scenario loaded into vector register i: its
// low 16 bytes (xmm) or its high 16 (the AVX upper half).
func vecWant(i int, high bool) []byte {
	b := make([]byte, 16)
	for j := range b {
		if high {
			b[j] = raw.VecValue(i, 16+j)
		} else {
			b[j] = raw.VecValue(i, j)
		}
	}
	return b
}

// newVec is what the tracer writes into vector register i.
func newVec(i int, high bool) []byte {
	b := make([]byte, 16)
	for j := range b {
		b[j] = byte(0x11*i + j)
		if high {
			b[j] ^= 0xc3
		}
	}
	return b
}

// checkVec holds vector registers 0..15 of r (the slot named by
// raw.VecName) to want.
func checkVec(t *atfshim.T, what string, r tracer.Regs, high bool, want func(i int) []byte) {
	t.Helper()
	for i := 0; i < 16; i++ {
		lo, hi := raw.VecName(i)
		name := lo
		if high {
			name = hi
		}
		got := r.Slot(name)
		if got == nil {
			t.Fatalf("%s: no %s in the register set layout", what, name)
		}
		if w := want(i); string(got) != string(w) {
			t.Errorf("%s: %s is %x, want %x", what, name, got, w)
		}
	}
}

// gpNew is what the tracer writes into the i-th loaded register.
func gpNew(i int) uint64 { return raw.GPValue(0x77, i) ^ 0xff00 }

// gpAtStop is a fresh tracer, the register scenario at its stop and a
// copy of the stopped LWP's general registers, which the case may change.
func gpAtStop(t *atfshim.T) (*tracer.Tracer, regsStop, tracer.Regs) {
	t.Helper()
	tr := tracer.New(t)
	s := atRegsStop(t, tr, false, false)
	r := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsGP).Clone()
	// The named registers the cases read and write must be in the
	// layout: a missing one reads as 0 and takes no write.
	for _, name := range []string{"pc", "sp", "intrv"} {
		if !r.Has(name) {
			t.Fatalf("%s of LWP %d: no %s in the register set layout", tracer.RegsGP.Name(false), s.lwp, name)
		}
	}
	return tr, s, r
}
