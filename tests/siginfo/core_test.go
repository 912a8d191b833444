package siginfo

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
	"ptracesuite/internal/tracer"
)

// A fault signal that the tracer delivers at the crash stop kills the
// tracee by its default action, which for SIGTRAP, SIGSEGV, SIGILL, SIGFPE
// and SIGBUS is to dump core: the wait status then has WCOREDUMP (the
// tracer's Event.Core) exactly when the kernel wrote the dump. Whether it
// must write one is the kernel's rule below, from what the tracee reports
// of its own settings (raw.CoreSetting); the tracee makes the dump land in
// its TMPDIR, which the test removes, or nowhere.

// coreRule says whether the kernel promises a core dump for a process with
// setting s that a core-action signal kills, or, with why, that the
// promise cannot be stated for s (the bit is then not checked).
type coreRule func(s raw.CoreSetting) (core bool, why string)

var coreRules = map[string]coreRule{
	"linux":  linuxCore,
	"netbsd": netbsdCore,
}

// linuxCore is fs/coredump.c vfs_coredump (Linux 6.x) and core(5): no dump
// for a process that is not dumpable (coredump_skip); a "|helper" or
// "@socket" core_pattern hands the dump to a helper, and WCOREDUMP then
// says whether the helper took it all; a file needs RLIMIT_CORE of at
// least a page (binfmt min_coredump) and room for the whole dump
// (dump_emit fails past the limit and the bit stays clear), a file the
// process can create (O_CREAT|O_EXCL) in the pattern's directory, the cwd
// for a relative pattern, with mode 0600 kept ("cannot preserve file
// permissions" otherwise), and an absolute path when the process is
// dumpable only as root (SUID_DUMP_ROOT, suid_dumpable=2).
func linuxCore(s raw.CoreSetting) (bool, string) {
	helper := strings.HasPrefix(s.Pattern, "|") || strings.HasPrefix(s.Pattern, "@")
	switch {
	case s.PatternErr != "":
		return false, "core_pattern unreadable: " + s.PatternErr
	case s.Dumpable == 0:
		return false, "" // not dumpable: no dump at all
	case helper:
		return false, fmt.Sprintf("core_pattern %q hands the dump to a helper: WCOREDUMP says whether it took all of it", s.Pattern)
	case s.Dumpable == 2 && !strings.HasPrefix(s.Pattern, "/"):
		return false, "" // SUID_DUMP_ROOT: only to a fully qualified path
	case s.Limit < uint64(os.Getpagesize()):
		return false, "" // below min_coredump
	case s.Limit != s.Infinite:
		return false, fmt.Sprintf("RLIMIT_CORE %d is finite (hard limit %d): a dump larger than it fails", s.Limit, s.Hard)
	case !s.InDir:
		return false, fmt.Sprintf("core_pattern %q does not name a file in the working directory", s.Pattern)
	case !s.DirWritable:
		return false, "" // the core file cannot be created
	case s.Umask&0o600 != 0:
		return false, "" // the file would not be 0600
	}
	return true, ""
}

// netbsdCore is sys/kern/kern_core.c coredump() with kern_sig.c sigexit(),
// which sets WCOREFLAG iff coredump() returned 0: no dump when the
// process's data and stack are not smaller than RLIMIT_CORE (EFBIG), for a
// set-id process unless kern.sugid_coredump says so, or when the core file
// (corename expanded, relative to the cwd unless absolute) cannot be
// created as a regular file of the process's owner.
func netbsdCore(s raw.CoreSetting) (bool, string) {
	switch {
	case s.Limit == 0:
		return false, "" // every dump is larger than 0
	case s.PatternErr != "":
		return false, "proc.curproc.corename unreadable: " + s.PatternErr
	case s.SetID:
		return false, "the process is set-id: kern.sugid_coredump decides"
	case s.Limit != s.Infinite:
		return false, fmt.Sprintf("RLIMIT_CORE %d is finite (hard limit %d): coredump() compares the data and stack size with it", s.Limit, s.Hard)
	case !s.InDir:
		return false, fmt.Sprintf("corename %q does not name a file in the working directory", s.Pattern)
	case !s.DirWritable:
		return false, "" // the core file cannot be created
	}
	return true, ""
}

