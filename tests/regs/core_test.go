package regs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

// The *_core cases: a tracee stopped with its registers loaded is sent,
// by PT_SETREGS of its PC alone, to a breakpoint instruction, and the
// tracer delivers the SIGTRAP of that crash stop (SIG_DFL: a core dump),
// so that the kernel dumps it with the registers it loaded; the core's
// register notes must hold them. (Passing a signal with PT_CONTINUE at
// the SIGSTOP stop itself is not used: on NetBSD 8.99.25 the passed
// SIGABRT was reported again as a stop of its own, SI_LWP, and passed
// there the process ran on and exited 0, measured 2026-12-01.)

// coreCrashRace: on NetBSD 8.99.25 the SIGTRAP delivered at the
// breakpoint stop (SIG_DFL) did not always kill: measured 2026-12-01
// under qemu (fixed lab kernel, one run of the 7 *_core cases that the
// kernel has requests for): 6 killed the tracee with a core, in 1
// (x86_fpregs_fpu_core) the kernel reported a second SIGTRAP TRAP_BRKPT
// stop and the tracee then outlived SIGKILL ("orphaned traced process"
// on the console): the symptoms of t_siginfo's resetDeliveryRace, whose
// fix this waits for.
var coreCrashRace = expect.RaceBefore{Fix: nbabi.FeatureCrashStopKeepsMask,
	Race: "the fault signal delivered at a breakpoint's crash stop: the trap can be reported again first (a second SIGTRAP stop) and the process then outlives SIGKILL"}

type coreCase struct {
	ident, descr string
	avx          bool
	set          tracer.RegSet
	check        func(t *atfshim.T, what string, r tracer.Regs)
}

var coreCases = []coreCase{
	{"x86_gpregs64_core", "the core of a tracee killed at a stop holds in its general-register note of the LWP the registers it loaded (also x86_gpregs64_r8_core)",
		false, tracer.RegsGP, func(t *atfshim.T, what string, r tracer.Regs) {
			checkGP(t, what, r, func(i int) uint64 { return raw.GPValue(0, i) })
		}},
	{"x86_fpregs_xmm_core", "the core of a tracee killed at a stop holds in its FP-register note of the LWP the xmm registers it loaded",
		false, tracer.RegsFP, func(t *atfshim.T, what string, r tracer.Regs) { checkVec(t, what, r, false, loaded(false)) }},
	{"x86_xstate_xmm_core", "the core of a tracee killed at a stop holds in its XSAVE-state note of the LWP the xmm registers it loaded",
		false, tracer.RegsXState, func(t *atfshim.T, what string, r tracer.Regs) { checkVec(t, what, r, false, loaded(false)) }},
	{"x86_xstate_ymm_core", "the core of a tracee killed at a stop holds in its XSAVE-state note of the LWP the ymm registers it loaded, with AVX in XSTATE_BV",
		true, tracer.RegsXState, func(t *atfshim.T, what string, r tracer.Regs) {
			if bv := r.Word("xstate_bv"); bv&nbabi.XCR0_YMM_Hi128 == 0 {
				t.Errorf("%s: XSTATE_BV %#x lacks AVX (%#x)", what, bv, nbabi.XCR0_YMM_Hi128)
			}
			checkVec(t, what, r, false, loaded(false))
			checkVec(t, what, r, true, loaded(true))
		}},
}

func init() {
	for _, c := range coreCases {
		atfshim.DeclareSub(TestRegsCore, c.ident, atfshim.Meta{Descr: c.descr, Timeout: caseTimeout})
	}
}

// TestRegsCore runs the *_core cases.
func TestRegsCore(t *testing.T) {
	for _, c := range coreCases {
		atfshim.RunSub(t, c.ident, func(t *atfshim.T) {
			if why := tracer.RegSetMissing(c.set); why != "" {
				t.Skip(why)
			}
			coreCrashRace.Gate(t)
			if c.set == tracer.RegsXState {
				// NetBSD writes the XSAVE note only where it has PT_GETXSTATE.
				tracer.Needs(t, nbabi.FeatureXState)
			}
			tr := tracer.New(t)
			s := atRegsStop(t, tr, c.avx, true)
			r := coreRegs(t, tr, s, c.set)
			t.Logf("core note (%s layout) of LWP %d: % x", c.set.Name(false), s.lwp, r.Bytes)
			c.check(t, fmt.Sprintf("core note (%s layout) of LWP %d", c.set.Name(false), s.lwp), r)
		})
	}
}

