// Command ptrace-qualify is the suite's release qualification: it runs the
// ATF programs under the real kyua and writes one directory of reports.
//
//	ptrace-qualify [-o DIR] [-repeat N] [-kyuafile FILE] [-matrix FILE|none] [-kyua PATH] [FILTER...]
//
// The phases, each one `kyua test` of the Kyuafile (the root Kyuafile by
// default; FILTERs, kyua's program or program:case filters, narrow every
// phase) or, for phase 2, of the matrix's Kyuafile:
//
//  1. tree: every case with the default configuration (no -v; kyua runs
//     with --config=none so no kyua.conf changes it);
//  2. wait flavours: the wait-flavour matrix, every case of every area
//     under each wait flavour (wait, waitpid, waitid, wait3, wait4, wait6),
//     one `kyua test` of -matrix (tests/Kyuafile.matrix: the programs
//     t_<area>_<flavour> that make matrix-tree links, each waiting with
//     the flavour its name ends in), counted per flavour in the summary;
//     FILTERs of areas' programs narrow it to their flavour programs, and
//     -matrix none leaves it out. The tree's own fork_wait_<flavour> cases
//     (any case named <case>_wait_<flavour>) are listed by flavour too;
//  3. racy: every racy case again, with racy=true and racy_repeat=N
//     (-repeat, default 800), in the test suite the listing names.
//
// Finding the racy cases. A case is racy if kyua's listing of phase 1 says
// so (custom.racy, which kyua stores from the program's X-racy property,
// written for every case declared with atfshim.Meta.Racy) or if phase 1
// skipped it with a reason starting "racy: set racy=true" (atfshim's words
// for both a declared racy case and T.RacyHere, the race a case finds only
// on some kernels or revisions at run time, which no listing can show).
// Either alone misses cases: the listing misses RacyHere, the skip reason
// misses a declared racy case that did not reach its racy gate (a bad
// config variable fails it first; kyua skips it for an unmet require.*).
// The union is robust to both, and the summary says which way each case
// was found.
//
// Measuring them. A racy case of t_lwp repeats its body racy_repeat times
// (as many as fit in 90 s of its 120 s timeout) and reports the count: a
// failure's reason is "WHAT in F/N runs[; only N of K runs fit …] (first:
// …)", a pass logs "WHAT in 0/N runs (D)". The summary gives F/N, the rate
// and its 95% Wilson interval. A racy case that prints no count runs once
// whatever racy_repeat says (the racy cases of t_ptio and t_siginfo that
// only some NetBSD revisions gate): it is listed as not measured, with its
// one result.
//
// The output directory (-o, default .out/qualify; the files named below
// are removed first, nothing else in it is touched) holds, per phase P
// (tree, racy): P.db (kyua's results file), P.junit.xml (kyua
// report-junit), html/P/ (kyua report-html), P.out (kyua test's output),
// kyua.P.log (kyua's log); then summary.md and summary.json: the verdict
// and the cases that failed or broke, the kernel (uname -srvm,
// /proc/version on Linux or kern.osrevision on NetBSD, the CPU model), the
// suite version (git describe --always --dirty of the Kyuafile's tree, or
// the module version of the build), kyua's version, the user, counts per
// area and phase, every case that did not pass with its reason, the racy
// rates, the wait flavours, and wall times per phase and in total.
//
// kyua makes its work directories in TMPDIR, which for the qualification is
// DIR/tmp (so nothing lands in /tmp); what a phase leaves there is named in
// the summary and removed. kyua needs a writable HOME: when HOME is unset or
// not writable (an unprivileged user such as nobody), kyua runs with
// HOME=DIR/home. Running unprivileged needs only that the programs be
// readable and executable and DIR writable; cases that require root are
// skipped by kyua, and the summary names them.
//
// While it runs, the terminal shows the phase, the program (and area) kyua
// is in, cases done of total and the elapsed time; a case that fails or
// breaks is printed as it ends.
//
// Exit status: 0 when no case failed or broke (expected failures and skips
// are fine), 1 when one did (each is named in summary.md), 2 for bad input
// (a bad flag, an unwritable -o, a Kyuafile kyua cannot load, a filter
// that matches nothing), 3 when kyua could not run or the run was
// interrupted (the reports of what ran are still written).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ptracesuite/internal/tracer"
)

