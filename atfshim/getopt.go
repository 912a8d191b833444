package atfshim

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// atfArgs is a parsed atf-test-program(1) command line:
//
//	PROG [-r resfile] [-s srcdir] [-v var=value ...] test_case[:body|:cleanup]
//	PROG [-v var=value ...] -l
type atfArgs struct {
	list    bool
	resfile string // "" without -r: the result goes to stdout
	srcdir  string // accepted for compatibility; kyua never passes it
	vars    map[string]string
	tc      string // test case operand before ':'
	part    string // "body" or "cleanup"
}

// usageError is a command-line error; it is reported with upstream's
// "See atf-test-program(1)" hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// parseATFArgs parses argv (without argv[0]) as POSIX getopt(3) does with
// the option string "+lr:s:v:" (§1): option arguments attached (`-r/x`, the
// only form kyua uses) or separate (`-r /x`), option clusters (`-lvx=y`),
// `--` ends options, and parsing stops at the first operand. Go's flag
// package cannot do this and would make every case broken under kyua.
// Messages are upstream's (§1).
func parseATFArgs(argv []string) (*atfArgs, error) {
	a := &atfArgs{vars: map[string]string{}}
	i := 0
	for ; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			i++
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			break // first operand ("-" alone is an operand too)
		}
		for j := 1; j < len(arg); j++ {
			opt := arg[j]
			switch opt {
			case 'l':
				a.list = true
				continue
			case 'r', 's', 'v':
			default:
				return nil, unknownOption(arg, j)
			}
			val := arg[j+1:]
			if val == "" {
				if i+1 == len(argv) {
					return nil, usagef("Option -%c requires an argument.", opt)
				}
				i++
				val = argv[i]
			}
			if err := a.set(opt, val); err != nil {
				return nil, err
			}
			break // the rest of arg was the option argument
		}
	}
	return a, a.setOperands(argv[i:])
}

func unknownOption(arg string, j int) error {
	r, _ := utf8.DecodeRuneInString(arg[j:])
	msg := fmt.Sprintf("Unknown option -%c.", r)
	if strings.HasPrefix(arg, "-test.") {
		// A go test flag mixed with something else: the binary is in ATF
		// mode because not every argument starts with -test.
		msg += " (go test mode needs every argument in the -test.name=value form)"
	}
	return usageError{msg}
}

func (a *atfArgs) set(opt byte, val string) error {
	switch opt {
	case 'r':
		a.resfile = val
	case 's':
		a.srcdir = val
	case 'v':
		// Split at the first '=': values may contain '=' and spaces (§1).
		name, value, ok := strings.Cut(val, "=")
		if !ok || name == "" {
			return usagef("-v requires an argument of the form var=value")
		}
		a.vars[name] = value
	}
	return nil
}

// setOperands checks the operand count against -l and splits the case
// operand into the case and its part.
func (a *atfArgs) setOperands(ops []string) error {
	switch {
	case a.list && len(ops) > 0:
		return usagef("Cannot provide test case names with -l")
	case a.list:
		return nil
	case len(ops) == 0:
		return usagef("Must provide a test case name")
	case len(ops) > 1:
		return usagef("Cannot provide more than one test case name")
	}
	tc, part, hasPart := strings.Cut(ops[0], ":")
	if !hasPart {
		part = "body"
	}
	if part != "body" && part != "cleanup" {
		return usagef("Invalid test case part `%s'", part)
	}
	a.tc, a.part = tc, part
	return nil
}
