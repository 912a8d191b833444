package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

// usageError is bad input: the command prints it as one line and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// config is the parsed command line.
type config struct {
	kernel       string
	outDir       string
	jobs         int
	filters      []caseFilter // empty: every case
	vars         []bootproto.Var
	root         string
	timeoutScale float64
	history      string
	keep         bool
	matrix       bool // every program also as t_<area>_<flavour> (the wait-flavour matrix)

	compareA, compareB string // -compare mode
	allowDiff          []caseFilter
	wantFailed         []caseFilter // -want-failed: exactly these must fail
}

// caseFilter selects cases by program and ident, each a path.Match pattern.
type caseFilter struct {
	prog, ident string
	text        string // as given, for messages
}

func (f caseFilter) match(prog, ident string) bool {
	okP, _ := path.Match(f.prog, prog)
	okI, _ := path.Match(f.ident, ident)
	return okP && okI
}

// parseFilters parses "prog:glob,prog:glob,...". A bare "prog" means every
// case of it. "@FILE" reads the list from FILE: entries separated by commas
// or newlines, "#" to the end of a line is a comment.
func parseFilters(flagName, s string) ([]caseFilter, error) {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, usagef("-%s %s: %v", flagName, s, err)
		}
		var items []string
		for _, line := range strings.Split(string(b), "\n") {
			line, _, _ = strings.Cut(line, "#")
			for _, item := range strings.Split(line, ",") {
				if item = strings.TrimSpace(item); item != "" {
					items = append(items, item)
				}
			}
		}
		if len(items) == 0 {
			return nil, usagef("-%s %s: the file names no case", flagName, s)
		}
		s = strings.Join(items, ",")
	}
	var fs []caseFilter
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, usagef("-%s %q: empty entry (want prog:glob,prog:glob,...)", flagName, s)
		}
		prog, ident, found := strings.Cut(item, ":")
		if !found {
			ident = "*"
		}
		if prog == "" || ident == "" || strings.Contains(ident, ":") {
			return nil, usagef("-%s: %q is not prog:glob (e.g. t_fork:fork*)", flagName, item)
		}
		for _, p := range []string{prog, ident} {
			if _, err := path.Match(p, ""); err != nil {
				return nil, usagef("-%s: %q: bad glob %q", flagName, item, p)
			}
		}
		fs = append(fs, caseFilter{prog: prog, ident: ident, text: item})
	}
	return fs, nil
}

// varList collects repeated -v name=value.
type varList struct{ vars map[string]string }

func (v *varList) String() string { return "" }

func (v *varList) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" || strings.ContainsAny(name, " \t=") {
		return fmt.Errorf("%q is not name=value", s)
	}
	if v.vars == nil {
		v.vars = map[string]string{}
	}
	v.vars[name] = value
	return nil
}

func (v *varList) sorted() []bootproto.Var {
	var out []bootproto.Var
	for n, val := range v.vars {
		out = append(out, bootproto.Var{Name: n, Value: val})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

const usageText = `usage:
  netbsd-qemu -kernel FILE [-o DIR] [-j N] [-cases prog:glob,...] [-v name=value ...]
              [-root DEV] [-timeout-scale F] [-history results.json] [-keep]
              [-want-failed prog:glob,...|@FILE]
  netbsd-qemu -compare A.json B.json [-allow-diff prog:glob,...]

Boots a NetBSD/amd64 kernel (ELF or gzipped ELF) under qemu with the suite's
ATF programs as its only userland, runs every case as kyua would and reports
per case; see docs/NETBSD-QEMU.md.
`

// parseArgs parses the command line (without argv[0]). Every error is a
// usageError.
func parseArgs(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("netbsd-qemu", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var vars varList
	var cases, allow, wantFailed string
	fs.StringVar(&c.kernel, "kernel", "", "NetBSD/amd64 kernel to boot (ELF, or gzip of it)")
	fs.StringVar(&c.outDir, "o", "", "output directory (default: a new directory under .out/netbsd-qemu/)")
	fs.IntVar(&c.jobs, "j", runtime.NumCPU(), "qemu instances at once")
	fs.StringVar(&cases, "cases", "", "run only these cases: prog:glob,... (path.Match globs)")
	fs.Var(&vars, "v", "configuration variable name=value passed to every program (repeatable)")
	fs.StringVar(&c.root, "root", "", "root device passed to the kernel (GRUB knetbsd --root), e.g. cd0d")
	fs.Float64Var(&c.timeoutScale, "timeout-scale", 1, "multiply every case timeout and watchdog by this")
	fs.StringVar(&c.history, "history", "", "results.json of an earlier run: its case times size the shards")
	fs.BoolVar(&c.keep, "keep", false, "keep the build directory (programs, image trees) and say where")
	fs.BoolVar(&c.matrix, "matrix", false, "also run every program as t_<area>_<flavour>, once per wait flavour (the wait-flavour matrix; select them with -cases 't_fork_*:*')")
	fs.StringVar(&c.compareA, "compare", "", "compare mode: -compare A.json B.json")
	fs.StringVar(&allow, "allow-diff", "", "compare mode: cases allowed to differ, prog:glob,...")
	fs.StringVar(&wantFailed, "want-failed", "", "the cases that must fail (prog:glob,... or @FILE): exit 0 iff exactly they fail and none breaks")
	// Flags may follow operands (-compare A.json B.json -allow-diff ...).
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stderr, usageText)
				return nil, usageError{"-h"}
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	var err error
	if c.compareA != "" {
		if len(rest) != 1 {
			return nil, usagef("-compare takes two results files: -compare A.json B.json")
		}
		c.compareB = rest[0]
		if c.kernel != "" {
			return nil, usagef("-compare does not boot: drop -kernel")
		}
		if allow != "" {
			if c.allowDiff, err = parseFilters("allow-diff", allow); err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	if len(rest) > 0 {
		return nil, usagef("unexpected argument %q", rest[0])
	}
	if allow != "" {
		return nil, usagef("-allow-diff is for -compare mode")
	}
	if c.kernel == "" {
		return nil, usagef("-kernel FILE is required (see -h)")
	}
	if c.jobs < 1 {
		return nil, usagef("-j %d: need at least 1 qemu instance", c.jobs)
	}
	if !(c.timeoutScale > 0) || c.timeoutScale > 1000 {
		return nil, usagef("-timeout-scale %s: need a number > 0", strconv.FormatFloat(c.timeoutScale, 'g', -1, 64))
	}
	if cases != "" {
		if c.filters, err = parseFilters("cases", cases); err != nil {
			return nil, err
		}
	}
	if wantFailed != "" {
		if c.wantFailed, err = parseFilters("want-failed", wantFailed); err != nil {
			return nil, err
		}
	}
	if c.root != "" && !validRootDev(c.root) {
		return nil, usagef("-root %q: want a NetBSD device name such as cd0d or wd0a", c.root)
	}
	c.vars = vars.sorted()
	return c, nil
}

// validRootDev accepts a device name: letters, then a unit number, then an
// optional partition letter (cd0d, wd0a, sd1e, dk0).
func validRootDev(s string) bool {
	i := 0
	for i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if i == 0 || j == i {
		return false
	}
	rest := s[j:]
	return rest == "" || (len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'p')
}
