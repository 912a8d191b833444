// Command mutation proves that the suite catches the kernel bugs it claims
// to: it builds the test programs with the mutation build tag, which makes
// the tracer inject one kernel-like bug at its boundary with the kernel
// (internal/ptrace/mutant_linux.go, named by $PTRACESUITE_MUTANT), and for
// each bug in its table runs the case that must catch it. A row holds when
// the case passes unmutated and, mutated, fails within the time bound with
// a reason that names the broken promise.
//
//	mutation [-rows REGEXP] [-max 5s] [-md FILE]
//	mutation -survey MUTANT [-j N]    every case of every program under one mutant
//	mutation -cover PKG,... [-mutants REGEXP] [-j N] [-md FILE]
//	                                  every case of the packages that passes here fails under some mutant
//
// It runs on Linux (the mutant file is Linux-only for now).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"ptracesuite/internal/atf"
)

const mutantEnv = "PTRACESUITE_MUTANT"

func main() {
	rows := flag.String("rows", "", "run only the rows whose mutant matches this regexp")
	max := flag.Duration("max", 5*time.Second, "a mutation must be caught within this time")
	md := flag.String("md", "", "also write the result table (markdown) to this file")
	survey := flag.String("survey", "", "run every case of every program under this mutant and list what fails")
	jobs := flag.Int("j", 8, "parallel cases for -survey and -cover")
	cover := flag.String("cover", "", "comma-separated test packages: every case that passes here must fail under one of the mutants")
	mutants := flag.String("mutants", "", "with -cover: also run the table's mutants matching this regexp (default: those the table names for the packages)")
	limit := flag.Duration("limit", 15*time.Second, "with -cover: the time limit of one run")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: mutation [-rows REGEXP] [-max D] [-md FILE] | -survey MUTANT [-j N] | -cover PKG,... [-mutants REGEXP] [-limit D] [-j N] [-md FILE]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		fail("unexpected argument %q", flag.Arg(0))
	}
	if *jobs < 1 {
		fail("-j %d: must be at least 1", *jobs)
	}
	if *max <= 0 {
		fail("-max %v: must be positive", *max)
	}
	if *limit <= 0 {
		fail("-limit %v: must be positive", *limit)
	}
	var pkgs []string
	if *cover != "" {
		for _, p := range strings.Split(*cover, ",") {
			p = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(p), "./"), "/")
			if _, err := os.Stat(filepath.Join(p, "Kyuafile")); err != nil {
				fail("-cover: %q is not a test area (no %s/Kyuafile)", p, p)
			}
			pkgs = append(pkgs, p)
		}
	}
	var mre *regexp.Regexp
	if *mutants != "" {
		if *cover == "" {
			fail("-mutants needs -cover")
		}
		var err error
		if mre, err = regexp.Compile(*mutants); err != nil {
			fail("-mutants: %v", err)
		}
	}
	var re *regexp.Regexp
	if *rows != "" {
		var err error
		if re, err = regexp.Compile(*rows); err != nil {
			fail("-rows: %v", err)
		}
	}
	dir, err := os.MkdirTemp("", "ptrace-mutation-")
	if err != nil {
		fail("%v", err)
	}
	workDir = dir
	defer os.RemoveAll(dir)
	// Interrupted (SIGINT, SIGTERM, SIGHUP): every running case's group is
	// killed through its context, no new case starts, and the run's
	// directory (builds, work directories) goes with it: nothing is left
	// in /tmp.
	var stop context.CancelFunc
	interrupted, stop = signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	go func() {
		<-interrupted.Done()
		time.Sleep(1500 * time.Millisecond) // the cases' groups killed, their Wait returned (WaitDelay 1 s)
		os.RemoveAll(dir)
		fmt.Fprintln(os.Stderr, "mutation: interrupted: every case killed, "+dir+" removed")
		os.Exit(130)
	}()
	var code int
	switch {
	case *cover != "":
		code = runCover(dir, pkgs, mre, *jobs, *limit, *md)
	case *survey != "":
		code = runSurvey(dir, *survey, *jobs)
	default:
		code = runTable(dir, re, *max, *md)
	}
	os.RemoveAll(dir)
	if interrupted.Err() != nil {
		fmt.Fprintln(os.Stderr, "mutation: interrupted: every case killed, "+dir+" removed")
		os.Exit(130)
	}
	os.Exit(code)
}

