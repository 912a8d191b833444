package step

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/insn"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// The x86 debug-register cases, multiplied as NetBSD's
// t_ptrace_x86_wait.h multiplies them: per DRn (0..3) × condition ×
// length, plus the 8-byte length amd64 has (not in NetBSD's list).

// watchConds are NetBSD's trap_variable conditions: a write-only watch hit
// by a write (a read of the same bytes first must not fire), a read/write
// watch hit by a write, and one hit by a read.
var watchConds = []struct {
	ident string
	cond  uint64
	write bool // the access that fires
}{
	{"writeonly", nbabi.DR7CondWrite, true},
	{"readwrite_write", nbabi.DR7CondReadWrite, true},
	{"readwrite_read", nbabi.DR7CondReadWrite, false},
}

var watchLens = []struct {
	ident string
	size  int
	bits  uint64
}{
	{"byte", 1, nbabi.DR7Len1}, {"2bytes", 2, nbabi.DR7Len2}, {"4bytes", 4, nbabi.DR7Len4}, {"8bytes", 8, nbabi.DR7Len8},
}

// preserveModes are dbregs_preserve_drN{,_yield,_continued}: DRn set at a
// stop reads back the same at once, after the tracer yields the CPU, and
// at the tracee's next stop.
var preserveModes = []string{"", "_yield", "_continued"}

func init() {
	d := func(ident, descr string) {
		atfshim.DeclareSub(TestDbregs, ident, atfshim.Meta{Descr: descr, Timeout: caseTimeout})
	}
	d("dbregs_print", fmt.Sprintf("%s at the first stop of a new process: every debug register 0", tracer.DbRegsNames[0]))
	for n := 0; n < 4; n++ {
		for _, m := range preserveModes {
			d(fmt.Sprintf("dbregs_preserve_dr%d%s", n, m), fmt.Sprintf("DR%d set with %s reads back the same%s", n, tracer.DbRegsNames[1],
				map[string]string{"": "", "_yield": " after the tracer yields the CPU", "_continued": " at the tracee's next stop"}[m]))
		}
		for _, c := range watchConds {
			for _, l := range watchLens {
				d(fmt.Sprintf("dbregs_dr%d_trap_variable_%s_%s", n, c.ident, l.ident),
					fmt.Sprintf("a %d-byte %s watch in DR%d on a variable stops the tracee after the %s with SIGTRAP, the kernel's si_code, DR6 B%d and the PC after the access",
						l.size, c.ident, n, map[bool]string{true: "write", false: "read"}[c.write], n))
			}
		}
		d(fmt.Sprintf("dbregs_dr%d_trap_code", n), fmt.Sprintf("an execution breakpoint in DR%d stops the tracee before the instruction with SIGTRAP, the kernel's si_code and DR6 B%d", n, n))
		d(fmt.Sprintf("dbregs_dr%d_dont_inherit_lwp", n), fmt.Sprintf("DR%d set on an LWP is not inherited by the LWP it creates", n))
		d(fmt.Sprintf("dbregs_dr%d_dont_inherit_execve", n), fmt.Sprintf("DR%d and DR7 set before execve are 0 at the exec stop", n))
	}
	d("dbregs_kill_armed", "PT_KILL of a tracee stopped with a write watchpoint armed ends it with SIGKILL")
	d("dbregs_per_lwp", "debug registers are per LWP: DR0 and DR7 set on one LWP leave another's 0, and read back on the LWP they were set on")
	d("x86_cve_2018_8897", "MOV SS from a watched variable followed by int3 (CVE-2018-8897): the kernel survives, the tracee gets SIGTRAP stops only and runs on to exit 5")
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{
		semantics.Both("dbregs_*", "the debug registers of a traced LWP", "ptrace.DbRegsMissingOn, ptrace.dbTrapCodeOn",
			func(k string) string {
				s := fmt.Sprintf("%s/%s; a watchpoint or code breakpoint stops with SIGTRAP, si_code %s, DR6 naming the DR that fired",
					map[string]string{"netbsd": "PT_GETDBREGS", "linux": "PTRACE_PEEKUSER"}[k], map[string]string{"netbsd": "PT_SETDBREGS (data: the LWP)", "linux": "PTRACE_POKEUSER (the thread) at offsetof(struct user, u_debugreg)"}[k],
					tracer.CodeNameOn(k, int(syscall.SIGTRAP), tracer.DbTrapCodeOn(k)))
				var lack []string
				for _, arch := range []string{"amd64", "arm64", "386", "arm"} {
					if why := tracer.DbRegsMissingOn(k, arch); why != "" {
						lack = append(lack, arch)
					}
				}
				if len(lack) > 0 {
					s += "; the cases skip on " + strings.Join(lack, ", ")
				}
				return s
			}),
	}
})

