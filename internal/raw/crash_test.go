//go:build linux || netbsd

package raw

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// TestCrashQuirkTable: the arch quirk table covers every NetBSD target,
// and on the running machine says what the machine really does.
func TestCrashQuirkTable(t *testing.T) {
	for _, a := range []string{"amd64", "386", "arm64", "arm"} {
		if _, ok := IntDivTraps[a]; !ok {
			t.Errorf("IntDivTraps has no row for %s", a)
		}
		if NoIllegalInstruction[a] != "" {
			t.Errorf("%s has an undefined instruction (ud2/udf); NoIllegalInstruction must not list it", a)
		}
	}
	if len(Crashes) != 5 {
		t.Errorf("Crashes lists %d crashes, want NetBSD's five", len(Crashes))
	}
	sigs := map[string]unix.Signal{"trap": unix.SIGTRAP, "segv": unix.SIGSEGV, "ill": unix.SIGILL, "fpe": unix.SIGFPE, "bus": unix.SIGBUS}
	for _, c := range Crashes {
		if sigs[c.Name] != c.Sig {
			t.Errorf("crash %q raises %v, want %v", c.Name, c.Sig, sigs[c.Name])
		}
	}
	fpe, _ := CrashByName("fpe")
	why := CrashUnsupported(fpe)
	switch {
	case IntDivTraps[runtime.GOARCH] && why != "":
		t.Errorf("%s: integer division traps, yet SIGFPE is skipped: %q", runtime.GOARCH, why)
	case !IntDivTraps[runtime.GOARCH] && !FPExceptionsSupported() && why != "FP exceptions are not supported":
		t.Errorf("%s: no FP traps, SIGFPE skip reason %q, want NetBSD's \"FP exceptions are not supported\"", runtime.GOARCH, why)
	}
	t.Logf("%s: integer division traps %v, FP exceptions supported %v", runtime.GOARCH, IntDivTraps[runtime.GOARCH], FPExceptionsSupported())
}

// TestCrashAddresses: the breakpoint and the text patch are where the
// tracer is told they are, and hold the machine's breakpoint instruction.
func TestCrashAddresses(t *testing.T) {
	first := map[string]byte{"amd64": 0xcc, "386": 0xcc, "arm64": 0xa0, "arm": 0x70} // first byte, little endian
	if b := ReadByte(TrapAddress()); b != first[runtime.GOARCH] {
		t.Errorf("first byte at TrapAddress %#x is %#x, want %#x", TrapAddress(), b, first[runtime.GOARCH])
	}
	if b := ReadByte(TextScratchAddress()); b != first[runtime.GOARCH] {
		t.Errorf("first byte at TextScratchAddress %#x is %#x, want %#x", TextScratchAddress(), b, first[runtime.GOARCH])
	}
}