// workDir is the run's temporary directory, which fail removes too.
var workDir string

// interrupted ends when the run is interrupted; every case and build runs
// under it.
var interrupted = context.Background()

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mutation: "+format+"\n", args...)
	if workDir != "" {
		os.RemoveAll(workDir)
	}
	os.Exit(2)
}

// build compiles one package's test binary with the mutation tag.
func build(dir, pkg string) string {
	out := filepath.Join(dir, strings.ReplaceAll(pkg, "/", "_"))
	cmd := exec.CommandContext(interrupted, "go", "test", "-c", "-tags", "mutation", "-o", out, "./"+pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fail("building %s: %v", pkg, err)
	}
	return out
}

// buildListed builds one package's test binary with the mutation tag and
// returns it with its ATF case idents.
func buildListed(dir, pkg string) (string, []string) {
	prog := build(dir, pkg)
	out, err := exec.Command(prog, "-l").Output()
	if err != nil {
		fail("%s -l: %v", pkg, err)
	}
	cases, err := atf.ParseListing(string(out))
	if err != nil {
		fail("%s -l: %v", pkg, err)
	}
	var idents []string
	for _, c := range cases {
		idents = append(idents, c.Ident)
	}
	return prog, idents
}

// outcome is one run of one case.
type outcome struct {
	result atf.Result
	took   time.Duration
	log    string
}