// dbregsProbe is whether this machine lets a tracer set debug registers,
// measured once per program: a tracee's DR0 and DR7 are set (a write
// watch on its variable) and the kernel's answer is kept. A hypervisor
// that gives the guest none makes the kernel refuse; that is a skip with
// the kernel's error, not a failure.
var dbregsProbe struct {
	once sync.Once
	why  string
}

// dbregsEPERMHint is what lets a user set debug registers, per kernel.
var dbregsEPERMHint = map[string]string{
	"netbsd": ": run as root or set sysctl security.models.extensions.user_set_dbregs=1",
	"linux":  "",
}

func dbregsSkip(t *atfshim.T) string {
	if why := tracer.DbRegsMissing(); why != "" {
		return why
	}
	if why := insn.Missing(); why != "" {
		return why
	}
	dbregsProbe.once.Do(func() {
		tr := tracer.New(t)
		p := tr.Spawn("dbregs")
		r := tracer.DbRegs{}
		r.DR[0] = uint64(p.ReportInt("watched"))
		r.DR7 = nbabi.DR7Global(0, nbabi.DR7CondWrite, nbabi.DR7Len4)
		err := tr.TrySetDbRegs(p.Pid, p.ReportInt("lwp"), r)
		switch {
		case errors.Is(err, unix.EPERM):
			// Refused to this user, as NetBSD's can_we_set_dbregs probes:
			// the cases skip. Any other error is the kernel's to answer for.
			dbregsProbe.why = fmt.Sprintf("%s of a write watch on a variable refused (EPERM)%s", tracer.DbRegsNames[1], dbregsEPERMHint[runtime.GOOS])
		case err != nil:
			t.Fatalf("%s of a write watch (DR0 = a variable, DR7 global write, 4 bytes) on the stopped tracee: %v", tracer.DbRegsNames[1], err)
		default:
			// The probe's tracee runs to its exit with its registers
			// cleared (dbregs_kill_armed checks PT_KILL of an armed one).
			tr.SetDbRegs(p.Pid, p.ReportInt("lwp"), tracer.DbRegs{})
		}
		runsOn(t, tr, p, "the probe")
	})
	return dbregsProbe.why
}

// TestDbregs runs every debug-register case.
func TestDbregs(t *testing.T) {
	run := func(ident string, f func(t *atfshim.T)) {
		atfshim.RunSub(t, ident, func(t *atfshim.T) {
			if why := dbregsSkip(t); why != "" {
				t.Skipf("%s", why)
			}
			f(t)
		})
	}
	run("dbregs_print", dbregsPrint)
	for n := 0; n < 4; n++ {
		for _, m := range preserveModes {
			run(fmt.Sprintf("dbregs_preserve_dr%d%s", n, m), func(t *atfshim.T) { dbregsPreserve(t, n, m) })
		}
		for _, c := range watchConds {
			for _, l := range watchLens {
				run(fmt.Sprintf("dbregs_dr%d_trap_variable_%s_%s", n, c.ident, l.ident), func(t *atfshim.T) {
					dbregsTrapVariable(t, n, c.cond, c.write, l.size, l.bits)
				})
			}
		}
		run(fmt.Sprintf("dbregs_dr%d_trap_code", n), func(t *atfshim.T) { dbregsTrapCode(t, n) })
		run(fmt.Sprintf("dbregs_dr%d_dont_inherit_lwp", n), func(t *atfshim.T) { dbregsDontInheritLwp(t, n) })
		run(fmt.Sprintf("dbregs_dr%d_dont_inherit_execve", n), func(t *atfshim.T) { dbregsDontInheritExecve(t, n) })
	}
	run("dbregs_kill_armed", dbregsKillArmed)
	run("dbregs_per_lwp", dbregsPerLwp)
	run("x86_cve_2018_8897", cve20188897)
}

