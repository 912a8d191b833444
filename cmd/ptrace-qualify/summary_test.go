package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ptracesuite/internal/atf"
	"ptracesuite/internal/tracer"
)

func TestWilson(t *testing.T) {
	// Reference values, worked by hand from the closed form
	// (k + z²/2 ± z·sqrt(k(n-k)/n + z²/4)) / (n + z²), z = 1.959964;
	// 0/n has the upper bound z²/(n+z²), and 5/10 is the textbook
	// [0.2366, 0.7634].
	for _, tc := range []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 1000, 0, 0.0038268},
		{3, 1000, 0.0010208, 0.0087830},
		{7, 200, 0.0170555, 0.0704706},
		{0, 1, 0, 0.7934507},
		{1, 1, 0.2065493, 1},
		{5, 10, 0.2365931, 0.7634069},
		{200, 200, 0.9811547, 1},
	} {
		lo, hi := wilson(tc.k, tc.n, z95)
		if math.Abs(lo-tc.lo) > 1e-6 || math.Abs(hi-tc.hi) > 1e-6 {
			t.Errorf("wilson(%d, %d) = [%.7f, %.7f], want [%.7f, %.7f]", tc.k, tc.n, lo, hi, tc.lo, tc.hi)
		}
		if p := float64(tc.k) / float64(tc.n); lo > p || hi < p {
			t.Errorf("wilson(%d, %d) = [%v, %v] does not hold the rate %v", tc.k, tc.n, lo, hi, p)
		}
	}
	for _, bad := range [][2]int{{0, 0}, {-1, 5}, {6, 5}} {
		if lo, hi := wilson(bad[0], bad[1], z95); !math.IsNaN(lo) || !math.IsNaN(hi) {
			t.Errorf("wilson(%d, %d) = [%v, %v], want NaN", bad[0], bad[1], lo, hi)
		}
	}
}

