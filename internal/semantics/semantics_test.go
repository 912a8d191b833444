package semantics

import (
	"strings"
	"testing"
)

func TestAddRecordsTheCallersFile(t *testing.T) {
	before := len(reg.sources)
	Add(func() []Row { return nil })
	defer func() { reg.sources = reg.sources[:before] }()
	if got := reg.sources[before].file; !strings.HasSuffix(got, "internal/semantics/semantics_test.go") {
		t.Errorf("Add recorded file %q, want this test file", got)
	}
}

func TestCheck(t *testing.T) {
	ok := Row{Cases: "a", Topic: "t", NetBSD: "n", Linux: "l", Data: "d", File: "f.go"}
	if err := Check([]Row{ok}); err != nil {
		t.Errorf("Check of a full row: %v", err)
	}
	empty := ok
	empty.Linux = " "
	if err := Check([]Row{empty}); err == nil || !strings.Contains(err.Error(), "has no linux") {
		t.Errorf("Check of a row without a Linux rule: %v, want \"has no linux\"", err)
	}
	if err := Check([]Row{ok, ok}); err == nil || !strings.Contains(err.Error(), "two rows") {
		t.Errorf("Check of a key used twice: %v, want \"two rows\"", err)
	}
}

func TestBoth(t *testing.T) {
	r := Both("c", "t", "d", func(goos string) string { return "rule of " + goos })
	if r.NetBSD != "rule of netbsd" || r.Linux != "rule of linux" {
		t.Errorf("Both: %+v", r)
	}
}

func TestDumpRefusesOtherValues(t *testing.T) {
	if code := dump("yes"); code != 2 {
		t.Errorf("dump(\"yes\") = %d, want 2", code)
	}
}