// dr7Set is what a tracer sets in DR7: the enables (bits 0-7) and each
// DRn's condition and length (16-31). The other bits are the machine's
// (bit 10 reads 1: NetBSD reports DR7 0x400 at rest, Linux 0).
func dr7Set(v uint64) uint64 { return v & 0xffff00ff }

// armWatch sets DRn of the scenario's LWP to watch its variable for cond
// at the length lenBits, and returns the LWP and what was set.
func armWatch(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc, n int, cond, lenBits uint64) (int, tracer.DbRegs) {
	t.Helper()
	lwp := p.ReportInt("lwp")
	var r tracer.DbRegs
	r.DR[n] = uint64(p.ReportInt("watched"))
	r.DR7 = nbabi.DR7Global(n, cond, lenBits)
	tr.SetDbRegs(p.Pid, lwp, r)
	disarmAtEnd(t, tr, p.Pid, lwp)
	return lwp, r
}

// disarmAtEnd clears the LWP's debug registers when the case ends, before
// the harness's cleanup kills it (registered later, so run first): a
// tracee stopped with a watchpoint armed may outlive PT_KILL
// (FixKillArmedWatchpoint). A tracee that is not stopped then refuses the
// request, which changes nothing.
func disarmAtEnd(t *atfshim.T, tr *tracer.Tracer, pid, lwp int) {
	t.Cleanup(func() { tr.TrySetDbRegs(pid, lwp, tracer.DbRegs{}) })
}

// runsOn lets the tracee go on from a stop to its second SIGSTOP and then
// to its exit.
func runsOn(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc, what string) {
	t.Helper()
	tr.Cont(p.Pid, 0)
	ev := tr.Wait(p.Pid)
	if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
		t.Fatalf("%s: the tracee must run on to its second SIGSTOP; got %v", what, ev)
	}
	tr.Cont(p.Pid, 0)
	expect.Same(t, what+": the tracee must run on to exit 5", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
}

// dbregsPrint is NetBSD's dbregs_print, which prints them; here a new
// process's debug registers must also be clear (the kernel gives none to
// a process nobody set them for).
func dbregsPrint(t *atfshim.T) {
	tr := tracer.New(t)
	p := tr.Spawn("dbregs")
	r := tr.GetDbRegs(p.Pid, p.ReportInt("lwp"))
	t.Logf("%s at the ready stop: %v", tracer.DbRegsNames[0], r)
	if r.DR != [4]uint64{} || dr7Set(r.DR7) != 0 {
		t.Fatalf("%s of a new process: want DR0-DR3 0 and no DR7 enable, got %v", tracer.DbRegsNames[0], r)
	}
	runsOn(t, tr, p, "after "+tracer.DbRegsNames[0])
}

