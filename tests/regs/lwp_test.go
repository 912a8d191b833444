package regs

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// Per-LWP registers: PT_GETREGS and PT_SETREGS name one LWP (NetBSD: the
// lid in data; Linux: the thread). The scenario's main thread loads the
// known values and stops itself; two raw LWPs each stop themselves with a
// signal naming their own id, which is then in their own argument
// register. Each LWP's read must show its own registers, and a write to
// one must not reach another. The same holds for the FP registers
// (PT_GETFPREGS/PT_SETFPREGS): the main thread loaded xmm0..15, each raw
// LWP gets a value of its own written into xmm15.

const lwpThreads = 2

func init() {
	// "regs_lwps": two raw LWPs that, once released, send themselves
	// SIGUSR1 and exit; the main thread reports them, releases them and
	// loads and stops (SIGSTOP), then joins them and reports its
	// registers as it had them once resumed.
	tracee.Register("regs_lwps", func(c *tracee.Ctx) int {
		c.Ready()
		ts, err := raw.StartThreads(lwpThreads, raw.ThreadSpec{Prog: raw.ThreadAwaitRaise, Sig: int(syscall.SIGUSR1), Code: scenarioExit})
		c.Check("create the LWPs", err)
		var ids []string
		for _, id := range ts.IDs() {
			ids = append(ids, strconv.Itoa(id))
		}
		c.Report("lwps", strings.Join(ids, ","))
		c.Report("lwp", raw.ThreadID())
		b := raw.NewRegBlock(false)
		c.Check("release the LWPs", ts.Release())
		c.Check("load the registers and stop", b.LoadStop())
		var out []string
		for _, v := range b.Out {
			out = append(out, hexWord(v))
		}
		c.Report("out", strings.Join(out, ","))
		var vout []string
		for _, v := range b.VOut {
			vout = append(vout, hex.EncodeToString(v[:16]))
		}
		c.Report("vout", strings.Join(vout, ","))
		c.Check("join the LWPs", ts.Join())
		return scenarioExit
	})
}

var _ = atfshim.Declare(TestRegsPerLwp, atfshim.Meta{
	Descr:   "PT_GETREGS/PT_SETREGS and PT_GETFPREGS/PT_SETFPREGS of one LWP of several: each LWP reads its own registers, and a write to one LWP reaches it and no other",
	Timeout: caseTimeout,
})

// holdOrResume keeps a stopped LWP stopped, its registers readable, where
// a stop holds only its thread (kernelRegs.threadStops), and resumes the
// process otherwise.
func holdOrResume(tr *tracer.Tracer, held []int, pid int) []int {
	if kernelRegs[runtime.GOOS].threadStops {
		return append(held, pid)
	}
	tr.Cont(pid, 0)
	return held
}

// lwpSignalRace: on NetBSD 8.99.25 the re-report of a thread-directed
// signal (FixContinueSignalDelivered) reaches this case. In 2 of 5 runs
// of 2026-12-01 (fixed lab kernel) it failed: once a raw LWP's SIGUSR1,
// resumed with no signal, was reported again as the main LWP's (SI_LWP)
// and a SIGSTOP stop came for the main LWP before it had loaded its
// registers (rbx 0); once the scenario's _lwp_wait for a raw LWP got
// EDEADLK after the last resume (not analysed further).
var lwpSignalRace = expect.RaceBefore{Fix: nbabi.FixContinueSignalDelivered,
	Race: "a raw LWP's SIGUSR1, resumed with no signal, reported again as the main LWP's (SI_LWP), and a SIGSTOP stop of the main LWP before its own raise"}

// lwpMagic is what the tracer writes into an LWP's last loaded register.
func lwpMagic(lwp int) uint64 { return 0x7e57_0000_0000_0000 | uint64(lwp) }

// lwpVecMagic is what the tracer writes into a raw LWP's xmm15.
func lwpVecMagic(lwp int) []byte {
	b := bytes.Repeat([]byte{0x7e, 0x57}, 8)
	binary.LittleEndian.PutUint32(b, uint32(lwp))
	return b
}

// lwpVec is the FP-register half of the per-LWP rule: LWP lwp's xmm15
// must be want (what = whose value it is, for the message).
func lwpVec(t *atfshim.T, tr *tracer.Tracer, pid, lwp int, want []byte, what string) {
	t.Helper()
	if got := tr.GetRegSet(pid, lwp, tracer.RegsFP).Slot(vecLow(15)); string(got) != string(want) {
		t.Errorf("%s of LWP %d: %s is %x, want %x (%s)", tracer.RegsFP.Name(false), lwp, vecLow(15), got, want, what)
	}
}