func TestMeasureRacy(t *testing.T) {
	pass := "=== RUN   TestLwpExitVsWait\n    repeat_test.go:139: lost LWP_EXIT in 0/1000 runs (1m14.526s)\n--- PASS: TestLwpExitVsWait (74.53s)\nPASS\n"
	cut := "    repeat_test.go:139: lost LWP_EXIT in 0/812 runs (1m30s); only 812 of 5000 runs fit in the case's time budget of 1m30s\n"
	for _, tc := range []struct {
		name string
		r    CaseResult
		want RacyRate
	}{{
		"pass", CaseResult{Name: "p:c", Result: atf.Passed, Stdout: pass},
		RacyRate{Name: "p:c", Result: atf.Passed, Measured: true, Runs: 1000, Asked: 1000, High: 0.0038268},
	}, {
		"fail", CaseResult{Name: "p:c", Result: atf.Failed, Reason: `detached process not run to its exit in 3/1000 runs (first: tracee "bursts": expected its ready SIGSTOP, got Killed(SIGKILL, core false)@11483)`},
		RacyRate{Name: "p:c", Result: atf.Failed, Measured: true, Failures: 3, Runs: 1000, Asked: 1000, Rate: 0.003, Low: 0.0010208, High: 0.0087830},
	}, {
		"fail cut", CaseResult{Name: "p:c", Result: atf.Failed, Reason: "lost LWP_EXIT in 7/200 runs; only 200 of 1000 runs fit in the case's time budget of 1m30s (first: saw LwpExit for 99 of 100 LWPs)"},
		RacyRate{Name: "p:c", Result: atf.Failed, Measured: true, Failures: 7, Runs: 200, Asked: 1000, Rate: 0.035, Low: 0.0170555, High: 0.0704706, Truncated: true, Note: "only 200 of 1000 runs fitted in the case's time budget"},
	}, {
		"pass cut", CaseResult{Name: "p:c", Result: atf.Passed, Stdout: cut},
		RacyRate{Name: "p:c", Result: atf.Passed, Measured: true, Runs: 812, Asked: 5000, High: 0.0047086, Truncated: true, Note: "only 812 of 5000 runs fitted in the case's time budget"},
	}, {
		"once", CaseResult{Name: "p:c", Result: atf.Passed, Stdout: "=== RUN TestX\n--- PASS\n"},
		RacyRate{Name: "p:c", Result: atf.Passed, Asked: 1000, Note: "not measured: the case reports no run counts (it runs once whatever racy_repeat says); its one run passed"},
	}, {
		"broken", CaseResult{Name: "p:c", Result: atf.Broken, Reason: "Test case body timed out", Stdout: "lost LWP_EXIT in 0/10 runs"},
		RacyRate{Name: "p:c", Result: atf.Broken, Reason: "Test case body timed out", Asked: 1000, Note: "not measured: broken"},
	}, {
		"inconsistent", CaseResult{Name: "p:c", Result: atf.Failed, Reason: "lost LWP_EXIT in 0/10 runs"},
		RacyRate{Name: "p:c", Result: atf.Failed, Reason: "lost LWP_EXIT in 0/10 runs", Asked: 1000, Note: "not measured: counts 0/10 do not fit the result failed"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := measureRacy(tc.r, 1000)
			if tc.name == "pass cut" {
				got.Asked = 5000 // the case says what was asked
				tc.want.Asked = 5000
			}
			if tc.r.Result == atf.Failed && tc.want.Reason == "" {
				tc.want.Reason = tc.r.Reason
			}
			approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-4 })
			if d := cmp.Diff(tc.want, got, approx); d != "" {
				t.Errorf("measureRacy (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseKyuaList(t *testing.T) {
	out := `tests/lwp/t_lwp:lwp_create_vs_detach (ptrace)
    custom.racy = LWP creation racing with PT_DETACH: the detached process can be left stopped or an LWP lost
    description = PT_DETACH at the first LWP_CREATE
    timeout = 135
tests/lwp/t_lwp:lwpinfo0 (ptrace)
    description = a = b
t_example:pass (other)
`
	got, err := parseKyuaList(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []listedCase{
		{Name: "tests/lwp/t_lwp:lwp_create_vs_detach", Program: "tests/lwp/t_lwp", Ident: "lwp_create_vs_detach", Suite: "ptrace", Props: map[string]string{
			"custom.racy": "LWP creation racing with PT_DETACH: the detached process can be left stopped or an LWP lost",
			"description": "PT_DETACH at the first LWP_CREATE", "timeout": "135"}},
		{Name: "tests/lwp/t_lwp:lwpinfo0", Program: "tests/lwp/t_lwp", Ident: "lwpinfo0", Suite: "ptrace", Props: map[string]string{"description": "a = b"}},
		{Name: "t_example:pass", Program: "t_example", Ident: "pass", Suite: "other", Props: map[string]string{}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("parseKyuaList (-want +got):\n%s", d)
	}
	for _, bad := range []string{"    orphan = 1\n", "no colon here\n"} {
		if _, err := parseKyuaList(bad); err == nil {
			t.Errorf("parseKyuaList(%q): no error", bad)
		}
	}
}

// junitSample is kyua 0.14's report-junit for one case of each result
// (shortened: the metadata and timing sections are cut).
const junitSample = `<?xml version="1.0" encoding="iso-8859-1"?>
<testsuite>
<properties>
<property name="cwd" value="/work/main"/>
</properties>
<testcase classname="tests.fork.t_fork" name="fork1" time="0.024">
<system-out>=== RUN   TestFork
--- PASS: TestFork (0.02s)
PASS
</system-out>
<system-err>Test case metadata
------------------

timeout = 45
</system-err>
</testcase>
<testcase classname="tests.fork.t_fork" name="fork_wait_wait6" time="0.009">
<skipped/>
<system-out>    fork_test.go:96: Linux has no wait6(2) (a NetBSD/FreeBSD system call)
</system-out>
<system-err>Skipped result details
----------------------

Linux has no wait6(2) (a NetBSD/FreeBSD system call)

Test case metadata
------------------
</system-err>
</testcase>
<testcase classname="tests.siginfo.t_siginfo" name="syscall_detach_on_sce" time="1.135">
<error message="Empty test result or no new line"/>
<system-out>=== RUN   TestSyscallOnSCE&#1;
</system-out>
<system-err>Test case metadata
</system-err>
</testcase>
<testcase classname="tests.lwp.t_lwp" name="lwp_create_vs_detach" time="20.630">
<failure message="detached process not run to its exit in 3/1000 runs (first: tracee &quot;bursts&quot;: got Killed(SIGKILL, core false)@11483)"/>
<system-out>x` + "\x02" + `y ünïcode →
</system-out>
<system-err>Test case metadata
</system-err>
</testcase>
<testcase classname="t_example" name="known_bug" time="0.005">
<system-out>=== RUN   TestKnownBug
</system-out>
<system-err>Expected failure result details
-------------------------------

PR kern/12345: demo: tracee lost

Test case metadata
------------------
</system-err>
</testcase>
</testsuite>
`

func TestParseJUnit(t *testing.T) {
	classOf := map[string]string{}
	for _, p := range []string{"tests/fork/t_fork", "tests/siginfo/t_siginfo", "tests/lwp/t_lwp", "t_example"} {
		classOf[p] = junitClass(p)
	}
	got, err := parseJUnit([]byte(junitSample), classOf)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Name, Area, Result, Reason string }
	var rows []row
	for _, r := range got {
		rows = append(rows, row{r.Name, r.Area, r.Result, r.Reason})
	}
	want := []row{
		{"tests/fork/t_fork:fork1", "fork", atf.Passed, ""},
		{"tests/fork/t_fork:fork_wait_wait6", "fork", atf.Skipped, "Linux has no wait6(2) (a NetBSD/FreeBSD system call)"},
		{"tests/siginfo/t_siginfo:syscall_detach_on_sce", "siginfo", atf.Broken, "Empty test result or no new line"},
		{"tests/lwp/t_lwp:lwp_create_vs_detach", "lwp", atf.Failed, `detached process not run to its exit in 3/1000 runs (first: tracee "bursts": got Killed(SIGKILL, core false)@11483)`},
		{"t_example:known_bug", "t_example", atf.XFail, "PR kern/12345: demo: tracee lost"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("parseJUnit (-want +got):\n%s", d)
	}
	if got[3].Stdout != "x\uFFFDy ünïcode →\n" || got[2].Stdout != "=== RUN   TestSyscallOnSCE\uFFFD\n" {
		t.Errorf("stdout with control characters: %q, %q", got[3].Stdout, got[2].Stdout)
	}
	if got[1].Duration != 0.009 {
		t.Errorf("duration %v", got[1].Duration)
	}
	if _, err := parseJUnit([]byte("<testsuite><testcase"), classOf); err == nil {
		t.Error("truncated JUnit: no error")
	}
}

func TestRacyCases(t *testing.T) {
	listed := []listedCase{
		{Name: "p:declared", Props: map[string]string{"custom.racy": "race"}},
		{Name: "p:plain", Props: map[string]string{}},
		{Name: "p:at_run_time", Props: map[string]string{}},
		{Name: "p:declared_failed", Props: map[string]string{"custom.racy": "race"}},
	}
	tree := []CaseResult{
		{Name: "p:declared", Result: atf.Skipped, Reason: "racy: set racy=true to run: race"},
		{Name: "p:plain", Result: atf.Skipped, Reason: "Linux has no wait6(2)"},
		{Name: "p:at_run_time", Result: atf.Skipped, Reason: "racy: set racy=true to run: PT_KILL race; NetBSD 8.99.25 lacks the fix"},
		{Name: "p:declared_failed", Result: atf.Failed, Reason: "config variable racy_repeat=\"0\": out of range"},
	}
	names, found := racyCases(listed, tree)
	if d := cmp.Diff([]string{"p:declared", "p:at_run_time", "p:declared_failed"}, names); d != "" {
		t.Errorf("racy cases (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]string{"p:declared": "listing, skip reason", "p:at_run_time": "skip reason", "p:declared_failed": "listing"}, found); d != "" {
		t.Errorf("found (-want +got):\n%s", d)
	}
}

func TestSummary(t *testing.T) {
	tree := &Phase{Name: "tree", What: "every case", Cases: 6, Seconds: 30, results: []CaseResult{
		{Name: "tests/fork/t_fork:fork1", Area: "fork", Ident: "fork1", Result: atf.Passed},
		{Name: "tests/fork/t_fork:fork_wait_wait6", Area: "fork", Ident: "fork_wait_wait6", Result: atf.Skipped, Reason: "Linux has no wait6(2)"},
		{Name: "tests/fork/t_fork:fork_wait_wait4", Area: "fork", Ident: "fork_wait_wait4", Result: atf.Passed},
		{Name: "tests/siginfo/t_siginfo:syscall_detach_on_sce", Area: "siginfo", Result: atf.Broken, Reason: "Empty test result | or no new line"},
		{Name: "tests/siginfo/t_siginfo:xf", Area: "siginfo", Result: atf.XFail, Reason: "kernel bug"},
		{Name: "tests/lwp/t_lwp:lwp_exit_vs_wait", Area: "lwp", Result: atf.Skipped, Reason: "racy: set racy=true to run: x"},
	}}
	racy := &Phase{Name: "racy", Vars: []string{"test_suites.ptrace.racy=true"}, Cases: 1, Seconds: 75, results: []CaseResult{
		{Name: "tests/lwp/t_lwp:lwp_exit_vs_wait", Area: "lwp", Result: atf.Failed, Reason: "lost LWP_EXIT in 7/200 runs (first: x)"},
	}}
	s := &Summary{Phases: []*Phase{tree, racy}, Seconds: 110, Host: Host{Uname: "Linux 6.1 #1 x86_64", CPU: "cpu", CPUs: 2}}
	s.WaitFlavours = waitFlavours(tree.results)
	matrix := &Phase{Name: "matrix", What: "every case under each wait flavour", Cases: 3, Seconds: 20, results: []CaseResult{
		{Name: "matrix/fork/t_fork_wait:fork1", Program: "matrix/fork/t_fork_wait", Area: "fork", Ident: "fork1", Result: atf.Passed},
		{Name: "matrix/fork/t_fork_wait:fork2", Program: "matrix/fork/t_fork_wait", Area: "fork", Ident: "fork2", Result: atf.Skipped, Reason: "needs a wait flavour with a pid (TWAIT_HAVE_PID): wait(2) has none"},
		{Name: "matrix/fork/t_fork_wait6:fork1", Program: "matrix/fork/t_fork_wait6", Area: "fork", Ident: "fork1", Result: atf.Skipped, Reason: "Linux has no wait6(2)"},
	}}
	s.Phases = []*Phase{tree, matrix, racy}
	s.WaitMatrix = countByFlavour(matrix.results)
	s.WaitNote = waitNote(s.WaitMatrix, s.WaitFlavours)
	s.Racy = []RacyRate{measureRacy(racy.results[0], 200)}
	s.Racy[0].Found = "skip reason"
	s.finish()

	if s.Verdict != "failed" {
		t.Errorf("verdict %q, want failed", s.Verdict)
	}
	wantFailing := []Failing{
		{"tree", "tests/siginfo/t_siginfo:syscall_detach_on_sce", atf.Broken, "Empty test result | or no new line"},
		{"racy", "tests/lwp/t_lwp:lwp_exit_vs_wait", atf.Failed, "lost LWP_EXIT in 7/200 runs (first: x)"},
	}
	if d := cmp.Diff(wantFailing, s.Failing); d != "" {
		t.Errorf("failing (-want +got):\n%s", d)
	}
	wantAreas := []AreaCounts{
		{"fork", Counts{Passed: 2, Skipped: 1, Total: 3}},
		{"siginfo", Counts{XFail: 1, Broken: 1, Total: 2}},
		{"lwp", Counts{Skipped: 1, Total: 1}},
	}
	if d := cmp.Diff(wantAreas, tree.Areas); d != "" {
		t.Errorf("areas (-want +got):\n%s", d)
	}
	if d := cmp.Diff(Counts{Passed: 2, Skipped: 2, XFail: 1, Broken: 1, Total: 6}, tree.Totals); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if got := []string{tree.NonPass[0].Result, tree.NonPass[1].Result, tree.NonPass[2].Result}; !cmp.Equal(got, []string{atf.Broken, atf.XFail, atf.Skipped}) {
		t.Errorf("non-passes in order %v", got)
	}
	// In the tracer's order: wait4 before wait6.
	if len(s.WaitFlavours) != 2 || s.WaitFlavours[1].Flavour != "wait6" || s.WaitFlavours[1].Base != "fork" {
		t.Errorf("wait flavours %+v", s.WaitFlavours)
	}

	var md bytes.Buffer
	if err := s.writeMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**Verdict: FAILED** — 2 cases failed or broke",
		"- `tests/siginfo/t_siginfo:syscall_detach_on_sce` (tree): **broken**: Empty test result \\| or no new line",
		"| fork | 2 | 0 | 1 | 0 | 0 | 3 |",
		"| **all** | 2 | 0 | 2 | 1 | 1 | 6 |",
		"| `tests/lwp/t_lwp:lwp_exit_vs_wait` | skip reason | failed | 7/200 | 3.5% | 1.71% – 7.05% |",
		"| 2 matrix | every case under each wait flavour | default (`--config=none`) | 3 | 20.0 s |",
		"3 cases: every case under 2 wait flavours, counted per flavour under Wait flavours; the tree's 2 <case>_wait_<flavour> cases ran in phase 1.",
		"| wait | 1 | 0 | 1 | 0 | 0 | 2 |",
		"| wait6 | 0 | 0 | 1 | 0 | 0 | 1 |",
		"| `tests/fork/t_fork:fork_wait_wait6` | wait6 | skipped | Linux has no wait6(2) |",
		"wall time | tree 30.0 s, matrix 20.0 s, racy 75 s (1m15s); total 110 s (1m50s) |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("summary.md lacks %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := s.writeJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Verdict != "failed" || len(back.Failing) != 2 || back.Racy[0].Failures != 7 || back.Phases[0].Areas[0].Passed != 2 {
		t.Errorf("summary.json round trip: %+v", back)
	}

	// Skips and expected failures alone pass.
	ok := &Summary{Phases: []*Phase{{Name: "tree", results: tree.results[:3]}}}
	ok.finish()
	if ok.Verdict != "passed" || len(ok.Failing) != 0 {
		t.Errorf("verdict %q, failing %v: want passed", ok.Verdict, ok.Failing)
	}
}

func TestAreaOf(t *testing.T) {
	for in, want := range map[string]string{"tests/fork/t_fork": "fork", "t_example": "t_example", "a/b/c/t_x": "c"} {
		if got := areaOf(in); got != want {
			t.Errorf("areaOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCPUModel(t *testing.T) {
	x86 := "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: other\n"
	arm := "processor\t: 0\nBogoMIPS\t: 50.00\nCPU part\t: 0xd0c\n\nHardware\t: BCM2835\n"
	for in, want := range map[string]string{x86: "Intel(R) Xeon(R) CPU @ 2.20GHz", arm: "BCM2835", "": ""} {
		if got := cpuModel(in); got != want {
			t.Errorf("cpuModel = %q, want %q", got, want)
		}
	}
}

func TestParseArgs(t *testing.T) {
	c, err := parseArgs([]string{"-o", "x", "-repeat", "7", "tests/lwp/t_lwp"}, io.Discard)
	if err != nil || c.out != "x" || c.repeat != 7 || !cmp.Equal(c.filters, []string{"tests/lwp/t_lwp"}) {
		t.Errorf("parseArgs: %+v, %v", c, err)
	}
	if c, _ := parseArgs(nil, io.Discard); c.repeat != defaultRepeat || c.out != ".out/qualify" || c.kyuafile != "Kyuafile" {
		t.Errorf("defaults: %+v", c)
	}
	for _, bad := range [][]string{
		{"-repeat", "0"}, {"-repeat", "1000001"}, {"-repeat", "x"}, {"-nope"}, {"-o", ""}, {"t_x", "-o", "y"},
	} {
		if _, err := parseArgs(bad, io.Discard); err == nil {
			t.Errorf("parseArgs(%q): no error", bad)
		}
	}
	if _, err := parseArgs([]string{"-h"}, io.Discard); err == nil || !isHelp(err) {
		t.Errorf("-h: %v", err)
	}
}

func isHelp(err error) bool { return err != nil && strings.Contains(err.Error(), flag.ErrHelp.Error()) }

// The tree's filters name the matrix's programs of their areas; the rest
// are left out of the matrix.
func TestMatrixFilters(t *testing.T) {
	out, left := matrixFiltersFor("Kyuafile", "tests/Kyuafile.matrix",
		[]string{"tests/fork/t_fork:fork2", "tests/lwp", "t_example:pass", "tests/fork/other", "tests"})
	want := []string{}
	for _, f := range tracer.FlavourNames {
		want = append(want, "matrix/fork/t_fork_"+f+":fork2")
	}
	want = append(want, "matrix/lwp", "matrix")
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("matrix filters (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"t_example:pass", "tests/fork/other"}, left); d != "" {
		t.Errorf("left out (-want +got):\n%s", d)
	}
}