// corePromised says whether the kernel must dump a core for a process
// with setting s, and the setting in words. A plain file name pattern in
// a writable cwd, an unlimited RLIMIT_CORE, a dumpable non-set-id process:
// both kernels promise a core then (Linux fs/coredump.c vfs_coredump;
// NetBSD sys/kern/kern_core.c coredump).
func corePromised(s raw.CoreSetting) (bool, string) {
	setting := fmt.Sprintf("core pattern %q (%s), RLIMIT_CORE %d of %d, dumpable %d, set-id %v, cwd writable %v, umask %#o",
		s.Pattern, s.PatternErr, s.Limit, s.Hard, s.Dumpable, s.SetID, s.DirWritable, s.Umask)
	ok := s.PatternErr == "" && s.InDir && s.Limit == s.Infinite && s.Dumpable != 0 && s.Dumpable != 2 &&
		!s.SetID && s.DirWritable && s.Umask&0o600 == 0
	return ok, setting
}

// coreFile finds the dump in the tracee's directory: the core pattern
// with its % escapes as a glob (Linux "core" and core.PID; NetBSD
// "%n.core").
func coreFile(s raw.CoreSetting) (string, string) {
	if !s.InDir {
		return "", "the core pattern does not name a file in the tracee's directory"
	}
	glob := s.Pattern
	for strings.Contains(glob, "%") {
		i := strings.Index(glob, "%")
		end := min(i+2, len(glob))
		glob = glob[:i] + "*" + glob[end:]
	}
	m, _ := filepath.Glob(filepath.Join(s.Dir, glob+"*"))
	for _, p := range m {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, ""
		}
	}
	return "", fmt.Sprintf("no file matching %q in %s (%s)", glob, s.Dir, runtime.GOOS)
}

// coreRegs kills the stopped register scenario (a _core variant) with
// SIGTRAP at a breakpoint and returns set s of its LWP from the core, or skips
// the case where no core is promised (and fails it where one is and none
// came).
func coreRegs(t *atfshim.T, tr *tracer.Tracer, s regsStop, set tracer.RegSet) tracer.Regs {
	t.Helper()
	var cs raw.CoreSetting
	if err := json.Unmarshal([]byte(s.p.Report("core")), &cs); err != nil {
		t.Fatalf("tracee reported core=%q: %v", s.p.Report("core"), err)
	}
	// Only the PC moves: to the breakpoint, whose crash stop the
	// tracer ends by delivering SIGTRAP (SIG_DFL: a core dump).
	gp := tr.GetRegSet(s.p.Pid, s.lwp, tracer.RegsGP).Clone()
	gp.SetWord("pc", s.trap)
	tr.SetRegSet(s.p.Pid, gp)
	tr.Cont(s.p.Pid, 0)
	ev := tr.Wait(s.p.Pid)
	if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGTRAP) {
		t.Fatalf("resumed at the breakpoint %#x the tracee must stop with SIGTRAP, got %v", s.trap, ev)
	}
	tr.Cont(s.p.Pid, syscall.SIGTRAP)
	ev = tr.Wait(s.p.Pid)
	if ev.Kind != tracer.Killed || ev.Sig != int(syscall.SIGTRAP) {
		t.Fatalf("SIGTRAP (SIG_DFL) delivered at the breakpoint stop must kill the tracee, got %v", ev)
	}
	path, why := coreFile(cs)
	if !ev.Core || path == "" {
		if promised, setting := corePromised(cs); promised {
			t.Fatalf("no core of the SIGTRAP-killed tracee (WCOREDUMP %v, file %q; %s): the kernel promises one with %s", ev.Core, path, why, setting)
		} else {
			t.Skip("no core to read the registers from (measured): " + setting)
		}
	}
	core, err := tracer.ReadCore(path)
	if err != nil {
		t.Fatalf("reading the core: %v", err)
	}
	sets, ok := core.Regs[s.lwp]
	if !ok {
		t.Fatalf("the core %s has no register notes of LWP %d (it has LWPs %v)", filepath.Base(path), s.lwp, core.Lwps)
	}
	r, ok := sets[set]
	if !ok {
		t.Fatalf("the core %s has no %s note of LWP %d", filepath.Base(path), set.Name(false), s.lwp)
	}
	return r
}
