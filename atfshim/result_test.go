package atfshim

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFlatten(t *testing.T) {
	tests := map[string]string{
		"":                   noMessage,
		" \n\t":              noMessage,
		"boom":               "boom",
		"a\nb":               "a<<NEWLINE>>b",
		"a\r\nb\n":           "a<<NEWLINE>>b",
		"diff:\n-x\n+y\n":    "diff:<<NEWLINE>>-x<<NEWLINE>>+y",
		"tab\there\rcr\x00z": "tab here cr z",
		"del\x7f\u0085end":   "del  end",
		"unicode ✓ stays":    "unicode ✓ stays",
	}
	for in, want := range tests {
		if got := flatten(in); got != want {
			t.Errorf("flatten(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResultLine(t *testing.T) {
	tests := []struct {
		r    result
		line string
		code int
	}{
		{result{statusPassed, "ignored"}, "passed\n", 0},
		{result{statusFailed, "a\nb"}, "failed: a" + continuedMark + "\n", 1},
		{result{statusExpectedFailure, "PR kern/1: diff (-want +got):\n-x\n+y\n"}, "expected_failure: PR kern/1: diff (-want +got):" + continuedMark + "\n", 0},
		{result{statusFailed, "one line\r\n"}, "failed: one line\n", 1},
		{result{statusFailed, ""}, "failed: (no message)\n", 1},
		{result{statusSkipped, "why"}, "skipped: why\n", 0},
		{result{statusExpectedFailure, "PR kern/1: x: y"}, "expected_failure: PR kern/1: x: y\n", 0},
	}
	for _, tt := range tests {
		if got := tt.r.line(); got != tt.line {
			t.Errorf("%+v.line() = %q, want %q", tt.r, got, tt.line)
		}
		if strings.Count(tt.r.line(), "\n") != 1 {
			t.Errorf("%+v.line() is not exactly one line", tt.r)
		}
		if got := tt.r.exitCode(); got != tt.code {
			t.Errorf("%+v.exitCode() = %d, want %d", tt.r, got, tt.code)
		}
	}
}

func TestSplitReason(t *testing.T) {
	tests := []struct{ in, first, rest string }{
		{"", noMessage, ""},
		{" \n\t", noMessage, ""},
		{"boom", "boom", ""},
		{"a\nb", "a", "b"},
		{"a\r\nb\r\n", "a", "b"},
		{"\n\nlate start\nmore\n\nand more\n", "late start", "more\n\nand more"},
		{"head\n \n\n  indented\n\t\n", "head", "  indented"},
		{"diff (-want +got):\n-x\n+y\n", "diff (-want +got):", "-x\n+y"},
		{"tab\there\rcr\x00z", "tab here cr z", ""},
		{"del\x7f\u0085end", "del  end", ""},
		{"unicode ✓ stays", "unicode ✓ stays", ""},
	}
	for _, tt := range tests {
		first, rest := splitReason(tt.in)
		if first != tt.first || rest != tt.rest {
			t.Errorf("splitReason(%q) = %q, %q, want %q, %q", tt.in, first, rest, tt.first, tt.rest)
		}
	}
}

// A reason with newlines never reaches the result file as more than one
// line: the file keeps its first line, stderr gets the rest.
func TestResultSinkMultiLineReason(t *testing.T) {
	var log strings.Builder
	defer func(w io.Writer) { overflowOut = w }(overflowOut)
	overflowOut = &log
	path := filepath.Join(t.TempDir(), "result")
	s, err := openResultFile(path)
	if err != nil {
		t.Fatal(err)
	}
	reason := "PT_KILL at the crash stop (-want +got):\n  tracer.Event{\n-\tKind: s\"Killed\",\n+\tKind: s\"Stopped\",\n  }\n"
	if code, won := s.finish(result{statusFailed, reason}); code != 1 || !won {
		t.Errorf("finish = %d, %v", code, won)
	}
	b, _ := os.ReadFile(path)
	if want := "failed: PT_KILL at the crash stop (-want +got):" + continuedMark + "\n"; string(b) != want {
		t.Errorf("result file = %q, want %q", b, want)
	}
	if strings.Contains(string(b), "<<NEWLINE>>") {
		t.Errorf("result file has kyua's newline marker: %q", b)
	}
	rest := "  tracer.Event{\n-\tKind: s\"Killed\",\n+\tKind: s\"Stopped\",\n  }"
	if !strings.Contains(log.String(), "failed reason went on past its first line") || !strings.HasSuffix(log.String(), "\n"+rest+"\n") {
		t.Errorf("stderr = %q, want the reason's other lines %q", log.String(), rest)
	}

	// A one-line reason writes nothing to stderr.
	log.Reset()
	s, err = openResultFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s.finish(result{statusSkipped, "why"})
	if b, _ := os.ReadFile(path); string(b) != "skipped: why\n" || log.Len() != 0 {
		t.Errorf("result file = %q, stderr = %q", b, log.String())
	}
}

func TestResultSink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "result")
	if err := os.WriteFile(path, []byte("stale contents\nmore\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := openResultFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Truncated at open, before any body runs.
	if b, _ := os.ReadFile(path); len(b) != 0 {
		t.Errorf("result file not truncated at open: %q", b)
	}
	if code, won := s.finish(result{statusFailed, "x"}); code != 1 || !won {
		t.Errorf("first finish = %d, %v", code, won)
	}
	if _, won := s.finish(result{status: statusPassed}); won {
		t.Error("second finish wrote again")
	}
	if b, _ := os.ReadFile(path); string(b) != "failed: x\n" {
		t.Errorf("result file = %q", b)
	}
	if _, err := openResultFile(filepath.Join(t.TempDir(), "missing", "result")); err == nil {
		t.Error("openResultFile in a missing directory succeeded")
	}
}
