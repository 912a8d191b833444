package atf

import (
	"strings"
	"testing"
	"time"
)

const goodListing = `Content-Type: application/X-atf-tp; version="1"

ident: fork1
descr: a fork is reported
has.cleanup: false
timeout: 30

ident: needs_var
require.config: racy other
require.user: root
X-custom: yes

ident: with_cleanup
has.cleanup: true
`

func TestParseListing(t *testing.T) {
	cases, err := ParseListing(goodListing)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 3 {
		t.Fatalf("got %d cases", len(cases))
	}
	if c := cases[0]; c.Ident != "fork1" || c.Timeout != 30*time.Second || c.HasCleanup {
		t.Errorf("fork1: %+v", c)
	}
	if c := cases[1]; c.Timeout != DefaultTimeout || strings.Join(c.RequireConfig, " ") != "racy other" || c.RequireUser != "root" {
		t.Errorf("needs_var: %+v", c)
	}
	if !cases[2].HasCleanup {
		t.Errorf("with_cleanup: %+v", cases[2])
	}
}

func TestParseListingRejects(t *testing.T) {
	h := ListingHeader + "\n\n"
	for name, in := range map[string]string{
		"crlf header":      strings.Replace(goodListing, "\"1\"\n", "\"1\"\r\n", 1),
		"no blank line":    ListingHeader + "\nident: a\n",
		"no newline":       h + "ident: a",
		"ident not first":  h + "descr: x\nident: a\n",
		"two blank lines":  h + "ident: a\n\n\nident: b\n",
		"trailing blank":   h + "ident: a\n\n",
		"unknown property": h + "ident: a\nfoo: bar\n",
		"diskspace":        h + "ident: a\nrequire.diskspace: 1\n",
		"duplicate prop":   h + "ident: a\ndescr: x\ndescr: y\n",
		"duplicate ident":  h + "ident: a\n\nident: a\n",
		"bad timeout":      h + "ident: a\ntimeout: abc\n",
		"bad cleanup":      h + "ident: a\nhas.cleanup: yes\n",
		"bad user":         h + "ident: a\nrequire.user: bob\n",
		"no colon space":   h + "ident: a\ndescr:x\n",
		"no cases":         h,
		"lower x-":         h + "ident: a\nx-foo: 1\n",
	} {
		if _, err := ParseListing(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseResultFile(t *testing.T) {
	for _, tc := range []struct {
		in     string
		status string
		reason string
		arg    int
	}{
		{"passed\n", "passed", "", 0},
		{"failed: it broke\n", "failed", "it broke", 0},
		{"skipped: no\n", "skipped", "no", 0},
		{"expected_failure: known: boom\n", "expected_failure", "known: boom", 0},
		{"expected_exit(3): x\n", "expected_exit", "x", 3},
		{"expected_signal: y\n", "expected_signal", "y", 0},
		{"broken: self\n", "broken", "self", 0},
		{"passed", "broken", "Empty test result or no new line", 0},
		{"", "broken", "Empty test result or no new line", 0},
		{"passed\n\n", "broken", "Test result contains multiple lines: passed<<NEWLINE>>", 0},
		{"failed: a\nb\n", "broken", "Test result contains multiple lines: failed: a<<NEWLINE>>b", 0},
		{"passed: yay\n", "broken", "passed cannot have a reason", 0},
		{"passed\r\n", "broken", "passed cannot have a reason", 0},
		{"failed\n", "broken", "failed must be followed by ': <reason>'", 0},
		{"failed: \n", "broken", "failed must be followed by ': <reason>'", 0},
		{"failed:x\n", "broken", "failed must be followed by ': <reason>'", 0},
		{"excellent\n", "broken", "Unknown test result 'excellent'", 0},
		{"expected_exit(abc): x\n", "broken", "Invalid integer argument 'abc' to 'expected_exit' test case result", 0},
		{"expected_exit\n", "broken", "Invalid format for 'expected_exit' test case result; must be followed by '[(num)]: <reason>' but found ''", 0},
	} {
		got := ParseResultFile(tc.in)
		if got.Status != tc.status || got.Reason != tc.reason || got.Arg != tc.arg {
			t.Errorf("%q: got %+v, want %s %q %d", tc.in, got, tc.status, tc.reason, tc.arg)
		}
	}
}

// TestApply is the table of atf_result::apply (atf-protocol.md §5).
func TestApply(t *testing.T) {
	exit := func(c int) Termination { return Termination{Code: c} }
	sig := func(s int) Termination { return Termination{Signaled: true, Signal: s} }
	timeout := Termination{TimedOut: true, Signaled: true, Signal: 9}
	raw := func(s string) *RawResult { r := ParseResultFile(s); return &r }
	for _, tc := range []struct {
		raw  *RawResult
		term Termination
		want Result
	}{
		{raw("passed\n"), exit(0), Result{Passed, ""}},
		{raw("passed\n"), exit(1), Result{Broken, "Passed test case should have reported success but exited with code 1"}},
		{raw("passed\n"), sig(11), Result{Broken, "Passed test case should have reported success but received signal 11"}},
		{raw("failed: x\n"), exit(1), Result{Failed, "x"}},
		{raw("failed: x\n"), exit(2), Result{Broken, "Failed test case should have reported failure but exited with code 2"}},
		{raw("failed: x\n"), exit(0), Result{Broken, "Failed test case should have reported failure but exited with code 0"}},
		{raw("skipped: x\n"), exit(0), Result{Skipped, "x"}},
		{raw("skipped: x\n"), exit(1), Result{Broken, "Skipped test case should have reported success but exited with code 1"}},
		{raw("expected_failure: x\n"), exit(0), Result{XFail, "x"}},
		{raw("expected_failure: x\n"), exit(1), Result{Broken, "Expected failure should have reported success but exited with code 1"}},
		{raw("expected_exit(3): x\n"), exit(3), Result{XFail, "x"}},
		{raw("expected_exit(3): x\n"), exit(4), Result{Failed, "Test case expected to exit with code 3 but got code 4"}},
		{raw("expected_exit: x\n"), exit(4), Result{XFail, "x"}},
		{raw("expected_exit: x\n"), sig(9), Result{Broken, "Expected clean exit but received signal 9"}},
		{raw("expected_signal(9): x\n"), sig(9), Result{XFail, "x"}},
		{raw("expected_signal(9): x\n"), sig(15), Result{Failed, "Test case expected to receive signal 9 but got 15"}},
		{raw("expected_signal: x\n"), exit(0), Result{Broken, "Expected signal but exited with code 0"}},
		{raw("expected_death: x\n"), exit(7), Result{XFail, "x"}},
		{raw("expected_death: x\n"), sig(6), Result{XFail, "x"}},
		{raw("expected_timeout: x\n"), timeout, Result{XFail, "x"}},
		{raw("expected_timeout: x\n"), exit(0), Result{Broken, "Expected timeout but exited with code 0"}},
		{raw("broken: why\n"), exit(0), Result{Broken, "why"}},
		{raw("passed\n"), timeout, Result{Broken, "Test case body timed out"}},
		{raw("failed: x\n"), timeout, Result{Broken, "Test case body timed out"}},
		{nil, timeout, Result{Broken, "Test case body timed out"}},
		{nil, exit(2), Result{Broken, "Premature exit; test case exited with code 2"}},
		{nil, Termination{Signaled: true, Signal: 11, Core: true}, Result{Broken, "Premature exit; test case received signal 11 (core dumped)"}},
		{raw("passed"), exit(0), Result{Broken, "Empty test result or no new line"}},
	} {
		if got := Apply(tc.raw, tc.term); got != tc.want {
			name := "<none>"
			if tc.raw != nil {
				name = tc.raw.Status + ": " + tc.raw.Reason
			}
			t.Errorf("%s + %+v: got %+v, want %+v", name, tc.term, got, tc.want)
		}
	}
}

func TestApplyCleanup(t *testing.T) {
	good := Result{Passed, ""}
	if got := ApplyCleanup(good, Termination{Code: 1}); got != (Result{Broken, "Test case cleanup did not terminate successfully"}) {
		t.Errorf("failed cleanup: %+v", got)
	}
	if got := ApplyCleanup(Result{Skipped, "s"}, Termination{TimedOut: true}); got != (Result{Broken, "Test case cleanup timed out"}) {
		t.Errorf("cleanup timeout: %+v", got)
	}
	if got := ApplyCleanup(Result{Failed, "f"}, Termination{Code: 1}); got != (Result{Failed, "f"}) {
		t.Errorf("failed body kept: %+v", got)
	}
	if got := ApplyCleanup(good, Termination{}); got != good {
		t.Errorf("good cleanup: %+v", got)
	}
}
