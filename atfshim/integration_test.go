package atfshim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// wantResults is the result of every case of internal/example, as the
// result file line (without its newline) and as kyua reports it, when run
// with answer=42 and without racy. "@name" stands for the line of the
// example's source marked "// @name" (see exampleLine).
var wantResults = []struct{ ident, result string }{
	{"pass", "passed"},
	{"root_only", "passed"}, // direct runs do not check require.*; kyua does
	{"fail_multiline", "failed: first line [reason continued on stderr]"}, // "second line" goes to stderr
	{"skip", "skipped: not today"},
	{"panic", "failed: panic: boom"},
	{"known_bug", "expected_failure: PR kern/12345: demo: tracee lost"},
	{"known_bug_non_fatal", "expected_failure: PR kern/2: nonfatal: first"},
	{"known_bug_fixed", "failed: expected failure did not happen: PR kern/3: fixed"},
	{"racy", "skipped: racy: set racy=true to run: PR kern/4 wakeup race"},
	{"cleanup", "passed"},
	{"timeout", "failed: timed out after 1s"},
	{"hang", "failed: body still running after its 1s timeout: blocked in sleep at atfshim/internal/example/example_test.go:@hang (goroutine dump in the log)"},
	{"stuck", "failed: body still running after its 1s timeout: blocked in chan receive at atfshim/internal/example/example_test.go:@stuck (goroutine dump in the log)"},
	{"cleanup_hang", "failed: cleanup still running after its 1s timeout: blocked in select (no cases) at atfshim/internal/example/example_test.go:@cleanuphang (goroutine dump in the log)"},
	{"goexit", "failed: the body called runtime.Goexit without failing or skipping (FailNow of another test?)"},
	{"config", "passed"},
	{"tb", "failed: via TB [seed 7]"},
	{"cleanup_panic", "failed: panic in cleanup: cleanup boom"},
	{"never_runs", "failed: Go test TestNeverRuns did not call atfshim.Run"},
	{"row_pass", "passed"},
	{"row_fail", "failed: row failed"},
}

const wantListing = `Content-Type: application/X-atf-tp; version="1"

ident: pass
descr: passes
has.cleanup: false
timeout: 20

ident: root_only
descr: requires root
has.cleanup: false
require.user: root
timeout: 75

ident: fail_multiline
descr: fails with a two-line message
has.cleanup: false
timeout: 75

ident: skip
has.cleanup: false
timeout: 75

ident: panic
descr: panics
has.cleanup: false
timeout: 75

ident: known_bug
has.cleanup: false
timeout: 75

ident: known_bug_non_fatal
has.cleanup: false
timeout: 75

ident: known_bug_fixed
has.cleanup: false
timeout: 75

ident: racy
has.cleanup: false
timeout: 75
X-racy: PR kern/4 wakeup race

ident: cleanup
descr: cleanup finds the body's state file
has.cleanup: true
timeout: 75

ident: timeout
descr: unblocked by its OnTimeout hooks
has.cleanup: false
timeout: 16

ident: hang
has.cleanup: false
timeout: 16

ident: stuck
descr: blocked until its Go test ends; its OnTimeout hook does not help
has.cleanup: false
timeout: 16

ident: cleanup_hang
descr: its body returns, a cleanup of its own does not
has.cleanup: false
timeout: 16

ident: goexit
has.cleanup: false
timeout: 75

ident: config
has.cleanup: false
timeout: 75

ident: tb
descr: fails through testing.TB
has.cleanup: false
timeout: 75

ident: cleanup_panic
has.cleanup: false
timeout: 75

ident: never_runs
descr: forgets atfshim.Run
has.cleanup: false
timeout: 75

ident: row_pass
descr: row row_pass
has.cleanup: false
timeout: 75

ident: row_fail
descr: row row_fail
has.cleanup: false
timeout: 75
`

// configArgs are the -v arguments every ATF run gets, as kyua would pass
// test_suites.ptrace.{answer,greeting}.
var configArgs = []string{"-vanswer=42", "-vgreeting=a b=c"}