// runCase runs an ATF case (or, for a Go test name "Test…", the Go test)
// with the mutant set ("" for none), as kyua would: own work directory,
// own TMPDIR, a hard time limit.
//
// vars are the configuration variables NAME=VALUE the case runs with:
// ATF -v NAME=VALUE, or PTRACE_<NAME> for a Go test (e.g. wait=waitid,
// one cell of the wait-flavour matrix).
func runCase(dir, prog, ident, mutant string, vars []string, limit time.Duration) outcome {
	work, err := os.MkdirTemp(dir, "work-")
	if err != nil {
		fail("%v", err)
	}
	defer os.RemoveAll(work)
	res := filepath.Join(work, "result")
	var args, env []string
	for _, kv := range vars {
		name, value, _ := strings.Cut(kv, "=")
		args = append(args, "-v", kv)
		env = append(env, "PTRACE_"+strings.ToUpper(name)+"="+value)
	}
	args = append(args, "-r", res, ident)
	goTest := strings.HasPrefix(ident, "Test")
	if goTest {
		args = []string{"-test.run=^" + ident + "$", "-test.count=1"}
	}
	ctx, cancel := context.WithTimeout(interrupted, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TMPDIR="+work, "HOME="+work, mutantEnv+"="+mutant)
	if goTest {
		cmd.Env = append(cmd.Env, env...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// As kyua does (§3, §6): the case runs in a process group of its own,
	// killed whole when the case ends, so a mutant that breaks the cleanup
	// leaves nothing running whatever the case did.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	start := time.Now()
	err = cmd.Run()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // our own group: the case's leftovers
	}
	o := outcome{took: time.Since(start), log: out.String()}
	var ee *exec.ExitError
	switch {
	case interrupted.Err() != nil:
		o.result = atf.Result{Category: atf.Broken, Reason: "interrupted"}
	case ctx.Err() != nil:
		o.result = atf.Result{Category: atf.Broken, Reason: fmt.Sprintf("still running after %v", limit)}
	case goTest && err == nil:
		o.result = atf.Result{Category: atf.Passed}
	case goTest:
		o.result = atf.Result{Category: atf.Failed, Reason: firstFailure(o.log)}
	case err != nil && !errors.As(err, &ee):
		fail("running %s %s: %v", prog, ident, err)
	default:
		b, rerr := os.ReadFile(res)
		if rerr != nil {
			o.result = atf.Result{Category: atf.Broken, Reason: "no result file"}
			break
		}
		raw := atf.ParseResultFile(string(b))
		o.result = atf.Result{Category: raw.Status, Reason: raw.Reason}
	}
	return o
}

// firstFailure is the error lines a failed Go test printed, in one line.
var goErr = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)$`)

func firstFailure(log string) string {
	var errs []string
	for _, l := range strings.Split(log, "\n") {
		if m := goErr.FindStringSubmatch(l); m != nil {
			errs = append(errs, m[1])
		}
	}
	if len(errs) == 0 {
		return "failed (no error line)"
	}
	return strings.Join(errs, "; ")
}

func runTable(dir string, re *regexp.Regexp, max time.Duration, md string) int {
	bins := map[string]string{}
	var todo []row
	for _, r := range table {
		if re == nil || re.MatchString(r.mutant) {
			todo = append(todo, r)
			if bins[r.pkg] == "" {
				bins[r.pkg] = build(dir, r.pkg)
			}
		}
	}
	if len(todo) == 0 {
		fail("-rows matches no mutant")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| mutation (the kernel bug injected) | case that caught it | its reason | time to fail |\n|---|---|---|---|\n")
	bad := 0
	for _, r := range todo {
		if interrupted.Err() != nil {
			return 130 // no verdicts for rows that never ran, no table
		}
		clean := runCase(dir, bins[r.pkg], r.ident, "", r.vars, 60*time.Second)
		mut := runCase(dir, bins[r.pkg], r.ident, r.mutant, r.vars, 60*time.Second)
		verdict := "ok"
		switch {
		case clean.result.Category != atf.Passed:
			verdict = fmt.Sprintf("case does not pass unmutated: %s: %s", clean.result.Category, clean.result.Reason)
		case mut.result.Category != atf.Failed:
			verdict = fmt.Sprintf("not caught: %s: %s", mut.result.Category, mut.result.Reason)
		case !r.want.MatchString(mut.result.Reason):
			verdict = fmt.Sprintf("caught, but the reason does not name it (want /%s/)", r.want)
		case mut.took > max:
			verdict = fmt.Sprintf("caught only after %v (bound %v)", mut.took.Round(time.Millisecond), max)
		}
		if verdict != "ok" {
			bad++
			fmt.Fprintf(os.Stderr, "FAIL %s: %s\n", r.mutant, verdict)
			if mut.log != "" {
				fmt.Fprintf(os.Stderr, "--- log of %s %s under %s:\n%s\n", r.pkg, r.ident, r.mutant, tail(mut.log, 40))
			}
		}
		ident := r.ident
		if len(r.vars) > 0 {
			ident += " (-v " + strings.Join(r.vars, " -v ") + ")"
		}
		fmt.Printf("%-26s %-6s %5.2fs  %s:%s  %s\n", r.mutant, map[bool]string{true: "caught", false: "FAIL"}[verdict == "ok"],
			mut.took.Seconds(), r.pkg, ident, mut.result.Reason)
		fmt.Fprintf(&b, "| `%s`: %s | %s:%s | %s | %.2f s |\n", r.mutant, r.bug, filepath.Base(r.pkg), ident,
			strings.ReplaceAll(mut.result.Reason, "|", `\|`), mut.took.Seconds())
	}
	if interrupted.Err() != nil {
		return 130
	}
	if md != "" {
		if err := os.WriteFile(md, []byte(b.String()), 0o644); err != nil {
			fail("%v", err)
		}
	}
	fmt.Printf("%d mutations, %d caught as required, %d not\n", len(todo), len(todo)-bad, bad)
	if bad > 0 {
		return 1
	}
	return 0
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// runSurvey runs every case of every area under one mutant, for finding
// which cases catch a bug.
func runSurvey(dir, mutant string, jobs int) int {
	areas, _ := filepath.Glob("tests/*/Kyuafile")
	type job struct{ prog, pkg, ident string }
	var all []job
	for _, k := range areas {
		pkg := filepath.Dir(k)
		prog, idents := buildListed(dir, pkg)
		for _, id := range idents {
			all = append(all, job{prog, pkg, id})
		}
	}
	var mu sync.Mutex
	var lines []string
	ch := make(chan job)
	var wg sync.WaitGroup
	for i := 0; i < jobs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				if interrupted.Err() != nil {
					continue // drained: an interrupted survey has no verdicts
				}
				o := runCase(dir, j.prog, j.ident, mutant, nil, 60*time.Second)
				if o.result.Category == atf.Passed || o.result.Category == atf.Skipped {
					continue
				}
				mu.Lock()
				lines = append(lines, fmt.Sprintf("%5.2fs %-8s %s:%s  %s", o.took.Seconds(), o.result.Category, j.pkg, j.ident, o.result.Reason))
				mu.Unlock()
			}
		}()
	}
	for _, j := range all {
		ch <- j
	}
	close(ch)
	wg.Wait()
	if interrupted.Err() != nil {
		return 130
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Printf("%s: %d of %d cases did not pass\n", mutant, len(lines), len(all))
	return 0
}
