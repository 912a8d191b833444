package atfshim

import (
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// mode says where configuration variables come from. kyua passes every
// test_suites.<suite>.* variable as -vNAME=VALUE and exports none to the
// environment (§3, §8), so in ATF mode only -v counts; under go test there
// is no -v and the environment variable PTRACE_<NAME> stands in.
//
// mode also remembers, in ATF mode, the case whose body runs and where its
// result goes, for the watchdog's hard exit.
var mode struct {
	mu     sync.RWMutex
	atf    bool              // running under the ATF protocol
	vars   map[string]string // the -v variables in ATF mode
	active *tcase            // the case whose body this process runs
	sink   *resultSink       // where the active case's result goes
}

func setATFMode(vars map[string]string) {
	mode.mu.Lock()
	defer mode.mu.Unlock()
	mode.atf = true
	mode.vars = vars
}

func setActive(c *tcase, sink *resultSink) {
	mode.mu.Lock()
	defer mode.mu.Unlock()
	mode.active, mode.sink = c, sink
}

func inATFMode() bool {
	mode.mu.RLock()
	defer mode.mu.RUnlock()
	return mode.atf
}

// activeSink returns the result sink if c is the case this ATF process runs.
func activeSink(c *tcase) *resultSink {
	mode.mu.RLock()
	defer mode.mu.RUnlock()
	if mode.active != c {
		return nil
	}
	return mode.sink
}

// envName is the environment variable that carries the configuration
// variable name under go test: PTRACE_ plus the name in upper case with
// every character outside [A-Z0-9] turned into '_'.
func envName(name string) string {
	return "PTRACE_" + strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, name)
}

// lookupConfig returns a configuration variable. Unknown names are normal:
// kyua passes all of the suite's variables to every program (§1).
func lookupConfig(name string) (string, bool) {
	mode.mu.RLock()
	defer mode.mu.RUnlock()
	if mode.atf {
		v, ok := mode.vars[name]
		return v, ok
	}
	return os.LookupEnv(envName(name))
}

// Config returns a configuration variable for code outside a case body
// (e.g. a harness): ATF -v name=value, or PTRACE_<NAME> under go test.
func Config(name string) (string, bool) { return lookupConfig(name) }

// badConfig is the one-line error for a malformed variable: its name, the
// value and what is wrong with it, which says what the values may be, e.g.
// `config variable racy="maybe": not a boolean: want true/false, yes/no or 1/0`.
func badConfig(name, value string, err error) error {
	return fmt.Errorf("config variable %s=%q: %v", name, value, err)
}

// configBool parses name as a boolean (see Bool); def when unset.
func configBool(name string, def bool) (bool, error) {
	v, ok := lookupConfig(name)
	if !ok {
		return def, nil
	}
	if err := Bool(v); err != nil {
		return false, badConfig(name, v, err)
	}
	switch strings.ToLower(v) {
	case "true", "yes", "1":
		return true, nil
	}
	return false, nil
}

// configInt parses name as a decimal integer; def when unset.
func configInt(name string, def int) (int, error) {
	v, ok := lookupConfig(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badConfig(name, v, errors.New("not an integer"))
	}
	return n, nil
}

// racyVar is the variable that enables racy cases: ATF -v racy=true, kyua
// `kyua -v test_suites.ptrace.racy=true test`, go test PTRACE_RACY=true.
const racyVar = "racy"

// Racy reports whether the racy configuration variable is true. A malformed
// value counts as false here; every case fails on it in Run.
func Racy() bool {
	on, err := configBool(racyVar, false)
	return on && err == nil
}

// declaredVars are the configuration variables the program's cases read,
// each with the check of its values. Every case of the program checks every
// one that is set before its body runs (a skipped case too), so that a bad
// value is reported wherever it was given, not only by the case that reads
// it, and never silently becomes a default.
var declaredVars = map[string]func(string) error{}

// DeclareVar declares a configuration variable and how its values are
// checked (see IntRange, Bool, Uint); the result is for `var _ =`.
func DeclareVar(name string, check func(value string) error) struct{} {
	if _, dup := declaredVars[name]; dup || name == racyVar {
		panic("atfshim: config variable " + name + " declared twice")
	}
	declaredVars[name] = check
	return struct{}{}
}

// The checks' errors name what the values may be, so that the one-line
// failure of a case tells how to fix the variable.

// IntRange checks a decimal integer in [min, max].
func IntRange(min, max int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("not an integer: want %d..%d", min, max)
		}
		if n < min || n > max {
			return fmt.Errorf("out of range: want %d..%d", min, max)
		}
		return nil
	}
}

// Uint checks a decimal unsigned 64-bit integer.
func Uint(v string) error {
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		return fmt.Errorf("not a decimal unsigned integer: want 0..%d", uint64(math.MaxUint64))
	}
	return nil
}

// Bool checks a boolean as configBool reads it: true/false, yes/no or
// 1/0, in any case.
func Bool(v string) error {
	switch strings.ToLower(v) {
	case "true", "yes", "1", "false", "no", "0":
		return nil
	}
	return errors.New("not a boolean: want true/false, yes/no or 1/0")
}

// checkDeclaredVars returns the first declared variable that is set to a
// bad value, in name order, as one line.
func checkDeclaredVars() error {
	names := make([]string, 0, len(declaredVars))
	for n := range declaredVars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v, ok := lookupConfig(n)
		if !ok {
			continue
		}
		if err := declaredVars[n](v); err != nil {
			return badConfig(n, v, err)
		}
	}
	return nil
}