const (
	programName = "ptrace-qualify"

	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	exitRun    = 3

	// defaultRepeat: with it `make qualify` takes 2.5 minutes end to end
	// on the 2-core development machine under other sessions' load
	// (measured: tree 41 s; racy 105 s: 800 runs of lwp_exit_vs_wait take
	// 60 s, of thread_concurrent_signals 28 s, of lwp_create_vs_detach
	// 17 s), well inside 10 minutes. 1000 took 194 s and no longer fitted
	// lwp_exit_vs_wait's 90 s budget (966 runs). Whatever N, a racy case
	// stops starting runs after 90 s, so the racy phase is bounded by 90 s
	// per racy case.
	defaultRepeat = 800
	maxRepeat     = 1_000_000 // tests/lwp's racy_repeat range
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	out      string
	repeat   int
	kyuafile string
	matrix   string
	kyua     string
	filters  []string
}

type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet(programName, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := &config{}
	fs.StringVar(&c.out, "o", ".out/qualify", "output directory")
	fs.IntVar(&c.repeat, "repeat", defaultRepeat, "racy_repeat of the racy phase: runs of each racy case")
	fs.StringVar(&c.kyuafile, "kyuafile", "Kyuafile", "the Kyuafile to run")
	fs.StringVar(&c.matrix, "matrix", "", "the wait-flavour matrix's Kyuafile, or none (default: tests/Kyuafile.matrix beside the Kyuafile, if make matrix-tree built it)")
	fs.StringVar(&c.kyua, "kyua", "kyua", "the kyua to run")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [-o DIR] [-repeat N] [-kyuafile FILE] [-matrix FILE|none] [-kyua PATH] [FILTER...]\n", programName)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
		}
		return nil, usageError{err}
	}
	c.filters = fs.Args()
	if c.repeat < 1 || c.repeat > maxRepeat {
		return nil, usageError{fmt.Errorf("-repeat %d: out of range: want 1..%d", c.repeat, maxRepeat)}
	}
	if c.out == "" {
		return nil, usageError{errors.New("-o: empty directory name")}
	}
	for _, f := range c.filters {
		if f == "" || strings.HasPrefix(f, "-") {
			return nil, usageError{fmt.Errorf("filter %q: want a program or program:case of the Kyuafile (flags go before filters)", f)}
		}
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "%s: %v\n", programName, err)
		}
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := qualify(ctx, c, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", programName, err)
	}
	return code
}

// outputs are the names qualify writes in the output directory, removed
// before it starts so that no file of an earlier run is mistaken for this
// run's.
var outputs = []string{
	"summary.md", "summary.json", "html", "tmp", "home", "kyua.list.log",
	"tree.db", "tree.junit.xml", "tree.out", "kyua.tree.log",
	"racy.db", "racy.junit.xml", "racy.out", "kyua.racy.log",
	"matrix.db", "matrix.junit.xml", "matrix.out", "kyua.matrix.log",
}

func prepareOut(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if !writableDir(abs) {
		return "", fmt.Errorf("%s: not a writable directory", dir)
	}
	for _, name := range outputs {
		if err := os.RemoveAll(filepath.Join(abs, name)); err != nil {
			return "", err
		}
	}
	return abs, nil
}