// dbregsPreserve: DRn holds the address of the tracee's variable (DR7
// left without an enable, as NetBSD's dbreg_preserve does).
func dbregsPreserve(t *atfshim.T, n int, mode string) {
	tr := tracer.New(t)
	p := tr.Spawn("dbregs")
	lwp := p.ReportInt("lwp")
	r := tr.GetDbRegs(p.Pid, lwp)
	r.DR[n] = uint64(p.ReportInt("watched"))
	tr.SetDbRegs(p.Pid, lwp, r)
	when := "at once"
	switch mode {
	case "_yield":
		runtime.Gosched()
		unix.Syscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
		when = "after the tracer yielded the CPU"
	case "_continued":
		tr.Cont(p.Pid, 0)
		if ev := tr.Wait(p.Pid); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
			t.Fatalf("the tracee must run on to its second SIGSTOP; got %v", ev)
		}
		when = "at the tracee's next stop"
	}
	got := tr.GetDbRegs(p.Pid, lwp)
	if got.DR != r.DR || got.DR7 != r.DR7 {
		t.Fatalf("DR%d set to %#x must read back the same %s: set %v, got %v", n, r.DR[n], when, r, got)
	}
	if mode == "_continued" {
		tr.Cont(p.Pid, 0)
		expect.Same(t, "the tracee must run on to exit 5", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
		return
	}
	runsOn(t, tr, p, "after DR"+fmt.Sprint(n)+" was set")
}

// checkDbTrap checks a debug-register stop: SIGTRAP, the kernel's si_code,
// DR6 naming DRn alone among B0..B3, the PC where the trap must leave it.
func checkDbTrap(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc, lwp, n int, what string, ev tracer.Event, wantPC uintptr) {
	t.Helper()
	code := tracer.DbTrapCodeOn(runtime.GOOS)
	if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGTRAP) || ev.Code != code {
		t.Fatalf("%s must stop the tracee with SIGTRAP, %s; got %v", what, tracer.CodeName(int(syscall.SIGTRAP), code), ev)
	}
	if pc := tr.PC(p.Pid, lwp); pc != wantPC {
		t.Fatalf("%s: the PC must be %#x; got %#x", what, wantPC, pc)
	}
	r := tr.GetDbRegs(p.Pid, lwp)
	if r.DR6&0xf != 1<<n {
		t.Fatalf("%s: DR6 must name DR%d (B0..B3 = %#x); got DR6 %#x", what, n, 1<<n, r.DR6)
	}
}

// dbregsTrapVariable is NetBSD's dbregs_trap_variable: DRn watches the
// tracee's variable for cond at size bytes; the access stops the tracee
// after the instruction, once.
func dbregsTrapVariable(t *atfshim.T, n int, cond uint64, write bool, size int, lenBits uint64) {
	if size == 8 && runtime.GOARCH != "amd64" {
		t.Skipf("an 8-byte watch is amd64's (DR7 length 10b is undefined on i386)")
	}
	i := -1
	for k, a := range insn.Accesses {
		if a.Write == write && a.Size == size {
			i = k
		}
	}
	scenario := watchScenario(map[uint64]string{nbabi.DR7CondWrite: "w", nbabi.DR7CondReadWrite: "rw"}[cond], i)
	tr := tracer.New(t)
	p := tr.Spawn(scenario)
	lwp, r := armWatch(t, tr, p, n, cond, lenBits)
	tr.Cont(p.Pid, 0)
	what := fmt.Sprintf("a %d-byte %s of the variable watched by DR%d (DR7 %#x)", size, map[bool]string{true: "write", false: "read"}[write], n, r.DR7)
	checkDbTrap(t, tr, p, lwp, n, what, tr.Wait(p.Pid), uintptr(p.ReportInt("fn"))+insn.Accesses[i].TrapAt)
	runsOn(t, tr, p, "after the watchpoint's stop")
}

// dbregsTrapCode is NetBSD's dbregs_drN_trap_code: DRn is an execution
// breakpoint on an instruction; the tracee stops before running it (a
// fault: the PC is the instruction's). DR7 is cleared before it goes on.
func dbregsTrapCode(t *atfshim.T, n int) {
	tr := tracer.New(t)
	p := tr.Spawn("code")
	lwp, fn := p.ReportInt("lwp"), uintptr(p.ReportInt("fn"))
	var r tracer.DbRegs
	r.DR[n] = uint64(fn)
	r.DR7 = nbabi.DR7Global(n, nbabi.DR7CondExec, nbabi.DR7Len1)
	tr.SetDbRegs(p.Pid, lwp, r)
	tr.Cont(p.Pid, 0)
	checkDbTrap(t, tr, p, lwp, n, fmt.Sprintf("an execution breakpoint in DR%d at %#x", n, fn), tr.Wait(p.Pid), fn)
	tr.SetDbRegs(p.Pid, lwp, tracer.DbRegs{})
	runsOn(t, tr, p, "after the breakpoint's stop")
}