// TestExampleProgram builds internal/example (and a variant with broken
// declarations) with `go test -c` and checks it as an ATF test program,
// directly and under the real kyua, and as a go test binary.
func TestExampleProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs test binaries")
	}
	t.Parallel() // with the other program builds: they mostly wait
	dir := t.TempDir()
	prog := filepath.Join(dir, "t_example")
	bad := filepath.Join(dir, "t_bad")
	var wg sync.WaitGroup
	var errs [2]error
	for i, b := range []struct{ out, tags string }{
		{prog, "atfshim_example"},
		{bad, "atfshim_example,atfshim_example_bad"},
	} {
		wg.Go(func() {
			cmd := exec.Command("go", "test", "-c", "-tags", b.tags, "-o", b.out, "./internal/example")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("go test -c -tags %s: %v\n%s", b.tags, err, out)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}

	// The slow runs, which last until the watchdog gives up on a stuck
	// case (1 s timeout + 10 s), start at once in the background: as
	// parallel subtests they would take turns under -test.parallel.
	slow := map[string]*bgRun{}
	for _, id := range []string{"hang", "stuck", "cleanup_hang"} {
		wd := t.TempDir()
		slow[id] = startProg(wd, nil, prog, append(append([]string{}, configArgs...), "-r"+filepath.Join(wd, "result"), id)...)
	}
	fullRun := startProg(t.TempDir(), []string{"PTRACE_HANG=false", "PTRACE_ANSWER=42"}, prog,
		append(goTestFlags, "-test.v=true", "-test.count=1")...)
	cleanupHangRun := startProg(t.TempDir(), []string{"PTRACE_ANSWER=42"}, prog,
		append(goTestFlags, "-test.v=true", "-test.count=1", "-test.run=^TestCleanupHang$")...)
	kyuaRun := startKyua(dir)

	t.Run("listing", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{
			{"-l"},
			append(append([]string{}, configArgs...), "-l"),
			{"-v", "racy=true", "-l"},
		} {
			r := runProg(t, t.TempDir(), nil, prog, args...)
			if r.code != 0 || r.stderr != "" || r.stdout != wantListing {
				t.Errorf("%s: exit %d, stderr %q, stdout diff:\n%s", args, r.code, r.stderr, lineDiff(wantListing, r.stdout))
			}
		}
	})

	t.Run("bad_argv", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			args []string
			msg  string
		}{
			{nil, "Must provide a test case name"},
			{[]string{"nosuch"}, "Unknown test case `nosuch'"},
			{[]string{"-r", "RES", "nosuch:body"}, "Unknown test case `nosuch'"},
			{[]string{"-x", "pass"}, "Unknown option -x."},
			{[]string{"-vfoo", "pass"}, "-v requires an argument of the form var=value"},
			{[]string{"-r/nonexistent/dir/result", "pass"}, "cannot create results file"},
			{[]string{"-r", "RES", "pass:cleanup"}, "has no cleanup routine"},
			{[]string{"-r", "RES", "pass:bogus"}, "Invalid test case part `bogus'"},
			{[]string{"-l", "pass"}, "Cannot provide test case names with -l"},
			{[]string{"-r", "RES", "pass", "skip"}, "Cannot provide more than one test case name"},
			{[]string{"pass", "-r"}, "Cannot provide more than one test case name"},
			{[]string{"-r"}, "Option -r requires an argument."},
			{[]string{"-test.run", "^TestPass$"}, "Unknown option -t."},
			{[]string{"cleanup:cleanup"}, "cleanup of test case `cleanup' failed: state file missing:<<NEWLINE>>"},
		} {
			wd := t.TempDir()
			res := filepath.Join(wd, "result")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "RES", res)
			}
			r := runProg(t, wd, nil, prog, args...)
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			ok := strings.HasPrefix(lines[0], "t_example: ERROR: ") && strings.Contains(lines[0], tt.msg)
			if r.code != 1 || !ok || len(lines) > 2 {
				t.Errorf("%q: exit %d, stderr %q; want exit 1 and %q", args, r.code, r.stderr, tt.msg)
			}
			if strings.Contains(r.stdout, "=== RUN") || strings.Contains(r.stdout, "passed") {
				t.Errorf("%q: ran a body or reported passed: %q", args, r.stdout)
			}
			if b, err := os.ReadFile(res); err == nil && len(b) > 0 {
				t.Errorf("%q: result file written: %q", args, b)
			}
		}
	})

	t.Run("bad_declarations", func(t *testing.T) {
		t.Parallel()
		// bad_test.go initializes before example_test.go.
		want := `t_bad: ERROR: atfshim.Declare(TestSkip): RequireUser "nobody" is not "", "root" or "unprivileged" (and 1 more declaration errors)` + "\n"
		for _, args := range [][]string{{"-l"}, {"-r", "/dev/null", "pass"}, {"-test.run=^$"}} {
			r := runProg(t, t.TempDir(), nil, bad, args...)
			if r.code != 1 || r.stdout != "" || r.stderr != want {
				t.Errorf("t_bad %s: exit %d, stdout %q, stderr %q; want exit 1, stderr %q", args, r.code, r.stdout, r.stderr, want)
			}
		}
	})

	t.Run("direct", func(t *testing.T) {
		t.Parallel()
		for _, w := range wantResults {
			t.Run(w.ident, func(t *testing.T) {
				t.Parallel()
				var r progResult
				wd := t.TempDir()
				if b := slow[w.ident]; b != nil {
					r, wd = b.wait(t), b.wd
				} else {
					r = runProg(t, wd, nil, prog, append(append([]string{}, configArgs...), "-r"+filepath.Join(wd, "result"), w.ident)...)
				}
				checkResultFile(t, filepath.Join(wd, "result"), r, expandLines(t, w.result))
				if w.ident != "stuck" {
					return
				}
				// The dump of the body's goroutine, and the hook ran.
				for _, s := range []string{"goroutine dump of the body of TestStuck (goroutine ", "example.TestStuck.func1("} {
					if !strings.Contains(r.stderr, s) {
						t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
					}
				}
				if want := expandLines(t, "example_test.go:@hook: OnTimeout hook ran"); !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			})
		}
	})

	t.Run("direct_forms", func(t *testing.T) {
		t.Parallel()
		wd := t.TempDir()
		res := filepath.Join(wd, "result")
		// Separate -r argument and an explicit :body part.
		r := runProg(t, wd, nil, prog, "-r", res, "-v", "racy=true", "racy:body")
		checkResultFile(t, res, r, "passed")
		// Without -r the result is the last line on stdout.
		r = runProg(t, wd, nil, prog, "skip")
		if !strings.HasSuffix(r.stdout, "\nskipped: not today\n") || r.code != 0 {
			t.Errorf("skip without -r: exit %d, stdout %q", r.code, r.stdout)
		}
		// Body and cleanup share the work directory, and nothing else.
		r = runProg(t, wd, nil, prog, "-r"+res, "cleanup")
		checkResultFile(t, res, r, "passed")
		if r = runProg(t, wd, nil, prog, "cleanup:cleanup"); r.code != 0 || r.stderr != "" {
			t.Errorf("cleanup:cleanup: exit %d, stderr %q", r.code, r.stderr)
		}
	})

	t.Run("go_test_mode", func(t *testing.T) {
		t.Parallel()
		goTestModeChecks(t, prog, fullRun, cleanupHangRun)
	})

	t.Run("bad_config", func(t *testing.T) {
		t.Parallel()
		badConfigChecks(t, prog)
	})

	t.Run("kyua", func(t *testing.T) {
		t.Parallel()
		kyuaChecks(t, dir, kyuaRun)
	})
}

