package clone

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

// The random clone stress case and its configuration variables (ATF
// `-v name=value`, go test PTRACE_<NAME>).
const (
	stressIterationsVar = "clone_stress_iterations"
	stressSeedVar       = "clone_stress_seed"
	// stressIterations is the default: a few seconds.
	stressIterations = 500
	stressTimeout    = 300 * time.Second
	// stressBudget: no iteration starts after this much of the timeout.
	stressBudget = 240 * time.Second
)

// The stress's variables are checked by every case of t_clone.
var (
	_ = atfshim.DeclareVar(stressIterationsVar, atfshim.IntRange(1, 10_000_000))
	_ = atfshim.DeclareVar(stressSeedVar, atfshim.Uint)
)

var _ = atfshim.Declare(TestCloneRandomStress, atfshim.Meta{
	Descr: fmt.Sprintf("seeded random clone flag sets, exit signals and event masks (%d by default; %s, %s): every outcome follows the kernel's clone rule",
		stressIterations, stressIterationsVar, stressSeedVar),
	Timeout: stressTimeout,
})

// stressDraw is one iteration's random choice.
type stressDraw struct {
	flags int
	sig   syscall.Signal
	mask  tracer.Mask
}

func draw(rng *rand.Rand, sets []int, bits tracer.Mask) stressDraw {
	d := stressDraw{flags: sets[rng.IntN(len(sets))], sig: exitSignals[rng.IntN(len(exitSignals))]}
	for b := tracer.Mask(1); b != 0 && b <= bits; b <<= 1 {
		if bits&b != 0 && rng.IntN(2) == 1 {
			d.mask |= b
		}
	}
	return d
}

// TestCloneRandomStress is the kernel-fuzzer idea done from userland: from
// a seed, draw a valid flag set, an exit signal (SIGCHLD, another, none)
// and an event mask over every creation bit this kernel has, clone under a
// tracer and hold the outcome against the rule (cloneRule). The seed is in
// every failure; setting it replays the same sequence.
func TestCloneRandomStress(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		iterations := t.ConfigInt(stressIterationsVar, stressIterations)
		seed := uint64(time.Now().UnixNano())
		if v, ok := t.Config(stressSeedVar); ok {
			s, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				t.Fatalf("config variable %s=%q: want a decimal seed", stressSeedVar, v)
			}
			seed = s
		}
		t.Logf("seed %d, %d iterations (replay: -v %s=%d, or %s=%d under go test)", seed, iterations,
			stressSeedVar, seed, "PTRACE_CLONE_STRESS_SEED", seed)
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		sets, bits := validFlagSets(), eventBits[runtime.GOOS]
		checkDrawsEveryBit(t, sets, bits)
		if why := tracer.Lacks(expect.VforkDoneQueued.Fix); why != "" && !atfshim.Racy() {
			// CLONE_VFORK's reports race on such a kernel (see the racy
			// clone_vfork* cases); the stress draws the other sets.
			sets = slices.DeleteFunc(sets, func(f int) bool { return f&raw.CloneVfork != 0 })
			t.Logf("CLONE_VFORK not drawn (set racy=true to draw it): %s; %s", expect.VforkDoneQueued.Race, why)
		}
		tr := tracer.New(t)
		rows := map[string]int{} // the rule's rows the draws exercised
		defer func() { t.Logf("rows of the clone rule exercised: %v", rows) }()
		start := time.Now()
		for i := 1; i <= iterations; i++ {
			if time.Since(start) > stressBudget {
				t.Logf("stopped after %d of %d iterations: the case's time budget (%v) is spent", i-1, iterations, stressBudget)
				break
			}
			d := draw(rng, sets, bits)
			where := fmt.Sprintf("[stress seed %d, iteration %d: replay with %s=%d]", seed, i, stressSeedVar, seed)
			t.SetFailureContext(where) // also on failures raised inside the tracer
			r := rule(t, d.flags, d.sig)
			rows[fmt.Sprintf("%v %s", r.Kind, map[bool]string{true: "reported", false: "unreported"}[d.mask&r.Bit != 0])]++
			stressOne(t, tr, d, where)
		}
	})
}

// checkDrawsEveryBit: every event bit the rule reports a drawn clone by
// (its Bit and DoneBit: on Linux PTRACE_O_TRACECLONE, MaskLwpCreate, for a
// clone whose exit signal is not SIGCHLD) is among the bits drawn, so the
// stress exercises every row of the rule both reported and unreported.
func checkDrawsEveryBit(t *atfshim.T, sets []int, bits tracer.Mask) {
	t.Helper()
	for _, f := range sets {
		for _, sig := range exitSignals {
			r := rule(t, f, sig)
			if miss := (r.Bit | r.DoneBit) &^ bits; miss != 0 {
				t.Fatalf("the stress never sets %v, by which the clone rule reports %s as %v: add it to eventBits", miss, describe(f, sig), r.Kind)
			}
		}
	}
}

// stressOne runs one draw and checks everything the core case checks,
// every message carrying where.
func stressOne(t *atfshim.T, tr *tracer.Tracer, d stressDraw, where string) {
	t.Helper()
	what := describe(d.flags, d.sig) + " " + where
	c := expect.Creation{Scenario: scenario(d.flags, d.sig), What: what, Mask: d.mask, Pass: []syscall.Signal{d.sig}}
	o := c.Run(t, tr)
	r := rule(t, d.flags, d.sig)
	if line, full := expect.RoleDiff(r.Want(d.mask, o.Parent, o.Child), o.Got); line != "" {
		t.Logf("reports (-want +got):\n%s", full)
		rule := r.Rule
		if rule == "" {
			rule = fmt.Sprintf("%v iff %v is set", r.Kind, r.Bit)
		}
		t.Fatalf("%s under event mask %v breaks the kernel's clone rule (%s): %s", what, d.mask, rule, line)
	}
	if got := o.Reports.ReportInt("child"); got != o.Child {
		t.Fatalf("%s: the kernel reported child pid %d, clone returned %d", what, o.Child, got)
	}
	if st := o.Reports.ReportInt("child_status"); st != 0 {
		t.Fatalf("%s: the parent's wait for its child gave status %#x, want exit 0", what, st)
	}
	if o.Reports.ReportInt("exit_signal_received") != 1 {
		if why := tracer.Lacks(nbabi.FixPassedExitSignal); why != "" && !atfshim.Racy() {
			// A known race of this kernel: checked only with racy=true.
			t.Logf("%s: the parent did not receive the child's exit signal: known race (%s); set racy=true to fail on it", what, why)
		} else {
			t.Fatalf("%s: the parent did not receive the child's exit signal", what)
		}
	}
	if ev, err := tr.TryWait(o.Parent); err != syscall.ECHILD {
		t.Fatalf("%s: final wait: want ECHILD, got %v, %v", what, ev, err)
	}
}