func qualify(ctx context.Context, c *config, stdout io.Writer) (int, error) {
	began := time.Now()
	kyua, err := exec.LookPath(c.kyua)
	if err != nil {
		return exitUsage, fmt.Errorf("-kyua %s: %v (make kyua installs it)", c.kyua, errors.Unwrap(err))
	}
	if _, err := os.Stat(c.kyuafile); err != nil {
		return exitUsage, fmt.Errorf("-kyuafile: %v", err)
	}
	var matrixFilters []string
	matrixSkip := ""
	switch {
	case c.matrix == "none":
		matrixSkip = "Not run: -matrix none."
	case c.matrix == "":
		// The default: tests/Kyuafile.matrix beside the Kyuafile, when
		// make matrix-tree has built it.
		c.matrix = filepath.Join(filepath.Dir(c.kyuafile), "tests", "Kyuafile.matrix")
		if _, err := os.Stat(filepath.Join(filepath.Dir(c.matrix), "matrix")); err != nil {
			matrixSkip = fmt.Sprintf("Not run: no matrix tree beside %s (make matrix-tree builds it; make qualify does).", c.matrix)
		}
	default:
		if _, err := os.Stat(c.matrix); err != nil {
			return exitUsage, fmt.Errorf("-matrix: %v (make matrix-tree builds the matrix; -matrix none leaves it out)", err)
		}
	}
	if matrixSkip == "" && len(c.filters) > 0 {
		var left []string
		matrixFilters, left = matrixFiltersFor(c.kyuafile, c.matrix, c.filters)
		if len(matrixFilters) == 0 {
			matrixSkip = fmt.Sprintf("Not run: no filter names an area or an area's program (%s).", strings.Join(left, " "))
		}
	}
	out, err := prepareOut(c.out)
	if err != nil {
		return exitUsage, fmt.Errorf("-o: %v", err)
	}
	k, err := newKyuaRunner(kyua, out)
	if err != nil {
		return exitUsage, fmt.Errorf("-o: %v", err)
	}
	defer k.close()
	listed, err := k.list(ctx, c.kyuafile, c.filters)
	if err != nil {
		return exitUsage, fmt.Errorf("%v (make programs builds the ATF programs)", err)
	}
	prog := &progress{w: stdout, tty: isTerminal(stdout), begin: began}
	s := &Summary{
		Started:  began,
		Host:     hostInfo(),
		Suite:    suiteVersion(ctx, c.kyuafile),
		Kyua:     k.version(ctx),
		User:     whoami(),
		Kyuafile: c.kyuafile,
		Filters:  c.filters,
		Repeat:   c.repeat,
	}
	prog.say("ptrace-qualify: %s, %s, suite %s; writing %s", s.Host.Uname, s.User, s.Suite, c.out)

	// Phase 1: the tree.
	tree := &Phase{Name: "tree", What: "every case of " + c.kyuafile + filterText(c.filters)}
	s.Phases = append(s.Phases, tree)
	prog.say("== phase 1/3 tree: %d cases, default config", len(listed))
	if err := timedTest(ctx, k, tree, c.kyuafile, c.filters, listed, prog); err != nil {
		return exitRun, err
	}

	// Phase 2: the wait-flavour matrix.
	s.WaitFlavours = waitFlavours(tree.results)
	s.WaitNote = matrixSkip
	if matrixSkip == "" && ctx.Err() == nil {
		mlisted, err := k.list(ctx, c.matrix, matrixFilters)
		if err != nil {
			return exitUsage, fmt.Errorf("-matrix: %v (make matrix-tree builds the matrix)", err)
		}
		matrix := &Phase{Name: "matrix", What: "every case under each wait flavour: " + c.matrix + filterText(matrixFilters)}
		s.Phases = append(s.Phases, matrix)
		prog.say("== phase 2/3 wait flavours: %d cases of %s", len(mlisted), c.matrix)
		if err := timedTest(ctx, k, matrix, c.matrix, matrixFilters, mlisted, prog); err != nil {
			return exitRun, err
		}
		s.WaitMatrix = countByFlavour(matrix.results)
		s.WaitNote = waitNote(s.WaitMatrix, s.WaitFlavours)
	} else {
		prog.say("== phase 2/3 wait flavours: %s", s.WaitNote)
	}

	// Phase 3: the racy cases.
	names, found := racyCases(listed, tree.results)
	if ctx.Err() != nil {
		s.Interrupted = true
		s.RacyNote = "Not run: the qualification was interrupted."
	} else if len(names) == 0 {
		s.RacyNote = "No racy case in this run (none has custom.racy in kyua's listing or was skipped as racy)."
		prog.say("== phase 3/3 racy: no racy case")
	} else {
		racy := &Phase{Name: "racy", What: "every racy case again: " + plural(len(names), "case")}
		s.Phases = append(s.Phases, racy)
		var racyListed []listedCase
		suites := map[string]bool{}
		byName := map[string]listedCase{}
		for _, l := range listed {
			byName[l.Name] = l
		}
		for _, n := range names {
			l, ok := byName[n]
			if !ok {
				program, ident, _ := strings.Cut(n, ":")
				l = listedCase{Name: n, Program: program, Ident: ident}
			}
			racyListed = append(racyListed, l)
			if l.Suite != "" && !suites[l.Suite] {
				suites[l.Suite] = true
				racy.Vars = append(racy.Vars, "test_suites."+l.Suite+".racy=true", "test_suites."+l.Suite+".racy_repeat="+strconv.Itoa(c.repeat))
			}
		}
		prog.say("== phase 3/3 racy: %d cases, racy=true racy_repeat=%d", len(names), c.repeat)
		if err := timedTest(ctx, k, racy, c.kyuafile, names, racyListed, prog); err != nil {
			return exitRun, err
		}
		measured := 0
		for _, r := range racy.results {
			m := measureRacy(r, c.repeat)
			m.Found = found[r.Name]
			if m.Found == "" {
				m.Found = "skip reason"
			}
			if m.Measured {
				measured++
			}
			s.Racy = append(s.Racy, m)
		}
		s.RacyNote = fmt.Sprintf("%s, found by kyua's listing (custom.racy) and by phase 1's skip reasons (\"racy: set racy=true\"), run with racy=true racy_repeat=%d; %d measured from the run counts they report.", plural(len(names), "racy case"), c.repeat, measured)
	}
	if ctx.Err() != nil {
		s.Interrupted = true
	}
	s.Seconds = time.Since(began).Seconds()
	s.finish()
	if err := writeSummary(s, out); err != nil {
		return exitRun, err
	}
	prog.say("== %s in %s: %s", s.Verdict, secs(s.Seconds), filepath.Join(c.out, "summary.md"))
	for _, f := range s.Failing {
		prog.say("  %s %s (%s): %s", f.Result, f.Name, f.Phase, f.Reason)
	}
	switch {
	case s.Interrupted:
		return exitRun, errors.New("interrupted: the reports hold what ran")
	case len(s.Failing) > 0:
		return exitFailed, nil
	}
	return exitOK, nil
}

