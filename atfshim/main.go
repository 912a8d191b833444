package atfshim

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// osExit is os.Exit; the watchdog's hard exit goes through it.
var osExit = os.Exit

// progName prefixes error messages, as upstream's getprogname() does.
var progName = "atfshim"

// runner is the part of *testing.M that Main uses.
type runner interface{ Run() int }

// Main is the body of the test package's TestMain. It never returns.
//
// If every argument starts with "-test." the binary behaves as the plain
// go test binary it is: `go test` passes nothing else and kyua never passes
// such flags (§12 item 1). Anything else, including no arguments at all, is
// the ATF protocol.
func Main(m *testing.M) {
	os.Exit(mainCode(m, os.Args))
}

func mainCode(m runner, argv []string) int {
	argv0, args := "", []string(nil)
	if len(argv) > 0 {
		argv0, args = argv[0], argv[1:]
		progName = filepath.Base(argv0)
	}
	// Declaration mistakes fail every mode with one line on stderr rather
	// than a listing kyua calls broken or a silently missing case.
	if err := reg.seal(); err != nil {
		errorf("%v", err)
		return 1
	}
	if isGoTestArgv(args) {
		return goTestMain(m, args)
	}
	return atfMain(m, argv0, args)
}

func isGoTestArgv(args []string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-test.") {
			return false
		}
	}
	return len(args) > 0
}

// errorf reports a one-line error in upstream's `PROG: ERROR: <msg>` form.
func errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: ERROR: %s\n", progName, flatten(fmt.Sprintf(format, args...)))
}

// goTestMain runs the tests as go test asked. After a full, unfiltered run
// it also catches declared cases whose Go test never called Run/RunSub
// (they would be "did not call atfshim.Run" failures under kyua).
func goTestMain(m runner, args []string) int {
	code := m.Run()
	if narrowedRun(args) {
		return code
	}
	for _, c := range reg.cases {
		if ran, _ := c.state(); !ran {
			fmt.Fprintf(os.Stderr, "atfshim: declared case %s (%s) never ran\n", c.ident, c.goPath)
			code = max(code, 1)
		}
	}
	return code
}

// narrowedRun reports whether go test flags restrict which tests run.
func narrowedRun(args []string) bool {
	for _, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a, "-test."), "=")
		switch name {
		case "run", "skip", "fuzz":
			if val != "" {
				return true
			}
		case "list":
			return true
		case "failfast":
			if on, err := strconv.ParseBool(val); !hasVal || err == nil && on {
				return true
			}
		}
	}
	return false
}

func atfMain(m runner, argv0 string, args []string) int {
	a, err := parseATFArgs(args)
	if err != nil {
		return usage(err)
	}
	setATFMode(a.vars)
	if a.list {
		return listCases()
	}
	c := reg.lookup(a.tc, false)
	if c == nil {
		return usage(usagef("Unknown test case `%s'", a.tc))
	}
	if a.part == "cleanup" {
		return runCleanup(c)
	}
	return runBody(m, argv0, c, a.resfile)
}

func usage(err error) int {
	errorf("%v", err)
	fmt.Fprintf(os.Stderr, "%s: See atf-test-program(1) for usage details.\n", progName)
	return 1
}

// listCases prints the -l listing in one write, with nothing on stderr
// (§2: a single stray stderr byte makes the listing broken).
func listCases() int {
	if len(reg.cases) == 0 {
		// kyua: broken "No test cases".
		errorf("no test cases declared (atfshim.Declare)")
		return 1
	}
	if _, err := os.Stdout.Write(listing(reg.cases)); err != nil {
		errorf("writing the test case list: %v", err)
		return 1
	}
	return 0
}

// runCleanup is `CASE:cleanup`: a separate process in the body's work
// directory, without -r, that must exit 0 (§7). Asking for the cleanup of a
// case without one is an error here, stricter than upstream (§12 item 9).
func runCleanup(c *tcase) int {
	if !c.meta.HasCleanup {
		errorf("test case `%s' has no cleanup routine (has.cleanup: false)", c.ident)
		return 1
	}
	if err := callCleanup(c.meta.Cleanup); err != nil {
		errorf("cleanup of test case `%s' failed: %v", c.ident, err)
		return 1
	}
	return 0
}

// runBody runs the case's body by re-entering testing with a -test.run
// pattern that selects exactly its Go test or subtest, then writes the one
// result line and returns the exit status that matches it (§4, §5).
func runBody(m runner, argv0 string, c *tcase, resfile string) int {
	// The result file is created first: an unwritable -r must fail before
	// the body runs (§12 item 9).
	sink, err := openResultFile(resfile)
	if err != nil {
		errorf("%v", err)
		return 1
	}
	setActive(c, sink)
	os.Args = []string{argv0, "-test.run=" + runPattern(c.goPath), "-test.count=1", "-test.v=true"}
	// testing.Init has registered the flags; parsing here (m.Run then
	// skips its own flag.Parse) also overrides a flag.Parse that TestMain
	// may already have done on the ATF argv.
	if err := flag.CommandLine.Parse(os.Args[1:]); err != nil {
		errorf("%v", err)
		return 1
	}
	goCode := m.Run()
	code, _ := sink.finish(c.finalResult(goCode))
	return code
}

// runPattern is the -test.run value matching exactly the Go test path
// "TestX" or "TestX/sub".
func runPattern(goPath string) string {
	parts := strings.Split(goPath, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// finalResult is the case's result after m.Run returned goCode.
func (c *tcase) finalResult(goCode int) result {
	ran, r := c.state()
	switch {
	case !ran:
		return result{statusFailed, fmt.Sprintf("Go test %s did not call atfshim.Run", c.goPath)}
	case r == nil:
		return result{statusFailed, fmt.Sprintf("Go test %s ended without an atfshim result", c.goPath)}
	case goCode != 0 && r.status != statusFailed:
		// E.g. the parent of a DeclareSub case failed outside RunSub.
		return result{statusFailed, fmt.Sprintf("case %s, but the Go tests failed outside it (status %d); see the output", r.status, goCode)}
	}
	return *r
}