// dbregsDontInheritExecve is NetBSD's dbregs_drN_dont_inherit_execve: a
// new image starts with no debug registers.
func dbregsDontInheritExecve(t *atfshim.T, n int) {
	tr := tracer.New(t)
	p := tr.Spawn("exec")
	armWatch(t, tr, p, n, nbabi.DR7CondWrite, nbabi.DR7Len4)
	tr.TraceExec(p.Pid)
	tr.Cont(p.Pid, 0)
	ev := tr.Wait(p.Pid)
	if ev.Kind != tracer.Exec {
		t.Fatalf("execve of %s must stop the tracee at its exec; got %v", execPath, ev)
	}
	if got := tr.GetDbRegs(p.Pid, ev.Lwp); got.DR != [4]uint64{} || dr7Set(got.DR7) != 0 {
		t.Fatalf("DR%d and DR7 set before execve must be 0 in the new image; got %v", n, got)
	}
	tr.Cont(p.Pid, 0)
	expect.Same(t, execPath+" must run to exit 0", tracer.Event{Kind: tracer.Exited}, tr.Wait(p.Pid))
}

// lwpCreateOn is how each kernel reports a new LWP to the tracer that
// asked for it (tests/lwp checks it in full): NetBSD stops the whole
// process with PTRACE_LWP_CREATE, the new LWP inspectable with data = its
// id; Linux reports PTRACE_EVENT_CLONE at the creator and the new thread,
// traced, stops with its own SIGSTOP, where the tracer can read it.
// dr7Copied: the new LWP's DR7 reads back as its creator's though no
// breakpoint is armed in it. Measured on Linux 6.18 x86_64: DR0-DR3 read
// 0 and DR7 the creator's value (arch/x86/kernel/process.c copy_thread
// clears thread.ptrace_bps, the breakpoints, but not thread.ptrace_dr7,
// which PTRACE_PEEKUSER of DR7 returns).
var lwpCreateOn = map[string]struct {
	kind      tracer.Kind
	ownStop   bool
	dr7Copied bool
}{
	"netbsd": {tracer.LwpCreate, false, false},
	"linux":  {tracer.Clone, true, true},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("dbregs_dr0..3_dont_inherit_lwp", "a new LWP's debug registers", "lwpCreateOn",
		func(k string) string {
			if lwpCreateOn[k].dr7Copied {
				return "DR0-DR3 are 0 in the new thread; its DR7 reads back as the creator's (thread.ptrace_dr7 is copied, the breakpoints are not)"
			}
			return "all 0 in the new LWP: PT_GETDBREGS with data the new LWP at PTRACE_LWP_CREATE"
		})}
})

// dbregsDontInheritLwp is NetBSD's dbregs_drN_dont_inherit_lwp: DRn set
// on the LWP that creates a thread; the new LWP's, read at its creation
// stop, are 0, and the creator's are unchanged.
func dbregsDontInheritLwp(t *atfshim.T, n int) {
	tr := tracer.New(t)
	p := tr.Spawn("lwp")
	lwp, r := armWatch(t, tr, p, n, nbabi.DR7CondWrite, nbabi.DR7Len4)
	rule := lwpCreateOn[runtime.GOOS]
	newLwp := awaitNewLwp(t, tr, p)
	wantDR7 := uint64(0)
	if rule.dr7Copied {
		wantDR7 = dr7Set(r.DR7)
	}
	if got := tr.GetDbRegs(p.Pid, newLwp); got.DR != [4]uint64{} || dr7Set(got.DR7) != wantDR7 {
		t.Fatalf("LWP %d created by LWP %d (DR%d %#x, DR7 %#x) must start with DR0-DR3 0 and DR7 %#x; got %v", newLwp, lwp, n, r.DR[n], r.DR7, wantDR7, got)
	}
	if got := tr.GetDbRegs(p.Pid, lwp); got.DR != r.DR || dr7Set(got.DR7) != dr7Set(r.DR7) {
		t.Fatalf("the creating LWP %d's debug registers must be unchanged by the creation: set %v, got %v", lwp, r, got)
	}
	tr.SetDbRegs(p.Pid, lwp, tracer.DbRegs{})
	lwpsRunOn(t, tr, p, newLwp)
}

