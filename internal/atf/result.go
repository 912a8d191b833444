package atf

import (
	"fmt"
	"strconv"
	"strings"
)

// Categories of a final result, as kyua reports them: every expected_* result
// that holds is "xfail" (kyua's expected_failure).
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
	XFail   = "xfail"
	Broken  = "broken"
)

// Result is a final result: a category and a one-line reason (empty for passed).
type Result struct {
	Category string
	Reason   string
}

// RawResult is the content of a result file.
type RawResult struct {
	Status string // passed, failed, skipped, expected_failure, ... broken
	Arg    int    // the N of expected_exit(N) / expected_signal(N)
	HasArg bool
	Reason string
}

// ParseResultFile parses a result file with kyua's rules (atf_result::parse):
// exactly one newline-terminated line, "passed" alone, every other status
// followed by ": " and a non-empty reason. A file that breaks a rule is
// returned as a broken result, as kyua does.
func ParseResultFile(content string) RawResult {
	broken := func(why string) RawResult { return RawResult{Status: "broken", Reason: why} }
	if content == "" || !strings.HasSuffix(content, "\n") {
		return broken("Empty test result or no new line")
	}
	line := strings.TrimSuffix(content, "\n")
	if strings.Contains(line, "\n") {
		return broken("Test result contains multiple lines: " + strings.ReplaceAll(line, "\n", "<<NEWLINE>>"))
	}
	if strings.HasPrefix(line, "passed") && line != "passed" {
		return broken("passed cannot have a reason") // also "passed\r" of a CRLF file
	}
	status, rest := line, ""
	if i := strings.IndexAny(line, ":("); i >= 0 {
		status, rest = line[:i], line[i:]
	}
	switch status {
	case "passed":
		if rest != "" || line != "passed" {
			return broken("passed cannot have a reason")
		}
		return RawResult{Status: status}
	case "failed", "skipped", "expected_failure", "expected_death", "expected_timeout", "broken":
		if strings.HasPrefix(rest, "(") || !strings.HasPrefix(rest, ": ") || len(rest) <= 2 {
			return broken(status + " must be followed by ': <reason>'")
		}
		return RawResult{Status: status, Reason: rest[2:]}
	case "expected_exit", "expected_signal":
		r := RawResult{Status: status}
		if strings.HasPrefix(rest, "(") {
			end := strings.Index(rest, ")")
			if end < 0 {
				return broken(fmt.Sprintf("Invalid format for '%s' test case result; must be followed by '[(num)]: <reason>' but found '%s'", status, rest))
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil {
				return broken(fmt.Sprintf("Invalid integer argument '%s' to '%s' test case result", rest[1:end], status))
			}
			r.Arg, r.HasArg = n, true
			rest = rest[end+1:]
		}
		if !strings.HasPrefix(rest, ": ") || len(rest) <= 2 {
			return broken(fmt.Sprintf("Invalid format for '%s' test case result; must be followed by '[(num)]: <reason>' but found '%s'", status, rest))
		}
		r.Reason = rest[2:]
		return r
	}
	return broken(fmt.Sprintf("Unknown test result '%s'", status))
}

// Termination is how a body (or cleanup) process ended.
type Termination struct {
	TimedOut bool // killed by the runner at the case's timeout
	Signaled bool // died of a signal (Signal set)
	Signal   int
	Core     bool // the signal dumped core
	Code     int  // exit code when neither TimedOut nor Signaled
}

func (t Termination) describe() string {
	if t.Signaled {
		s := fmt.Sprintf("received signal %d", t.Signal)
		if t.Core {
			s += " (core dumped)"
		}
		return s
	}
	return fmt.Sprintf("exited with code %d", t.Code)
}

func (t Termination) success() bool { return !t.TimedOut && !t.Signaled && t.Code == 0 }

// Apply computes the final result of a body from its result file (nil when
// the body wrote none) and its termination, as kyua's atf_result::apply does.
func Apply(raw *RawResult, t Termination) Result {
	if raw == nil {
		if t.TimedOut {
			return Result{Broken, "Test case body timed out"}
		}
		return Result{Broken, "Premature exit; test case " + t.describe()}
	}
	if t.TimedOut && raw.Status != "expected_timeout" {
		return Result{Broken, "Test case body timed out"}
	}
	switch raw.Status {
	case "broken":
		return Result{Broken, raw.Reason}
	case "passed":
		if t.success() {
			return Result{Passed, ""}
		}
		return Result{Broken, "Passed test case should have reported success but " + t.describe()}
	case "failed":
		if !t.Signaled && t.Code == 1 {
			return Result{Failed, raw.Reason}
		}
		return Result{Broken, "Failed test case should have reported failure but " + t.describe()}
	case "skipped":
		if t.success() {
			return Result{Skipped, raw.Reason}
		}
		return Result{Broken, "Skipped test case should have reported success but " + t.describe()}
	case "expected_failure":
		if t.success() {
			return Result{XFail, raw.Reason}
		}
		return Result{Broken, "Expected failure should have reported success but " + t.describe()}
	case "expected_exit":
		if t.Signaled {
			return Result{Broken, "Expected clean exit but " + t.describe()}
		}
		if raw.HasArg && t.Code != raw.Arg {
			return Result{Failed, fmt.Sprintf("Test case expected to exit with code %d but got code %d", raw.Arg, t.Code)}
		}
		return Result{XFail, raw.Reason}
	case "expected_signal":
		if !t.Signaled {
			return Result{Broken, "Expected signal but " + t.describe()}
		}
		if raw.HasArg && t.Signal != raw.Arg {
			return Result{Failed, fmt.Sprintf("Test case expected to receive signal %d but got %d", raw.Arg, t.Signal)}
		}
		return Result{XFail, raw.Reason}
	case "expected_death":
		return Result{XFail, raw.Reason}
	case "expected_timeout":
		if t.TimedOut {
			return Result{XFail, raw.Reason}
		}
		return Result{Broken, "Expected timeout but " + t.describe()}
	}
	return Result{Broken, fmt.Sprintf("Unknown test result '%s'", raw.Status)}
}

// ApplyCleanup folds the cleanup part's termination into a body's final
// result: a good body result (passed, skipped, xfail) becomes broken when the
// cleanup did not exit 0 or timed out; a failed or broken result is kept.
func ApplyCleanup(body Result, cleanup Termination) Result {
	if body.Category == Failed || body.Category == Broken {
		return body
	}
	if cleanup.TimedOut {
		return Result{Broken, "Test case cleanup timed out"}
	}
	if !cleanup.success() {
		return Result{Broken, "Test case cleanup did not terminate successfully"}
	}
	return body
}