// timedTest runs one phase's kyua test and records its wall time.
func timedTest(ctx context.Context, k *kyuaRunner, ph *Phase, kyuafile string, filters []string, listed []listedCase, prog *progress) error {
	t0 := time.Now()
	err := k.test(ctx, ph, kyuafile, filters, listed, prog)
	ph.Seconds = time.Since(t0).Seconds()
	return err
}

func waitNote(m []AreaCounts, tree []WaitFlavour) string {
	var total Counts
	for _, f := range m {
		total.Total += f.Total
	}
	note := fmt.Sprintf("%d cases: every case under %d wait flavours, counted per flavour under Wait flavours", total.Total, len(m))
	if len(tree) > 0 {
		note += fmt.Sprintf("; the tree's %d <case>_wait_<flavour> cases ran in phase 1", len(tree))
	}
	return note + "."
}

// notInMatrix are the areas the wait-flavour matrix leaves out (Makefile
// matrix-tree): t_picotrace waits as picotrace does, not through the
// harness's flavours.
var notInMatrix = map[string]bool{"picotrace": true}

// matrixFiltersFor maps the tree's filters onto the matrix's programs: an
// area's program (or one case of it) becomes its program for each flavour,
// an area's directory the matrix's directory of the area. Filters are
// relative to their Kyuafile's directory, as kyua takes them; the ones
// that name no area or area's program are returned as left.
func matrixFiltersFor(kyuafile, matrix string, filters []string) (out, left []string) {
	mdir, err := filepath.Abs(filepath.Dir(matrix))
	if err != nil {
		return nil, filters
	}
	for _, f := range filters {
		prog, tc, hasCase := strings.Cut(f, ":")
		abs, err := filepath.Abs(filepath.Join(filepath.Dir(kyuafile), prog))
		if err != nil {
			left = append(left, f)
			continue
		}
		rel, err := filepath.Rel(mdir, abs)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		switch {
		case err != nil || strings.HasPrefix(rel, ".."):
			left = append(left, f)
		case notInMatrix[parts[0]]:
			left = append(left, f) // an area the matrix does not run
		case rel == "." && !hasCase:
			out = append(out, "matrix")
		case len(parts) == 1 && !hasCase:
			out = append(out, "matrix/"+parts[0])
		case len(parts) == 2 && parts[1] == "t_"+parts[0]:
			for _, fl := range tracer.FlavourNames {
				g := "matrix/" + parts[0] + "/t_" + parts[0] + "_" + fl
				if hasCase {
					g += ":" + tc
				}
				out = append(out, g)
			}
		default:
			left = append(left, f)
		}
	}
	return out, left
}

func writeSummary(s *Summary, out string) error {
	write := func(name string, f func(io.Writer) error) error {
		path := filepath.Join(out, name)
		fh, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := f(fh); err != nil {
			fh.Close()
			return fmt.Errorf("%s: %v", path, err)
		}
		return fh.Close()
	}
	if err := write("summary.json", s.writeJSON); err != nil {
		return err
	}
	return write("summary.md", s.writeMarkdown)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