// awaitNewLwp sets the LWP-creation event, lets the scenario create its
// thread and returns the new LWP, stopped (lwpCreateOn).
func awaitNewLwp(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc) int {
	t.Helper()
	rule := lwpCreateOn[runtime.GOOS]
	tr.SetEventMask(p.Pid, tracer.MaskLwpCreate)
	tr.Cont(p.Pid, 0)
	ev := tr.Wait(p.Pid)
	if ev.Kind != rule.kind {
		t.Fatalf("the thread's creation must be reported as %v; got %v", rule.kind, ev)
	}
	if rule.ownStop {
		if ev := tr.Wait(ev.Other); ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGSTOP) {
			t.Fatalf("the new thread %d must stop with SIGSTOP at its start; got %v", ev.Other, ev)
		}
	}
	return ev.Other
}

// lwpsRunOn resumes the creator and the new LWP (0: already running) and
// follows every LWP
// (Linux reports the thread's exit too) until the process exits 5.
func lwpsRunOn(t *atfshim.T, tr *tracer.Tracer, p *tracer.Proc, newLwp int) {
	t.Helper()
	if lwpCreateOn[runtime.GOOS].ownStop && newLwp != 0 {
		tr.Cont(newLwp, 0)
	}
	tr.Cont(p.Pid, 0)
	evs := tr.Follow(p.Pid, nil).ByPid[p.Pid]
	if len(evs) == 0 {
		t.Fatalf("after the LWP's creation the tracee must run on to exit 5; it made no report")
	}
	expect.Same(t, "after the LWP's creation the tracee must run on to exit 5", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, evs[len(evs)-1])
}

// dbregsKillArmed (no NetBSD counterpart): a tracee stopped with DR0 and
// DR7 set (a write watch on its variable, not hit) is ended by PT_KILL
// (Linux: kill(SIGKILL)) like any other.
func dbregsKillArmed(t *atfshim.T) {
	expect.KnownBugs(t, nbabi.FixKillArmedWatchpoint)
	tr := tracer.New(t)
	p := tr.Spawn("dbregs")
	armWatch(t, tr, p, 0, nbabi.DR7CondWrite, nbabi.DR7Len4)
	tr.Kill(p.Pid)
	expect.Same(t, "PT_KILL of a tracee with a watchpoint armed", tracer.Event{Kind: tracer.Killed, Sig: int(syscall.SIGKILL)}, tr.Wait(p.Pid))
}

// dbregsPerLwp (no NetBSD counterpart): the tracee's second LWP exists and
// both are stopped; DR0 and DR7 set on the second LWP (NetBSD data = its
// id; Linux its thread) are its own.
func dbregsPerLwp(t *atfshim.T) {
	tr := tracer.New(t)
	p := tr.Spawn("lwp_await")
	lwp := p.ReportInt("lwp")
	other := awaitNewLwp(t, tr, p)
	var r tracer.DbRegs
	r.DR[0] = uint64(p.ReportInt("watched"))
	r.DR7 = nbabi.DR7Global(0, nbabi.DR7CondWrite, nbabi.DR7Len4)
	tr.SetDbRegs(p.Pid, other, r)
	disarmAtEnd(t, tr, p.Pid, other)
	if got := tr.GetDbRegs(p.Pid, other); got.DR != r.DR || dr7Set(got.DR7) != dr7Set(r.DR7) {
		t.Fatalf("%s of LWP %d must read back what %s set there: set %v, got %v", tracer.DbRegsNames[0], other, tracer.DbRegsNames[1], r, got)
	}
	if got := tr.GetDbRegs(p.Pid, lwp); got.DR != [4]uint64{} || dr7Set(got.DR7) != 0 {
		t.Fatalf("debug registers set on LWP %d must not be LWP %d's: LWP %d has %v", other, lwp, lwp, got)
	}
	tr.SetDbRegs(p.Pid, other, tracer.DbRegs{})
	lwpsRunOn(t, tr, p, other)
}

