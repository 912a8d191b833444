package atfshim

import (
	"strings"
	"testing"
	"time"
)

func TestIdentFromTestName(t *testing.T) {
	tests := map[string]string{
		"TestForkDetachForker": "fork_detach_forker",
		"TestPTIOReadAuxv":     "ptio_read_auxv",
		"TestFork1":            "fork1",
		"TestVfork2Exec":       "vfork2_exec",
		"TestX86Regs":          "x86_regs",
		"TestSIGSTOPThread":    "sigstop_thread",
		"TestPTRACE":           "ptrace",
		"TestIOFoo":            "io_foo",
		"TestA":                "a",
		"TestFoo_Bar":          "foo_bar",
		"Test_foo":             "_foo",
		"Test2Fork":            "2_fork",
		"TestTraceMeKill9":     "trace_me_kill9",
	}
	for name, want := range tests {
		got, err := identFromTestName(name)
		if err != nil || got != want {
			t.Errorf("identFromTestName(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, bad := range []string{"Test", "Foo", "TestFöö", ""} {
		if got, err := identFromTestName(bad); err == nil {
			t.Errorf("identFromTestName(%q) = %q, want an error", bad, got)
		}
	}
}

func TestTestName(t *testing.T) {
	if got, err := testName(TestTestName); err != nil || got != "TestTestName" {
		t.Errorf("testName(TestTestName) = %q, %v", got, err)
	}
	var s suite
	for what, f := range map[string]func(*testing.T){
		"closure":      func(*testing.T) {},
		"method value": s.TestMethod,
		"nil":          nil,
		"not TestXxx":  notATest,
	} {
		if got, err := testName(f); err == nil {
			t.Errorf("testName(%s) = %q, want an error", what, got)
		}
	}
}

type suite struct{}

func (suite) TestMethod(*testing.T) {}

func notATest(*testing.T) {}

func TestCheckIdent(t *testing.T) {
	for _, ok := range []string{"a", "A_9", "fork1"} {
		if err := checkIdent(ok); err != nil {
			t.Errorf("checkIdent(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a:b", "a b", "a/b", "a-b", "é"} {
		if checkIdent(bad) == nil {
			t.Errorf("checkIdent(%q) = nil, want an error", bad)
		}
	}
}

func TestRegistryChecks(t *testing.T) {
	cleanup := func() error { return nil }
	tests := []struct {
		name   string
		c      *tcase
		parent string
		err    string // "" = accepted
	}{
		{"ok", &tcase{ident: "a", goPath: "TestA"}, "", ""},
		{"duplicate ident", &tcase{ident: "a", goPath: "TestB"}, "", `ident "a" already declared for TestA`},
		{"declared twice", &tcase{ident: "other", goPath: "TestA"}, "", "declared twice"},
		{"sub ok", &tcase{ident: "s1", goPath: "TestP/s1"}, "TestP", ""},
		{"top after sub", &tcase{ident: "p", goPath: "TestP"}, "", "already has DeclareSub cases"},
		{"sub of a case", &tcase{ident: "s2", goPath: "TestA/s2"}, "TestA", "TestA is also declared as a case"},
		{"bad user", &tcase{ident: "u", goPath: "TestU", meta: Meta{RequireUser: "nobody"}}, "", `RequireUser "nobody"`},
		{"cleanup without flag", &tcase{ident: "c1", goPath: "TestC1", meta: Meta{Cleanup: cleanup}}, "", "HasCleanup and Cleanup"},
		{"flag without cleanup", &tcase{ident: "c2", goPath: "TestC2", meta: Meta{HasCleanup: true}}, "", "HasCleanup and Cleanup"},
		{"cleanup ok", &tcase{ident: "c3", goPath: "TestC3", meta: Meta{HasCleanup: true, Cleanup: cleanup}}, "", ""},
		{"multi-line descr", &tcase{ident: "d", goPath: "TestD", meta: Meta{Descr: "a\nb"}}, "", "Descr"},
		{"multi-line racy", &tcase{ident: "r", goPath: "TestR", meta: Meta{Racy: "a\tb"}}, "", "Racy"},
		{"negative timeout", &tcase{ident: "n", goPath: "TestN", meta: Meta{Timeout: -time.Second}}, "", "negative Timeout"},
		{"huge timeout", &tcase{ident: "h", goPath: "TestH", meta: Meta{Timeout: 1 << 62}}, "", "too large"},
	}
	var r registry
	for _, tt := range tests {
		before := len(r.errs)
		r.add(tt.c, tt.parent)
		switch {
		case tt.err == "" && len(r.errs) != before:
			t.Errorf("%s: unexpected error %v", tt.name, r.errs[before])
		case tt.err != "" && len(r.errs) == before:
			t.Errorf("%s: accepted, want error %q", tt.name, tt.err)
		case tt.err != "" && !strings.Contains(r.errs[before].Error(), tt.err):
			t.Errorf("%s: error %q, want %q", tt.name, r.errs[before], tt.err)
		}
	}
	var idents []string
	for _, c := range r.cases {
		idents = append(idents, c.ident)
	}
	if got := strings.Join(idents, " "); got != "a s1 c3" {
		t.Errorf("accepted cases %q, want declaration order %q", got, "a s1 c3")
	}
	err := r.seal()
	if err == nil || !strings.Contains(err.Error(), "(and 10 more declaration errors)") {
		t.Errorf("seal() = %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("seal() error is not one line: %q", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("add after seal did not panic")
		}
	}()
	r.add(&tcase{ident: "late", goPath: "TestLate"}, "")
}

func TestListedTimeout(t *testing.T) {
	for d, want := range map[time.Duration]uint64{
		0:                       75,
		time.Second:             16,
		1500 * time.Millisecond: 17,
		time.Nanosecond:         16,
		5 * time.Minute:         315,
	} {
		c := &tcase{meta: Meta{Timeout: d}}
		if got := c.listedTimeout(); got != want {
			t.Errorf("listedTimeout(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestIsGoTestName(t *testing.T) {
	for name, want := range map[string]bool{
		"Test": true, "TestX": true, "Test_x": true, "Test1": true,
		"Testlower": false, "TestFöö": false, "Tes": false, "BenchmarkX": false,
	} {
		if got := isGoTestName(name); got != want {
			t.Errorf("isGoTestName(%q) = %v, want %v", name, got, want)
		}
	}
}
