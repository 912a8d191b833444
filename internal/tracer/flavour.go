package tracer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ptracesuite/atfshim"
)

// The wait-flavour matrix (README "Wait-flavour matrix"): NetBSD builds
// its suite six times, t_ptrace_wait, _waitpid, _waitid, _wait3, _wait4
// and _wait6, one per wait(2) flavour, because some kernel bugs showed
// under one flavour only. Every wait of a Tracer goes through one flavour,
// the first of:
//
//  1. WithFlavour (the fork_wait_<flavour> cases name theirs);
//  2. the program's own name, t_<area>_<flavour> (the matrix tree's links
//     to t_<area>, as NetBSD's t_ptrace_wait<flavour> programs);
//  3. the configuration variable wait: ATF -v wait=wait6, kyua
//     -v test_suites.ptrace.wait=wait6, go test PTRACE_WAIT=wait6;
//  4. wait4.
//
// A flavour this kernel lacks (wait6 on Linux) skips every case that
// starts a tracer, naming it; a value that is no flavour fails every case
// of the program in one line, as a malformed racy value does.

// WaitVar is the configuration variable that names the wait flavour.
const WaitVar = "wait"

// defaultWait is the flavour of a tracer when nothing names one.
const defaultWait = "wait4"

var _ = atfshim.DeclareVar(WaitVar, checkWait)

func checkWait(v string) error {
	if slices.Contains(FlavourNames, v) {
		return nil
	}
	return fmt.Errorf("not a wait flavour: want one of %s", strings.Join(FlavourNames, ", "))
}

// ProgramFlavour is the flavour a program's name ends in, after its area:
// "wait6" for t_fork_wait6, "" for t_fork or a go test binary.
func ProgramFlavour(argv0 string) string {
	base := filepath.Base(argv0)
	i := strings.LastIndexByte(base, '_')
	if !strings.HasPrefix(base, "t_") || i <= len("t_") {
		return ""
	}
	if f := base[i+1:]; slices.Contains(FlavourNames, f) {
		return f
	}
	return ""
}

// waitFlavour is the flavour a tracer uses when no WithFlavour names one,
// and where that choice came from (for a skip's reason).
func waitFlavour() (name, from string, err error) {
	if f := ProgramFlavour(os.Args[0]); f != "" {
		return f, "program " + filepath.Base(os.Args[0]), nil
	}
	if v, ok := atfshim.Config(WaitVar); ok {
		if err := checkWait(v); err != nil {
			return "", "", fmt.Errorf("config variable %s=%q: %v", WaitVar, v, err)
		}
		return v, "config variable " + WaitVar, nil
	}
	return defaultWait, "the default", nil
}

// WaitNeed is what a case needs of the wait flavour, NetBSD's
// TWAIT_HAVE_PID and TWAIT_HAVE_STATUS (t_ptrace_wait.h).
type WaitNeed uint8

const (
	// NeedPid: the case waits for one pid while another tracee of the
	// tracer may report too (a traced forkee, an attached non-child).
	// wait(2) and wait3(2) cannot name a pid.
	NeedPid WaitNeed = 1 << iota
	// NeedStatus: the case checks what only a wait status carries.
	// waitid(2) returns a siginfo instead.
	NeedStatus
)

// skipUnlessFlavourServes skips the case when the flavour lacks what the
// case needs (WaitNeeds), as NetBSD leaves such a case out of that
// flavour's program.
func skipUnlessFlavourServes(tb testing.TB, f Flavour) {
	tb.Helper()
	id, ok := tb.(interface{ Ident() string })
	if !ok {
		return
	}
	need := WaitNeeds(id.Ident())
	if need&NeedPid != 0 && !f.HasPid {
		tb.Skipf("needs a wait flavour with a pid (TWAIT_HAVE_PID): %s(2) has none", f.Name)
	}
	if need&NeedStatus != 0 && !f.HasStatus {
		tb.Skipf("needs a wait flavour with a status (TWAIT_HAVE_STATUS): %s(2) returns a siginfo, no status", f.Name)
	}
}