// delivery is what delivering the fault signal at the crash stop does:
// kills the tracee with it, or, with why, nothing written down; race is a
// kernel race that makes the outcome depend on timing there.
type delivery struct {
	kills bool
	why   string
	race  expect.RaceBefore
}

// resetDeliveryRace: NetBSD 8.99.25, a fault signal that trapsignal()
// unblocked or reset from SIG_IGN to SIG_DFL and posted, delivered at its
// stop. Measured under qemu (the fixed lab kernel, 6 runs of the 10
// blocked/ignored cases): 59 killed the tracee with a core; in 1
// (traceme_signalignored_crash_ill_core) the fault came again first, a
// second SIGILL stop (ILL_PRVOPC), and the tracee then outlived SIGKILL.
// The 30 runs of the SIG_DFL cases all killed it with a core.
var resetDeliveryRace = expect.RaceBefore{Fix: nbabi.FeatureCrashStopKeepsMask,
	Race: "a fault signal trapsignal() reset to SIG_DFL and posted, delivered at its stop: the fault can repeat first (a second stop) and the process then outlives SIGKILL"}

// crashDelivery is delivery per kernel and set-up. With SIG_DFL and the
// signal unblocked ("") the default action kills on both kernels. A
// blocked or ignored fault signal: Linux's force_sig_info already
// unblocked it and reset it to SIG_DFL when the fault raised it
// (crashKeepsState), so it kills; so did NetBSD's trapsignal() before its
// rework (where the outcome races: resetDeliveryRace); a NetBSD kernel
// that keeps the signal blocked or ignored at the stop is not written down
// here (the signal would stay pending or be discarded and the fault
// repeat).
var crashDelivery = map[string]map[string]expect.Revised[delivery]{
	"linux": {"": {Now: delivery{kills: true}}, "_masked": {Now: delivery{kills: true}}, "_ignored": {Now: delivery{kills: true}}},
	"netbsd": {
		"": {Now: delivery{kills: true}},
		"_masked": {Now: delivery{why: "what delivering a fault signal that stays blocked at the crash stop does is not written down for this revision"},
			Before: []expect.Older[delivery]{{Feature: nbabi.FeatureCrashStopKeepsMask, Value: delivery{kills: true, race: resetDeliveryRace}}}},
		"_ignored": {Now: delivery{why: "what delivering a fault signal that stays ignored at the crash stop does is not written down for this revision"},
			Before: []expect.Older[delivery]{{Feature: nbabi.FeatureCrashStopKeepsMask, Value: delivery{kills: true, race: resetDeliveryRace}}}},
	},
}

// coreProbes are settings the core rules are stated for in
// docs/SEMANTICS.md: each kernel's usual setting (base) with one thing
// changed; kernels, when set, are the kernels that have the setting.
var coreProbes = []struct {
	what    string
	kernels []string
	change  func(*raw.CoreSetting)
}{
	{"a plain file name in a writable cwd, RLIMIT_CORE unlimited", nil, func(*raw.CoreSetting) {}},
	{"RLIMIT_CORE 0", nil, func(s *raw.CoreSetting) { s.Limit = 0 }},
	{"RLIMIT_CORE finite (1 MiB)", nil, func(s *raw.CoreSetting) { s.Limit = 1 << 20 }},
	{"a pattern naming another directory", nil, func(s *raw.CoreSetting) { s.Pattern, s.InDir = "/var/crash/%n.core", false }},
	{"an unwritable cwd", nil, func(s *raw.CoreSetting) { s.DirWritable = false }},
	{"umask 0177", nil, func(s *raw.CoreSetting) { s.Umask = 0o177 }},
	{"PR_SET_DUMPABLE 0", []string{"linux"}, func(s *raw.CoreSetting) { s.Dumpable = 0 }},
	{"a |helper core_pattern", []string{"linux"}, func(s *raw.CoreSetting) { s.Pattern, s.InDir = "|/usr/lib/systemd/systemd-coredump %P", false }},
	{"a set-id process", []string{"netbsd"}, func(s *raw.CoreSetting) { s.SetID = true }},
}

