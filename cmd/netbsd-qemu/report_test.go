package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ptracesuite/internal/atf"
)

func checkJUnit(t *testing.T, x []byte, cases int) {
	t.Helper()
	var got atf.JUnitSuites
	if err := xml.Unmarshal(x, &got); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, x)
	}
	n := 0
	for _, s := range got.Suites {
		n += len(s.Cases)
	}
	if n != cases {
		t.Errorf("%d testcases, want %d", n, cases)
	}
}

func TestJUnit(t *testing.T) {
	rs := []caseResult{
		{Program: "t_a", Ident: "ok", Category: "passed", Seconds: 0.5},
		{Program: "t_a", Ident: "bad", Category: "failed", Reason: "a <b> & \"c\"\x00\x1b[0m", Stderr: []string{"line\x07", "\xff invalid"}},
		{Program: "t_a", Ident: "br", Category: "broken", Reason: "kernel panic: x"},
		{Program: "t_b", Ident: "sk", Category: "skipped", Reason: "no"},
		{Program: "t_b", Ident: "xf", Category: "xfail", Reason: "known bug"},
	}
	x, err := junit(rs)
	if err != nil {
		t.Fatal(err)
	}
	checkJUnit(t, x, len(rs))
	var got atf.JUnitSuites
	xml.Unmarshal(x, &got)
	if len(got.Suites) != 2 || got.Suites[0].Failures != 1 || got.Suites[0].Errors != 1 || got.Suites[1].Skipped != 1 {
		t.Errorf("suites %+v", got.Suites)
	}
	xf := got.Suites[1].Cases[1]
	if xf.Failure != nil || xf.Error != nil || xf.Skipped != nil || !strings.Contains(xf.SystemErr, "known bug") {
		t.Errorf("xfail must pass with its reason in system-err: %+v", xf)
	}
	if m := got.Suites[0].Cases[1].Failure.Message; m != `a <b> & "c"\x00\x1b[0m` {
		t.Errorf("failure message %q", m)
	}
}

func TestSummary(t *testing.T) {
	var b bytes.Buffer
	tot := summary(&b, []caseResult{{Program: "t_a", Category: "passed"}, {Program: "t_a", Category: "broken"}, {Program: "t_b", Category: "xfail"}})
	if tot["passed"] != 1 || tot["broken"] != 1 || tot["xfail"] != 1 {
		t.Errorf("totals %v", tot)
	}
	if !strings.Contains(b.String(), "total             3       1       0        0      1       1") {
		t.Errorf("summary:\n%s", b.String())
	}
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, rs []caseResult) string {
		p := filepath.Join(dir, name)
		if err := writeJSON(p, resultsFile{Cases: rs}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.json", []caseResult{
		{Program: "t_clone", Ident: "clone_vm3", Category: "failed"},
		{Program: "t_ptio", Ident: "zero_length_piod_d_read", Category: "failed"},
		{Program: "t_fork", Ident: "fork1", Category: "passed"},
		{Program: "t_fork", Ident: "gone", Category: "passed"},
	})
	b := write("b.json", []caseResult{
		{Program: "t_clone", Ident: "clone_vm3", Category: "passed"},
		{Program: "t_ptio", Ident: "zero_length_piod_d_read", Category: "passed"},
		{Program: "t_fork", Ident: "fork1", Category: "passed"},
	})
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		return code, out.String() + errb.String()
	}
	code, out := run("-compare", a, b)
	if code != 1 || !strings.Contains(out, "DIFF  t_clone:clone_vm3  failed -> passed") || !strings.Contains(out, "t_fork:gone  passed -> -") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out = run("-compare", a, b, "-allow-diff", "t_clone:clone_*,t_ptio:zero_length_*,t_fork:gone")
	if code != 0 || !strings.Contains(out, "3 case(s) differ, 0 of them not allowed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, _ = run("-compare", a, a)
	if code != 0 {
		t.Errorf("identical files: exit %d", code)
	}
	os.WriteFile(filepath.Join(dir, "junk.json"), []byte("{"), 0o644)
	if code, out := run("-compare", a, filepath.Join(dir, "junk.json")); code != 2 || strings.Count(out, "\n") != 1 {
		t.Errorf("bad file: exit %d:\n%s", code, out)
	}
}

// A run's failures come again after the table, reason and stderr whole,
// for the reader of the log's tail; a pass or a skip does not.
func TestRecapFailures(t *testing.T) {
	var long []string
	for i := 0; i < recapLines+5; i++ {
		long = append(long, "line "+strings.Repeat("x", i))
	}
	rs := []caseResult{
		{Program: "t_a", Ident: "ok", Category: atf.Passed},
		{Program: "t_a", Ident: "bad", Category: atf.Failed, Reason: "SIGSTOP not SIGTRAP", Stderr: long},
		{Program: "t_b", Ident: "lost", Category: atf.Broken, Reason: "timed out"},
		{Program: "t_b", Ident: "skip", Category: atf.Skipped, Reason: "no PT_SETSTEP"},
	}
	var b bytes.Buffer
	recapFailures(&b, rs)
	got := b.String()
	for _, want := range []string{"FAILED t_a:bad: SIGSTOP not SIGTRAP\n", "BROKEN t_b:lost: timed out\n", "    " + long[len(long)-1] + "\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("recap lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "ok") || strings.Contains(got, "skip") || strings.Contains(got, long[0]+"\n") {
		t.Errorf("recap has a passed or skipped case, or more than %d stderr lines:\n%s", recapLines, got)
	}
	if n := strings.Count(got, "\n"); n != 2+recapLines {
		t.Errorf("recap has %d lines, want %d:\n%s", n, 2+recapLines, got)
	}
}
