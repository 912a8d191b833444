package atfshim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"unicode"
)

// ATF result statuses this package writes (§4). The expect_exit/signal/
// death/timeout family is not offered: those must be written the moment
// they are declared, and nothing here needs them.
const (
	statusPassed          = "passed"
	statusFailed          = "failed"
	statusSkipped         = "skipped"
	statusExpectedFailure = "expected_failure"
)

// noMessage stands in for an empty reason: kyua reports `failed: ` and
// `failed` as broken (§4).
const noMessage = "(no message)"

// result is one ATF test case result.
type result struct {
	status string
	reason string // ignored for passed
}

// line is the result file's single line, newline included (§4): `passed`
// takes no reason, every other status a non-empty single-line one. A reason
// that goes on past its first line keeps only that line here, marked
// continuedMark; finish writes the rest to stderr (the case's log).
func (r result) line() string {
	if r.status == statusPassed {
		return statusPassed + "\n"
	}
	first, rest := splitReason(r.reason)
	if rest != "" {
		first += continuedMark
	}
	return r.status + ": " + first + "\n"
}

// overflow is what of the reason does not fit on the result line: every
// line after its first ("" for a single-line reason or a passed result).
func (r result) overflow() string {
	if r.status == statusPassed {
		return ""
	}
	_, rest := splitReason(r.reason)
	return rest
}

// continuedMark ends a result line whose reason went on: kyua reads the
// result file as one line (a newline in it would show as <<NEWLINE>>), so
// the rest goes to stderr, which kyua keeps as the case's log.
const continuedMark = " [reason continued on stderr]"

// exitCode is what kyua requires with each result (§5): failed must exit
// exactly 1, passed/skipped/expected_failure exactly 0.
func (r result) exitCode() int {
	if r.status == statusFailed {
		return 1
	}
	return 0
}

// splitReason is the backstop that keeps every reason on one line: first
// is the reason's first non-blank line, made printable (control characters
// become spaces), or noMessage; rest is what followed it without its blank
// lines at either end but with its indentation ("" if nothing did).
func splitReason(s string) (first, rest string) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	first, rest, _ = strings.Cut(s, "\n")
	first = strings.TrimSpace(printable(first))
	if first == "" {
		first = noMessage
	}
	lines := strings.Split(strings.TrimRightFunc(rest, unicode.IsSpace), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	return first, strings.Join(lines, "\n")
}

// flatten makes s a non-empty single line for errorf's one-line messages on
// stderr: newlines become kyua's own <<NEWLINE>> marker and other control
// characters spaces (§4). Result lines use splitReason instead.
func flatten(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return noMessage
	}
	s = printable(strings.ReplaceAll(s, "\r\n", "\n"))
	return strings.ReplaceAll(s, "\n", "<<NEWLINE>>")
}

// printable turns the control characters of s but newlines into spaces.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// overflowOut is where finish writes a reason's overflow (a variable for
// the tests).
var overflowOut io.Writer = os.Stderr

// resultSink is where the body's result goes: the -r file, opened before
// the body runs, or stdout without -r (§1). Exactly one result is written,
// whichever of the normal end and the timeout watchdog's hard exit comes
// first.
type resultSink struct {
	mu      sync.Mutex
	w       io.Writer
	name    string
	written bool
}

// openResultFile creates or truncates path up front, so an unwritable -r
// is reported before the body runs (§12 item 9); "" means stdout.
func openResultFile(path string) (*resultSink, error) {
	if path == "" {
		return &resultSink{w: os.Stdout, name: "stdout"}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot create results file: %w", err)
	}
	return &resultSink{w: f, name: path}, nil
}

// finish writes r and returns the exit status that goes with it (1 if the
// write fails: kyua then reports the missing result as broken, the best
// available outcome). Only the first call writes; later ones return
// won=false and must not exit on their own account.
func (s *resultSink) finish(r result) (code int, won bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.written {
		return 0, false
	}
	s.written = true
	if rest := r.overflow(); rest != "" {
		fmt.Fprintf(overflowOut, "%s: the %s reason went on past its first line, which is the result:\n%s\n", progName, r.status, rest)
	}
	_, err := io.WriteString(s.w, r.line())
	if f, isFile := s.w.(*os.File); isFile && f != os.Stdout {
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		errorf("writing result to %s: %v", s.name, err)
		return 1, true
	}
	return r.exitCode(), true
}