// coreBase is each kernel's usual setting for coreProbes.
var coreBase = map[string]raw.CoreSetting{
	"linux":  {Pattern: "core", Limit: ^uint64(0), Hard: ^uint64(0), Infinite: ^uint64(0), Dumpable: 1, Umask: 0o022, DirWritable: true, InDir: true},
	"netbsd": {Pattern: "%n.core", Limit: ^uint64(0), Hard: ^uint64(0), Infinite: ^uint64(0), Dumpable: -1, Umask: 0o022, DirWritable: true, InDir: true},
}

var _ = semantics.Add(func() []semantics.Row {
	rows := []semantics.Row{semantics.Both("traceme_[signal{masked,ignored}_]crash_*_core, traceme_vfork_*crash_*",
		"whether a core-action signal that kills the tracee dumps core (WCOREDUMP), for the setting it reports", "coreRules, coreProbes, coreBase",
		func(k string) string {
			var lines []string
			for _, p := range coreProbes {
				if p.kernels != nil && !slices.Contains(p.kernels, k) {
					continue
				}
				s := coreBase[k]
				p.change(&s)
				core, why := coreRules[k](s)
				what := "no core"
				switch {
				case why != "":
					what = "not stated, WCOREDUMP not checked: " + why
				case core:
					what = "a core"
				}
				lines = append(lines, p.what+": "+what)
			}
			return strings.Join(lines, "\n")
		})}
	for _, st := range crashSetups {
		rows = append(rows, semantics.Both("traceme_"+st.ident+"crash_*_core", "the fault signal delivered at the crash stop"+
			map[string]string{"": " (SIG_DFL)", "_masked": " (blocked by the tracee)", "_ignored": " (ignored by the tracee)"}[st.scenario],
			"crashDelivery", func(k string) string {
				return crashDelivery[k][st.scenario].Text(func(d delivery) string {
					if !d.kills {
						return "not written down (the case ends with PT_KILL): " + d.why
					}
					s := "kills the tracee with the signal, with a core where the core rule promises one"
					if d.race.Fix.Name != "" {
						s += " (a race: the case runs only with racy=true: " + d.race.Race + ")"
					}
					return s
				})
			}))
	}
	return rows
})

func coreIdent(setupIdent, name string) string {
	return crashIdent("traceme", setupIdent, name) + "_core"
}

func init() {
	for _, st := range crashSetups {
		for _, c := range raw.Crashes {
			how := map[string]string{"": " (SIG_DFL)", "_masked": " with the signal blocked", "_ignored": " with the signal ignored"}[st.scenario]
			atfshim.DeclareSub(TestCrashCore, coreIdent(st.ident, c.Name), atfshim.Meta{
				Descr: fmt.Sprintf("a %s crash%s stops the tracee; %s delivered at that stop kills it, with a core (WCOREDUMP) exactly where the kernel's core rule promises one",
					c.Name, how, tracer.SignalName(int(c.Sig))),
				Timeout: caseTimeout,
			})
		}
	}
	// "crash_<name><setup>_core": SIG_DFL for the signal (or block or
	// ignore it), make a dump land in TMPDIR or nowhere (raw.PrepareCore)
	// and report what decides it ("core", JSON), report the signal state
	// ("sigstate") and the LWP ("lwp"), stop at the ready point, crash.
	for _, cr := range raw.Crashes {
		for _, st := range setups {
			tracee.Register("crash_"+cr.Name+st.name+"_core", func(c *tracee.Ctx) int {
				if st.name == "" {
					c.Check("SIG_DFL for "+tracer.SignalName(int(cr.Sig)), raw.DefaultSignal(int(cr.Sig)))
				} else {
					c.Check("prepare "+tracer.SignalName(int(cr.Sig)), st.prep(int(cr.Sig)))
				}
				s, err := raw.PrepareCore(os.TempDir())
				c.Check("prepare the core", err)
				b, err := json.Marshal(s)
				c.Check("core setting", err)
				c.Report("core", string(b))
				expect.ReportSignalState(c, "sigstate")
				c.Report("lwp", raw.ThreadID())
				c.Ready()
				c.Check("crash set-up", cr.Trigger())
				c.Fatalf("the %s trigger returned: no fault happened", cr.Name)
				return 0
			})
		}
	}
}

