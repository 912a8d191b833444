package main

import (
	"strings"
	"testing"
	"time"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
)

func testPlan() *bootproto.Plan {
	return &bootproto.Plan{Boot: 1, TimeoutScale: 1, Programs: []bootproto.Program{
		{Name: "t_siginfo", Path: "/tests/siginfo/t_siginfo", Cases: []string{"a", "set_unmodified", "c", "d"},
			Expected: []string{"a", "set_unmodified", "c", "d", "abrt"}, Unlisted: []string{"*"}},
	}}
}

func feed(s *session, console string) []event {
	var evs []event
	for _, l := range strings.Split(console, "\n") {
		evs = append(evs, s.line(l))
	}
	return evs
}

// A panic in the middle of a case, on a console with CRLF line ends and
// kernel text around the frames.
func TestSessionPanic(t *testing.T) {
	plan := testPlan()
	s := newSession(1, plan)
	console := strings.Join([]string{
		"NetBSD 8.99.25 (LAB) #0: ...",
		"root on cd0d dumps on cd0b",
		"@@ptq hello boot=1 cases=4",
		"@@ptq listing t_siginfo ok 4",
		"@@ptq start t_siginfo:a timeout=45",
		"@@ptq result t_siginfo:a passed 0.250s",
		"@@ptq start t_siginfo:set_unmodified timeout=45",
		"[ 31.0] panic: lock error: Mutex: mutex_vector_enter,564: locking against myself",
		"cpu0: Begin traceback...",
		"rebooting...",
	}, "\r\n")
	evs := feed(s, console)
	want := map[event]int{evHello: 1, evStart: 2, evResult: 1, evPanic: 1}
	got := map[event]int{}
	for _, e := range evs {
		got[e]++
	}
	for e, n := range want {
		if got[e] != n {
			t.Errorf("event %d: %d times, want %d", e, got[e], n)
		}
	}
	s.finish(endExited, time.Now())
	if len(s.results) != 2 {
		t.Fatalf("results %+v", s.results)
	}
	r := s.results[1]
	if r.Ident != "set_unmodified" || r.Category != atf.Broken ||
		r.Reason != "kernel panic: lock error: Mutex: mutex_vector_enter,564: locking against myself" {
		t.Errorf("panicked case: %+v", r)
	}
	rem := s.remaining(plan)
	if len(rem) != 1 || strings.Join(rem[0].Cases, ",") != "c,d" {
		t.Errorf("remaining %+v", rem)
	}
}

func TestSessionHang(t *testing.T) {
	s := newSession(1, testPlan())
	feed(s, "@@ptq hello boot=1 cases=4\n@@ptq start t_siginfo:a timeout=45")
	s.startedAt = time.Now().Add(-105 * time.Second)
	s.finish(endHang, time.Now())
	if len(s.results) != 1 || s.results[0].Reason != "kernel hang: no result within 105 s" {
		t.Errorf("got %+v", s.results)
	}
}

func TestSessionOutputAndDone(t *testing.T) {
	plan := testPlan()
	s := newSession(1, plan)
	feed(s, strings.Join([]string{
		"@@ptq hello boot=1 cases=4",
		"@@ptq listing t_siginfo ok 4",
		"@@ptq start t_siginfo:a timeout=45",
		"@@ptq out t_siginfo:a stdout | === RUN TestA",
		"@@ptq out t_siginfo:a stderr | boom",
		"@@ptq out t_siginfo:a stdout |",
		"@@ptq result t_siginfo:a failed 1.500s it broke",
		"@@ptq start t_siginfo:set_unmodified timeout=45",
		"@@ptq result t_siginfo:set_unmodified xfail 0.1s known",
		"@@ptq start t_siginfo:c timeout=45",
		"@@ptq result t_siginfo:c skipped 0.1s no",
		"@@ptq start t_siginfo:d timeout=45",
		"@@ptq result t_siginfo:d broken 0.1s Premature exit; test case exited with code 2",
		"@@ptq result t_other:x passed 0.1s",
		"@@ptq done",
	}, "\n"))
	s.finish(endExited, time.Now())
	if !s.done || len(s.results) != 4 || len(s.remaining(plan)) != 0 {
		t.Fatalf("done=%v results=%+v", s.done, s.results)
	}
	a := s.results[0]
	if a.Seconds != 1.5 || strings.Join(a.Stdout, "|") != "=== RUN TestA|" || strings.Join(a.Stderr, "|") != "boom" {
		t.Errorf("a: %+v", a)
	}
}

// The guest's listing counts: a planned case it lacks is absent (not pending),
// and a case only it has is added when the plan asked for such cases.
func TestSessionListingDiffers(t *testing.T) {
	plan := testPlan()
	plan.Programs[0].Cases = append(plan.Programs[0].Cases, "abrt")
	s := newSession(1, plan)
	feed(s, "@@ptq hello boot=1 cases=5\n@@ptq listing t_siginfo differs 5 only-netbsd=iot only-host=abrt\n@@ptq start t_siginfo:a timeout=45\n@@ptq result t_siginfo:a passed 0.1s")
	s.finish(endExited, time.Now())
	if strings.Join(s.absent["t_siginfo"], ",") != "abrt" {
		t.Errorf("absent %v", s.absent)
	}
	rem := s.remaining(plan)
	if len(rem) != 1 || strings.Join(rem[0].Cases, ",") != "set_unmodified,c,d,iot" {
		t.Errorf("remaining %+v", rem)
	}
}

// A result frame cut by kernel output: the next start frame makes the case
// broken instead of running it again.
func TestSessionLostResult(t *testing.T) {
	s := newSession(1, testPlan())
	feed(s, "@@ptq start t_siginfo:a timeout=45\n@@ptq resuXXlt t_siginfo:a passed\n@@ptq start t_siginfo:c timeout=45\n@@ptq result t_siginfo:c passed 0.1s")
	if len(s.results) != 2 || s.results[0].Category != atf.Broken || len(s.bad) != 1 {
		t.Errorf("results %+v bad %v", s.results, s.bad)
	}
}