// TestRegsPerLwp: the per-LWP rule for the general registers.
func TestRegsPerLwp(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why := raw.RegsUnsupported(); why != "" || stopTarget() == "" {
			t.Skip("no register-loading assembly for " + runtime.GOARCH + " yet")
		}
		lwpSignalRace.Gate(t)
		target := stopTarget()
		tr := tracer.New(t)
		p := tr.Spawn("regs_lwps")
		tr.SetEventMask(p.Pid, tracer.MaskLwpCreate) // Linux: PTRACE_O_TRACECLONE traces the raw threads
		tr.Cont(p.Pid, 0)
		last := raw.GPLoaded[len(raw.GPLoaded)-1]
		gp := tracer.RegsGP.Name(false)
		var (
			lwps    map[int]bool
			mainLwp int
			held    []int // Linux: the threads kept at their stops
			seen    = map[int]bool{}
			mainAt  bool
		)
		deadline := time.Now().Add(caseTimeout / 2)
		for !(mainAt && len(seen) == lwpThreads) {
			if time.Now().After(deadline) {
				t.Fatalf("within %v: main LWP stopped %v, LWPs stopped for SIGUSR1 %v of %d", caseTimeout/2, mainAt, seen, lwpThreads)
			}
			ev := tr.Wait(-1)
			t.Logf("report: %v (LWP %d)", ev, ev.Lwp)
			if ev.Terminal() {
				p.ReportedWithin("fail", time.Second) // a scenario failure fails the case with its message
				t.Fatalf("the tracee ended before every LWP stopped: %v", ev)
			}
			// The scenario reports its LWPs before it releases them and
			// stops itself: at a SIGUSR1 stop, or a SIGSTOP of the process
			// (not a new thread's first stop), the report is written.
			ours := ev.Kind == tracer.Stopped && (ev.Sig == int(syscall.SIGUSR1) || ev.Sig == int(syscall.SIGSTOP) && ev.Pid == p.Pid)
			if lwps == nil && (ours || p.ReportedWithin("lwp", 0)) {
				mainLwp = p.ReportInt("lwp")
				lwps = map[int]bool{}
				for _, s := range strings.Split(p.Report("lwps"), ",") {
					id, _ := strconv.Atoi(s)
					lwps[id] = true
				}
			}
			lwp := ev.Lwp
			switch {
			case ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGUSR1) && lwps[lwp] && !seen[lwp]:
				seen[lwp] = true
				r := tr.GetRegSet(p.Pid, lwp, tracer.RegsGP).Clone()
				if got := r.Word(target); got != uint64(lwp) {
					t.Errorf("%s of LWP %d at its own SIGUSR1 stop: %s is %d, the LWP id its self-signal named is %d (another LWP's registers?)", gp, lwp, target, got, lwp)
				}
				r.SetWord(last, lwpMagic(lwp))
				tr.SetRegSet(p.Pid, r)
				if got := tr.GetRegSet(p.Pid, lwp, tracer.RegsGP).Word(last); got != lwpMagic(lwp) {
					t.Errorf("%s of LWP %d after %s of it: %s is %#x, want %#x", gp, lwp, tracer.RegsGP.Name(true), last, got, lwpMagic(lwp))
				}
				f := tr.GetRegSet(p.Pid, lwp, tracer.RegsFP).Clone()
				copy(f.Slot(vecLow(15)), lwpVecMagic(lwp))
				tr.SetRegSet(p.Pid, f)
				lwpVec(t, tr, p.Pid, lwp, lwpVecMagic(lwp), "after "+tracer.RegsFP.Name(true)+" of it")
				if mainAt {
					m := tr.GetRegSet(p.Pid, mainLwp, tracer.RegsGP)
					if got := m.Word(last); got == lwpMagic(lwp) {
						t.Errorf("%s of LWP %d reached LWP %d: its %s is %#x", tracer.RegsGP.Name(true), lwp, mainLwp, last, got)
					}
					// Once resumed (where a stop holds the process, not one
					// thread) the main LWP runs Go code, which keeps xmm15 zero.
					if got := tr.GetRegSet(p.Pid, mainLwp, tracer.RegsFP).Slot(vecLow(15)); string(got) == string(lwpVecMagic(lwp)) {
						t.Errorf("%s of LWP %d reached LWP %d: its %s is %x", tracer.RegsFP.Name(true), lwp, mainLwp, vecLow(15), got)
					}
					if kernelRegs[runtime.GOOS].threadStops {
						lwpVec(t, tr, p.Pid, mainLwp, newVec(15, false), fmt.Sprintf("its own, written at its stop, not LWP %d's", lwp))
					}
				}
				held = holdOrResume(tr, held, ev.Pid)
			case ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGSTOP) && mainLwp != 0 && mainStop(ev, p.Pid, mainLwp) && !mainAt:
				mainAt = true
				t.Logf("the main LWP's SIGSTOP: %v, reported for LWP %d", ev, ev.Lwp)
				m := tr.GetRegSet(p.Pid, mainLwp, tracer.RegsGP).Clone()
				checkGP(t, fmt.Sprintf("%s of LWP %d (of %d)", gp, mainLwp, len(lwps)+1), m, func(i int) uint64 { return raw.GPValue(0, i) })
				checkVec(t, fmt.Sprintf("%s of LWP %d (of %d)", tracer.RegsFP.Name(false), mainLwp, len(lwps)+1), tr.GetRegSet(p.Pid, mainLwp, tracer.RegsFP), false, loaded(false))
				for _, h := range held {
					o := tr.GetRegSet(p.Pid, h, tracer.RegsGP)
					if got := o.Word(target); got != uint64(h) {
						t.Errorf("%s of LWP %d while LWP %d is stopped too: %s is %d, want %d", gp, h, mainLwp, target, got, h)
					}
					lwpVec(t, tr, p.Pid, h, lwpVecMagic(h), fmt.Sprintf("its own, while LWP %d is stopped too", mainLwp))
				}
				for i, name := range raw.GPLoaded {
					m.SetWord(name, gpNew(i))
				}
				tr.SetRegSet(p.Pid, m)
				mf := tr.GetRegSet(p.Pid, mainLwp, tracer.RegsFP).Clone()
				setVecs(mf, false)
				tr.SetRegSet(p.Pid, mf)
				for _, h := range held {
					if got := tr.GetRegSet(p.Pid, h, tracer.RegsGP).Word(last); got != lwpMagic(h) {
						t.Errorf("%s of LWP %d reached LWP %d: its %s is %#x, want its own %#x", tracer.RegsGP.Name(true), mainLwp, h, last, got, lwpMagic(h))
					}
					lwpVec(t, tr, p.Pid, h, lwpVecMagic(h), fmt.Sprintf("its own: %s of LWP %d must not reach it", tracer.RegsFP.Name(true), mainLwp))
				}
				held = holdOrResume(tr, held, ev.Pid)
			default:
				resumeOther(tr, ev)
			}
		}
		for _, h := range held {
			tr.Cont(h, 0)
		}
		var end tracer.Event
		for {
			ev := tr.Wait(-1)
			if ev.Terminal() && ev.Pid == p.Pid {
				end = ev
				break
			}
			if !ev.Terminal() {
				t.Logf("report: %v (LWP %d)", ev, ev.Lwp)
				resumeOther(tr, ev)
			}
		}
		defer func() {
			// After the register checks: the LWPs must have exited and
			// been joined (a failed join is the scenario's fail report).
			if end.Kind != tracer.Exited || end.Status != scenarioExit {
				p.ReportedWithin("fail", time.Second)
				t.Errorf("the tracee must exit %d, got %v", scenarioExit, end)
			}
		}()
		for i, v := range strings.Split(p.Report("out"), ",") {
			w, err := parseWord(v)
			if err != nil {
				t.Fatalf("tracee reported out: %v", err)
			}
			if w != gpNew(i) {
				t.Errorf("%s of LWP %d: once resumed it had %s = %#x, the tracer wrote %#x (and %#x into the other LWPs)", tracer.RegsGP.Name(true), mainLwp, raw.GPLoaded[i], w, gpNew(i), lwpMagic(0)&^0xffff)
			}
		}
		for i, v := range strings.Split(p.Report("vout"), ",") {
			if want := hex.EncodeToString(newVec(i, false)); v != want {
				t.Errorf("%s of LWP %d: once resumed it had %s = %s, the tracer wrote %s (and %x into the other LWPs' xmm15)", tracer.RegsFP.Name(true), mainLwp, vecLow(i), v, want, lwpVecMagic(0)[4:])
			}
		}
	})
}

// mainStop says whether a SIGSTOP stop is the main LWP's own, by the
// kernel's rule for who reports it (kernelRegs.stopReporter).
func mainStop(ev tracer.Event, pid, mainLwp int) bool {
	if kernelRegs[runtime.GOOS].stopIsProcess {
		return ev.Pid == pid
	}
	return ev.Pid == pid && ev.Lwp == mainLwp
}

// resumeOther resumes a stop the case does not look at: a creation
// report, a new thread's first SIGSTOP (suppressed), any other signal
// (delivered).
func resumeOther(tr *tracer.Tracer, ev tracer.Event) {
	sig := syscall.Signal(0)
	if ev.Kind == tracer.Stopped && ev.Sig != int(syscall.SIGSTOP) && ev.Sig != int(syscall.SIGTRAP) {
		sig = syscall.Signal(ev.Sig)
	}
	tr.Cont(ev.Pid, sig)
}
