package bootproto

import (
	"ptracesuite/internal/atf"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFrameRoundTrip(t *testing.T) {
	for _, f := range []Frame{
		{Kind: KindHello, Boot: 3, Cases: 40},
		{Kind: KindListing, Program: "t_fork", Listing: "ok", Count: 60},
		{Kind: KindListing, Program: "t_siginfo", Listing: "differs", Count: 90, OnlyGuest: []string{"a", "b"}, OnlyHost: []string{"c"}},
		{Kind: KindListing, Program: "t_siginfo", Listing: "differs", Count: 90, OnlyHost: []string{"c"}},
		{Kind: KindListing, Program: "t_x", Listing: "failed", Reason: "Test case list wrote to stderr: boo"},
		{Kind: KindStart, Case: "t_fork:fork1", Timeout: 30 * time.Second},
		{Kind: KindStart, Case: "t_fork:fork1", Timeout: 1500 * time.Millisecond, Cleanup: 60 * time.Second},
		{Kind: KindOut, Case: "t_fork:fork1", Stream: "stderr", Text: "  indented | with bar"},
		{Kind: KindOut, Case: "t_fork:fork1", Stream: "stdout", Text: ""},
		{Kind: KindResult, Case: "t_fork:fork1", Category: atf.Passed, Elapsed: 412 * time.Millisecond},
		{Kind: KindResult, Case: "t_fork:fork2", Category: atf.Failed, Elapsed: 2 * time.Second, Reason: "reports differ: a b"},
		{Kind: KindError, Reason: "mount tmpfs on /tmp: EINVAL"},
		{Kind: KindDone},
	} {
		line := f.Line()
		got, ok, err := ParseFrame(line)
		if !ok || err != nil {
			t.Errorf("%q: ok=%v err=%v", line, ok, err)
			continue
		}
		if !reflect.DeepEqual(got, f) {
			t.Errorf("%q:\n got %+v\nwant %+v", line, got, f)
		}
	}
}

func TestFrameAfterKernelText(t *testing.T) {
	f, ok, err := ParseFrame("[ 12.3] some kernel text@@ptq result t_a:b failed 1.000s x")
	if !ok || err != nil || f.Case != "t_a:b" || f.Reason != "x" {
		t.Fatalf("got %+v %v %v", f, ok, err)
	}
}

func TestMalformedFrames(t *testing.T) {
	for _, l := range []string{
		"@@ptq result t_a:b",
		"@@ptq result t_a:b excellent 1.0s",
		"@@ptq result t_a:b passed 1.0",
		"@@ptq start t_a:b",
		"@@ptq start nocolon timeout=3",
		"@@ptq out t_a:b stdin | x",
		"@@ptq hello boot=x",
		"@@ptq done now",
		"@@ptq bogus",
	} {
		if _, ok, err := ParseFrame(l); !ok || err == nil {
			t.Errorf("%q: ok=%v err=%v, want a malformed frame", l, ok, err)
		}
	}
	if _, ok, _ := ParseFrame("plain kernel line"); ok {
		t.Error("a plain line is not a frame")
	}
}

func TestOneLine(t *testing.T) {
	in := "a\r\nb\x1b[0m\tc"
	got := OneLine(in)
	if strings.ContainsAny(got, "\r\n\x1b") || got != `a\x0d\x0ab\x1b[0m`+"\tc" {
		t.Errorf("OneLine(%q) = %q", in, got)
	}
	// A frame cannot be forged through carried text.
	f := Frame{Kind: KindOut, Case: "t_a:b", Stream: "stdout", Text: "x\n@@ptq done"}
	if strings.Count(f.Line(), "\n") != 0 {
		t.Errorf("line end in %q", f.Line())
	}
}

func TestPanicMessage(t *testing.T) {
	msg, ok := PanicMessage("panic: lock error: Mutex: mutex_vector_enter,564: locking against myself\r")
	if !ok || msg != "lock error: Mutex: mutex_vector_enter,564: locking against myself" {
		t.Errorf("got %q %v", msg, ok)
	}
	msg, ok = PanicMessage("[   6.9364637] panic: lock error: Mutex: x")
	if !ok || msg != "lock error: Mutex: x" {
		t.Errorf("stamped: got %q %v", msg, ok)
	}
	for _, l := range []string{"cpu0: Begin traceback...", "goroutine 1: panic: runtime error", "  panic: x"} {
		if _, ok := PanicMessage(l); ok {
			t.Errorf("%q is not the kernel's panic line", l)
		}
	}
}

func TestPlanRoundTrip(t *testing.T) {
	p := &Plan{Boot: 2, TimeoutScale: 1.5, Vars: []Var{{Name: "a", Value: "1"}, {Name: "b", Value: "x=y z"}},
		Programs: []Program{{Name: "t_fork", Path: "/tests/fork/t_fork", Cases: []string{"fork1"}, Expected: []string{"fork1", "fork2"}, Unlisted: []string{"*"}}}}
	b, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodePlan(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) || got.NumCases() != 1 {
		t.Errorf("got %+v", got)
	}
	if _, err := DecodePlan([]byte(`{"vars":[{"name":"b"},{"name":"a"}]}`)); err == nil {
		t.Error("unsorted vars accepted")
	}
	if _, err := DecodePlan([]byte(`{"programs":[{"name":"t"}]}`)); err == nil {
		t.Error("program without path accepted")
	}
}