// cveTrapsOn is, per kernel, every sequence of SIGTRAP stops (by si_code)
// a fixed kernel may report for MOV SS from a watched variable followed at
// once by int3: the watch's #DB, raised inside the kernel's int3 entry,
// is either delivered as its own trap or dropped, and the int3's
// breakpoint trap follows. Measured: NetBSD 8.99.25 (qemu TCG) delivers
// the #DB, TRAP_DBREG, then the int3's TRAP_BRKPT; Linux 6.18 x86_64
// drops it (hw_breakpoint ignores a kernel-mode hit on a user address):
// one stop, the int3's SI_KERNEL.
var cveTrapsOn = map[string][][]string{
	"netbsd": {{"TRAP_DBREG", "TRAP_BRKPT"}},
	"linux":  {{"SI_KERNEL"}},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("x86_cve_2018_8897", "the SIGTRAP stops of MOV SS from a watched variable then int3 (CVE-2018-8897)", "cveTrapsOn",
		func(k string) string {
			var alts []string
			for _, seq := range cveTrapsOn[k] {
				alts = append(alts, strings.Join(seq, " then "))
			}
			return "SIGTRAP stops, by si_code: " + strings.Join(alts, ", or ")
		})}
})

// cve20188897 is NetBSD's x86_cve_2018_8897 in 64-bit mode: DR0 watches
// the saved SS, the tracee loads SS from it and executes int3 at once, so
// the #DB of the watch is raised inside the kernel's int3 entry. A kernel
// without the fix crashes; one with it reports one of the SIGTRAP
// sequences of cveTrapsOn, then the tracee's own SIGSTOP, then its exit.
func cve20188897(t *atfshim.T) {
	want := cveTrapsOn[runtime.GOOS]
	if want == nil {
		t.Fatalf("no CVE-2018-8897 trap sequence written down for %s", runtime.GOOS)
	}
	tr := tracer.New(t)
	p := tr.Spawn("cve_2018_8897")
	lwp, _ := armWatch(t, tr, p, 0, nbabi.DR7CondReadWrite, nbabi.DR7Len2)
	tr.Cont(p.Pid, 0)
	var traps []tracer.Event
	var codes []string
	for {
		ev := tr.Wait(p.Pid)
		if ev.Kind == tracer.Stopped && ev.Sig == int(syscall.SIGSTOP) {
			break
		}
		if ev.Kind != tracer.Stopped || ev.Sig != int(syscall.SIGTRAP) || len(traps) == 2 {
			t.Fatalf("MOV SS from a watched variable then int3: want SIGTRAP stops %v, then the tracee's SIGSTOP; got %v after %v", want, ev, traps)
		}
		traps = append(traps, ev)
		codes = append(codes, tracer.CodeName(ev.Sig, ev.Code))
		if len(traps) == 1 {
			tr.SetDbRegs(p.Pid, lwp, tracer.DbRegs{})
		}
		tr.Cont(p.Pid, 0)
	}
	t.Logf("stops: %v", traps)
	ok := false
	for _, seq := range want {
		ok = ok || strings.Join(seq, " ") == strings.Join(codes, " ")
	}
	if !ok {
		t.Fatalf("MOV SS from a watched variable then int3: want SIGTRAP stops %v (by si_code), got %v", want, codes)
	}
	tr.Cont(p.Pid, 0)
	expect.Same(t, "the tracee must run on to exit 5", tracer.Event{Kind: tracer.Exited, Status: scenarioExit}, tr.Wait(p.Pid))
}