// TestCrashCore: the crash of TestCrash, but at the crash stop the tracer
// delivers the signal (PT_CONTINUE / PTRACE_CONT with it) instead of
// PT_KILL: the tracee must die of that signal, with WCOREDUMP exactly when
// the kernel's core rule promises a dump; the signal state is held at
// every stop as in TestCrash.
func TestCrashCore(t *testing.T) {
	for _, st := range crashSetups {
		for _, c := range raw.Crashes {
			ident := coreIdent(st.ident, c.Name)
			atfshim.RunSub(t, ident, func(t *atfshim.T) {
				if why := raw.CrashUnsupported(c); why != "" {
					t.Skipf("%s", why)
				}
				codes, ok := crashCodesHere(c.Name)
				if !ok {
					t.Fatalf("no si_code written down for a %s crash on %s/%s", c.Name, runtime.GOOS, runtime.GOARCH)
				}
				rule, ok := coreRules[runtime.GOOS]
				if !ok {
					t.Fatalf("no core rule written down for %s", runtime.GOOS)
				}
				del, ok := crashDelivery[runtime.GOOS][st.scenario]
				if !ok {
					t.Fatalf("no crash-signal delivery rule written down for %s", runtime.GOOS)
				}
				d, why := del.Here()
				if why != "" {
					t.Logf("delivery rule: the older rule applies: %s", why)
				}
				d.race.Gate(t)
				tr := tracer.New(t)
				p := tr.Spawn("crash_" + c.Name + st.scenario + "_core")
				var cs raw.CoreSetting
				if err := json.Unmarshal([]byte(p.Report("core")), &cs); err != nil {
					t.Fatalf("tracee core setting %q: %v", p.Report("core"), err)
				}
				core, coreWhy := rule(cs)
				t.Logf("core setting %+v: core promised %v%s", cs, core, map[bool]string{true: " (not stated: " + coreWhy + ")", false: ""}[coreWhy != ""])
				setup, lwp := readyState(t, tr, p, ident, c.Sig, st.scenario)
				tr.Cont(p.Pid, 0)
				ev := tr.Wait(p.Pid)
				if ev.Kind != tracer.Stopped || ev.Sig != int(c.Sig) || !slices.Contains(codes, ev.Code) {
					t.Fatalf("a %s crash must stop the tracee with %s, si_code in %v; got %v", c.Name, tracer.SignalName(int(c.Sig)), codes, ev)
				}
				if st.scenario != "" {
					checkCrashState(t, tr, ident, ev, lwp, setup, c.Sig)
				} else {
					expect.CheckStopState(t, tr, ident, "", ev, setup)
				}
				if !d.kills {
					t.Logf("%s delivered at the crash stop: %s; ended with %s instead, WCOREDUMP not checked", tracer.SignalName(int(c.Sig)), d.why, "PT_KILL")
					tr.Kill(p.Pid)
					expect.Same(t, "PT_KILL at the crash stop (a SIGKILL never dumps core)", tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}, tr.Wait(p.Pid))
					return
				}
				tr.Cont(p.Pid, c.Sig)
				got := tr.Wait(p.Pid)
				want := tracer.Event{Kind: tracer.Killed, Sig: int(c.Sig), Core: core}
				promise := "the core rule promises no core for this setting"
				if core {
					promise = fmt.Sprintf("a core is promised: %q names a file in the writable cwd and RLIMIT_CORE is unlimited", cs.Pattern)
				}
				if coreWhy != "" {
					t.Logf("WCOREDUMP not checked: the core rule cannot be stated here: %s", coreWhy)
					want.Core, promise = got.Core, "WCOREDUMP not checked"
				}
				expect.Same(t, tracer.SignalName(int(c.Sig))+" delivered at the crash stop ("+promise+")", want, got)
				if ents, err := os.ReadDir(cs.Dir); err == nil {
					var names []string
					for _, e := range ents {
						names = append(names, e.Name())
					}
					t.Logf("the tracee's directory %s holds %v (removed with the test)", cs.Dir, names)
				}
			})
		}
	}
}