// goTestFlags are the flags go test always passes.
var goTestFlags = []string{"-test.paniconexit0", "-test.timeout=1m0s"}

func goTestModeChecks(t *testing.T, prog string, fullRun, cleanupHangRun *bgRun) {
	goFlags := goTestFlags
	r := runProg(t, t.TempDir(), nil, prog, "-test.list=.*")
	if r.code != 0 || !strings.Contains(r.stdout, "TestPass\n") {
		t.Errorf("-test.list=.*: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runProg(t, t.TempDir(), nil, prog, append(goFlags, "-test.run=^$")...)
	if r.code != 0 {
		t.Errorf("-test.run=^$: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// A full run: every Go test runs once; go test's view of each case.
	r = fullRun.wait(t)
	want := map[string]string{
		"TestPass": "PASS", "TestRootOnly": "PASS", "TestFailMultiline": "FAIL", "TestSkip": "SKIP",
		"TestPanic": "FAIL", "TestKnownBug": "SKIP", "TestKnownBugNonFatal": "SKIP",
		"TestKnownBugFixed": "FAIL", "TestRacy": "SKIP", "TestCleanup": "PASS", "TestTable": "FAIL",
		"TestTable/row_pass": "PASS", "TestTable/row_fail": "FAIL", "TestTimeout": "FAIL",
		"TestHang": "SKIP", "TestStuck": "FAIL", "TestCleanupHang": "PASS", "TestGoexit": "FAIL", "TestConfig": "PASS", "TestTB": "FAIL", "TestCleanupPanic": "FAIL",
		"TestNeverRuns": "PASS",
	}
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`--- (PASS|FAIL|SKIP): (\S+)`).FindAllStringSubmatch(r.stdout, -1) {
		got[m[2]] = m[1]
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("go test outcomes:\n got %v\nwant %v\nstdout:\n%s", got, want, r.stdout)
	}
	for _, s := range []string{
		"expected failure: PR kern/12345: demo: tracee lost",
		"racy: set racy=true to run: PR kern/4 wakeup race",
	} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("full go test run output lacks %q", s)
		}
	}
	if r.code != 1 || !strings.Contains(r.stderr, "atfshim: declared case never_runs (TestNeverRuns) never ran\n") {
		t.Errorf("full run: exit %d, stderr %q; want exit 1 and the never-ran report", r.code, r.stderr)
	}

	stuckChecks(t, r)
	attributionChecks(t, r.stdout)

	// A cleanup that hangs keeps the Go test from ending: the program
	// prints the failure and the reason, and exits 1.
	r = cleanupHangRun.wait(t)
	for _, s := range []string{
		"--- FAIL: TestCleanupHang\n    cleanup still running after its 1s timeout: blocked in select (no cases) at atfshim/internal/example/example_test.go:@cleanuphang (goroutine dump in the log)\n",
		"goroutine dump of the cleanup of TestCleanupHang (goroutine ",
		"atfshim: exit status 1: the Go test TestCleanupHang cannot end, so no later test runs\n",
	} {
		if s = expandLines(t, s); r.code != 1 || !strings.Contains(r.stderr, s) {
			t.Errorf("TestCleanupHang under go test: exit %d, stderr lacks %q:\n%s", r.code, s, r.stderr)
		}
	}
}

// stuckChecks looks at the stuck case of a full go test run: it fails at
// its declared timeout (and the grace for the body to return) with the
// line it is blocked at, its dump and hook output in its log, and the
// program goes on (the outcomes checked above include the later cases).
func stuckChecks(t *testing.T, r progResult) {
	t.Helper()
	m := regexp.MustCompile(`--- FAIL: TestStuck \(([0-9.]+)s\)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no FAIL line for TestStuck:\n%s", r.stdout)
	}
	if d, _ := time.ParseDuration(m[1] + "s"); d < 11*time.Second || d > 20*time.Second {
		t.Errorf("TestStuck took %v, want its 1s timeout plus the 10s grace", d)
	}
	for _, s := range []string{
		"example_test.go:@stuckrun: timed out after 1s",
		"example_test.go:@hook: OnTimeout hook ran",
		"example_test.go:@stuckrun: body still running after its 1s timeout: blocked in chan receive at atfshim/internal/example/example_test.go:@stuck (goroutine dump in the log)\n",
		"example_test.go:@stuckrun: goroutine dump of the body of TestStuck (goroutine ",
		"example.TestStuck.func1(",
		// t.Context ends with the Go test, before its cleanups: the body
		// can still report.
		"example_test.go:@woke: woke up when its Go test ended",
	} {
		if s = expandLines(t, s); !strings.Contains(r.stdout, s) {
			t.Errorf("full go test run output lacks %q", s)
		}
	}
}

// attributionChecks: every log line of the example's go test output names
// the example's own file, never atfshim's, and the lines below name the
// lines of their calls (a body's t.Logf and t.Errorf, a helper's
// failure, a panic, the racy skip, the watchdog's and the recorder's own
// failures at the case's atfshim.Run).
func attributionChecks(t *testing.T, stdout string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`(?m)^\s+(\S+\.go):\d+: `).FindAllStringSubmatch(stdout, -1) {
		if m[1] != "example_test.go" {
			t.Errorf("log line attributed to %s, not the test's file: %q", m[1], m[0])
		}
	}
	for _, s := range []string{
		"example_test.go:@logf: ident pass\n",
		"example_test.go:@errorf: first line\n",
		"example_test.go:@via: via TB [seed 7]\n",
		"example_test.go:@panic: panic: boom\n",
		"example_test.go:@cleanuppanic: panic in cleanup: cleanup boom\n",
		"example_test.go:@racy: racy: set racy=true to run: PR kern/4 wakeup race\n",
		"example_test.go:@timeout: timed out after 1s\n",
		"example_test.go:@fixed: expected failure did not happen: PR kern/3: fixed\n",
	} {
		if s = expandLines(t, s); !strings.Contains(stdout, s) {
			t.Errorf("go test output lacks %q", s)
		}
	}
}

// badConfigChecks: a declared variable (answer, 1..100) or racy set to a
// bad value fails every case that calls atfshim.Run, the skipped, racy,
// expected-failure and hanging ones included, with one line naming the
// variable and its values; in ATF mode (-v) and under go test (PTRACE_*).
func badConfigChecks(t *testing.T, prog string) {
	bad := []struct{ v, reason string }{
		{"answer=0", `config variable answer="0": out of range: want 1..100`},
		{"answer=-5", `config variable answer="-5": out of range: want 1..100`},
		{"answer=x", `config variable answer="x": not an integer: want 1..100`},
		{"racy=maybe", `config variable racy="maybe": not a boolean: want true/false, yes/no or 1/0`},
	}
	cases := len(wantResults) - 1 // never_runs does not call atfshim.Run
	t.Run("atf", func(t *testing.T) {
		for _, b := range bad {
			for _, w := range wantResults {
				if w.ident == "never_runs" {
					continue
				}
				t.Run(b.v+"/"+w.ident, func(t *testing.T) {
					wd := t.TempDir()
					res := filepath.Join(wd, "result")
					// The bad value is the last -v: it overrides configArgs' answer=42.
					r := runProg(t, wd, nil, prog, append(append([]string{}, configArgs...), "-v"+b.v, "-r"+res, w.ident)...)
					checkResultFile(t, res, r, "failed: "+b.reason)
				})
			}
		}
	})
	t.Run("go_test", func(t *testing.T) {
		for _, b := range bad {
			t.Run(b.v, func(t *testing.T) {
				name, val, _ := strings.Cut(b.v, "=")
				env := []string{"PTRACE_" + strings.ToUpper(name) + "=" + val}
				r := runProg(t, t.TempDir(), env, prog, "-test.v=true", "-test.count=1", "-test.timeout=1m0s")
				for _, m := range regexp.MustCompile(`--- (PASS|FAIL|SKIP): (\S+)`).FindAllStringSubmatch(r.stdout, -1) {
					if m[1] != "FAIL" && m[2] != "TestNeverRuns" {
						t.Errorf("%s: %s %s", env, m[1], m[2])
					}
				}
				if got, want := strings.Count(r.stdout, ": "+b.reason+"\n"), cases; got != want || r.code != 1 {
					t.Errorf("%s: exit %d, %d cases failed with %q, want %d:\n%s", env, r.code, got, b.reason, want, r.stdout)
				}
			})
		}
	})
}

// startKyua starts `kyua test` of the example in dir, with the config
// the direct runs get; nil without kyua.
func startKyua(dir string) *bgRun {
	kyua, err := exec.LookPath("kyua")
	if err != nil {
		return nil
	}
	kf := filepath.Join(dir, "Kyuafile")
	if err := os.WriteFile(kf, []byte("syntax(2)\ntest_suite('ptrace')\natf_test_program{name='t_example'}\n"), 0o644); err != nil {
		return &bgRun{done: closed(), err: err}
	}
	// Parallelism keeps the run at the hang cases' 11 s.
	test := append(kyuaGlobal(dir), "-v", "parallelism=8",
		"-v", "test_suites.ptrace.answer=42", "-v", "test_suites.ptrace.greeting=a b=c",
		"test", "--kyuafile="+kf, "--results-file="+filepath.Join(dir, "results.db"))
	return startProg(dir, nil, kyua, test...)
}

func kyuaGlobal(dir string) []string {
	return []string{"--config=none", "--logfile=" + filepath.Join(dir, "kyua.log")}
}

func closed() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// kyuaChecks compares kyua's verdict on every case of the kyuaRun.
func kyuaChecks(t *testing.T, dir string, kyuaRun *bgRun) {
	if kyuaRun == nil {
		t.Skip("kyua not installed (apt-get install -y kyua)")
	}
	kyua, _ := exec.LookPath("kyua")
	db := filepath.Join(dir, "results.db")
	global := kyuaGlobal(dir)
	r := kyuaRun.wait(t)
	if r.code != 1 { // 1: some cases fail on purpose
		t.Fatalf("kyua test: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	report := append(append([]string{}, global...), "report", "--results-file="+db,
		"--results-filter=passed,skipped,xfail,broken,failed")
	r = runProg(t, dir, nil, kyua, report...)
	got := map[string]string{}
	line := regexp.MustCompile(`(?m)^t_example:(\S+)  ->  (.*)  \[[0-9.]+s\]$`)
	for _, m := range line.FindAllStringSubmatch(r.stdout, -1) {
		got[m[1]] = m[2]
	}
	for _, w := range wantResults {
		want := w.result
		if w.ident == "root_only" && os.Geteuid() != 0 {
			want = "skipped: Requires root privileges"
		}
		want = expandLines(t, want)
		if got[w.ident] != want {
			t.Errorf("kyua: %s -> %q, want %q", w.ident, got[w.ident], want)
		}
		delete(got, w.ident)
	}
	if len(got) > 0 || !strings.Contains(r.stdout, " 0 broken") {
		t.Errorf("kyua report has extra cases %v or broken ones:\n%s", got, r.stdout)
	}
}

func checkResultFile(t *testing.T, path string, r progResult, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || string(b) != want+"\n" {
		t.Errorf("result file %q (%v), want %q; exit %d, stderr %q", b, err, want+"\n", r.code, r.stderr)
	}
	wantCode := 0
	if strings.HasPrefix(want, "failed") {
		wantCode = 1
	}
	if r.code != wantCode {
		t.Errorf("exit %d, want %d (result %q); stderr %q", r.code, wantCode, want, r.stderr)
	}
}

type progResult struct {
	stdout, stderr string
	code           int
}

// runProg runs prog in wd with the environment stripped of the caller's
// PTRACE_* variables, plus env.
func runProg(t *testing.T, wd string, env []string, prog string, args ...string) progResult {
	t.Helper()
	r, err := execProg(wd, env, prog, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// bgRun is a runProg in the background.
type bgRun struct {
	wd   string
	done chan struct{}
	r    progResult
	err  error
}

func startProg(wd string, env []string, prog string, args ...string) *bgRun {
	b := &bgRun{wd: wd, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		b.r, b.err = execProg(wd, env, prog, args...)
	}()
	return b
}

func (b *bgRun) wait(t *testing.T) progResult {
	t.Helper()
	<-b.done
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.r
}

func execProg(wd string, env []string, prog string, args ...string) (progResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = wd
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PTRACE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return progResult{}, fmt.Errorf("running %s %q: %v", prog, args, err)
	}
	return progResult{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}, nil
}

// exampleLine is the line of the example's source that ends with the
// comment "// @name".
func exampleLine(t *testing.T, name string) int {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("internal", "example", "example_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasSuffix(l, "// @"+name) {
			if n != 0 {
				t.Fatalf("marker @%s on lines %d and %d", name, n, i+1)
			}
			n = i + 1
		}
	}
	if n == 0 {
		t.Fatalf("no line of the example ends with // @%s", name)
	}
	return n
}

// expandLines replaces every "@name" in s by exampleLine(name).
func expandLines(t *testing.T, s string) string {
	t.Helper()
	return regexp.MustCompile(`@\w+`).ReplaceAllStringFunc(s, func(m string) string {
		return fmt.Sprint(exampleLine(t, m[1:]))
	})
}

// lineDiff shows the first differing line of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, wl, gl)
		}
	}
	return "(identical)"
}
