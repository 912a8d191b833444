package main

import (
	"fmt"
	"strings"
	"time"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
)

// caseResult is the final result of one case, as reported.
type caseResult struct {
	Program  string   `json:"program"`
	Ident    string   `json:"ident"`
	Category string   `json:"category"`
	Reason   string   `json:"reason,omitempty"`
	Seconds  float64  `json:"seconds"`
	Boot     int      `json:"boot"`
	Stdout   []string `json:"stdout,omitempty"` // tail of the case's stdout (non-good results)
	Stderr   []string `json:"stderr,omitempty"`
}

func (r caseResult) name() string { return bootproto.CaseName(r.Program, r.Ident) }

// listingNote records that the guest's listing of a program differs from the
// host's.
type listingNote struct {
	Program   string
	OnlyGuest []string
	OnlyHost  []string
	Failed    string
}

// session follows the console of one boot: it turns frames into results and
// remembers what the kernel said, to explain a boot that ended early.
type session struct {
	boot     int
	plan     *bootproto.Plan
	planned  map[string]bool     // cases of this boot's plan, and those the guest added
	extra    map[string][]string // program → cases only the NetBSD listing has, added to this boot
	absent   map[string][]string // program → planned cases the NetBSD listing lacks (not run)
	listedOK map[string]bool     // programs the guest listed (ok or differs)

	hello     bool
	done      bool
	frames    int
	started   string        // the case that started and has no result yet
	startedAt time.Time     // when its start frame arrived
	limit     time.Duration // its body + cleanup limit in the guest
	results   []caseResult
	have      map[string]bool
	out       map[string]*caseResult // output collected for the case that runs
	panicMsg  string                 // first "panic: " line of the kernel
	guestErr  string                 // init's error frame
	listings  []listingNote
	bad       []string // malformed frames
}

func newSession(boot int, plan *bootproto.Plan) *session {
	s := &session{boot: boot, plan: plan, planned: map[string]bool{}, have: map[string]bool{},
		out: map[string]*caseResult{}, extra: map[string][]string{}, absent: map[string][]string{},
		listedOK: map[string]bool{}}
	for _, p := range plan.Programs {
		for _, id := range p.Cases {
			s.planned[bootproto.CaseName(p.Name, id)] = true
		}
	}
	return s
}

// event is what a console line meant to the session's driver.
type event int

const (
	evNone     event = iota
	evHello          // init is up
	evStart          // a case started (watchdog: its timeout)
	evResult         // a case has its result (the last element of results)
	evPanic          // the kernel panicked
	evDone           // the plan is complete
	evGuestErr       // init cannot go on
)

// line feeds one console line (without its line end; a trailing CR is
// removed here) to the session.
func (s *session) line(l string) event {
	l = strings.TrimRight(l, "\r\x00")
	f, ok, err := bootproto.ParseFrame(l)
	if !ok {
		if msg, isPanic := bootproto.PanicMessage(l); isPanic && s.panicMsg == "" {
			s.panicMsg = msg
			return evPanic
		}
		return evNone
	}
	s.frames++
	if err != nil {
		s.bad = append(s.bad, err.Error())
		return evNone
	}
	switch f.Kind {
	case bootproto.KindHello:
		s.hello = true
		return evHello
	case bootproto.KindListing:
		if f.Listing != "failed" {
			s.listedOK[f.Program] = true
		}
		switch f.Listing {
		case "differs":
			s.listings = append(s.listings, listingNote{Program: f.Program, OnlyGuest: f.OnlyGuest, OnlyHost: f.OnlyHost})
			s.reconcileListing(f)
		case "failed":
			s.listings = append(s.listings, listingNote{Program: f.Program, Failed: f.Reason})
		}
	case bootproto.KindStart:
		if s.started != "" && s.started != f.Case {
			// The previous case's result frame was lost (cut by kernel output).
			s.record(s.started, atf.Broken, "runner: the result frame was lost on the console (see the console log)", 0)
		}
		s.started, s.startedAt, s.limit = f.Case, time.Now(), f.Timeout+f.Cleanup
		s.out[f.Case] = &caseResult{}
		return evStart
	case bootproto.KindOut:
		o := s.out[f.Case]
		if o == nil {
			o = &caseResult{}
			s.out[f.Case] = o
		}
		if f.Stream == "stdout" {
			o.Stdout = append(o.Stdout, f.Text)
		} else {
			o.Stderr = append(o.Stderr, f.Text)
		}
	case bootproto.KindResult:
		s.record(f.Case, f.Category, f.Reason, f.Elapsed.Seconds())
		return evResult
	case bootproto.KindError:
		s.guestErr = f.Reason
		return evGuestErr
	case bootproto.KindDone:
		s.done = true
		return evDone
	}
	return evNone
}

// reconcileListing applies the guest's listing, which counts: planned cases
// it lacks will not run (they are absent, not pending), and the cases only it
// has that the plan asked for (Unlisted) will run in this boot.
func (s *session) reconcileListing(f bootproto.Frame) {
	var prog *bootproto.Program
	for i := range s.plan.Programs {
		if s.plan.Programs[i].Name == f.Program {
			prog = &s.plan.Programs[i]
		}
	}
	if prog == nil {
		return
	}
	for _, id := range f.OnlyHost {
		name := bootproto.CaseName(f.Program, id)
		if s.planned[name] && !s.have[name] {
			s.have[name] = true
			s.absent[f.Program] = append(s.absent[f.Program], id)
		}
	}
	for _, id := range f.OnlyGuest {
		name := bootproto.CaseName(f.Program, id)
		if !s.planned[name] && bootproto.MatchAny(prog.Unlisted, id) {
			s.planned[name] = true
			s.extra[f.Program] = append(s.extra[f.Program], id)
		}
	}
}

// record adds a result, once per case; a case not in the plan is ignored
// (a stray frame cannot invent cases).
func (s *session) record(name, category, reason string, seconds float64) {
	if s.have[name] || !s.planned[name] {
		return
	}
	prog, ident, _ := strings.Cut(name, ":")
	r := caseResult{Program: prog, Ident: ident, Category: category, Reason: reason, Seconds: seconds, Boot: s.boot}
	if o := s.out[name]; o != nil {
		r.Stdout, r.Stderr = o.Stdout, o.Stderr
		delete(s.out, name)
	}
	s.results = append(s.results, r)
	s.have[name] = true
	if s.started == name {
		s.started = ""
	}
}

// endKind is why a boot ended.
type endKind int

const (
	endExited   endKind = iota // qemu exited on its own (reboot, panic, crash)
	endHang                    // the host's watchdog killed qemu
	endPanicked                // the kernel panicked (qemu exited or was killed after it)
	endKilled                  // the run was interrupted
)

// finish closes the session when qemu is gone: the case that started and has
// no result is broken, with the kernel's panic message or the hang; it
// the planned cases without a result are left for the next boot.
func (s *session) finish(end endKind, now time.Time) {
	if s.started != "" {
		waited := now.Sub(s.startedAt)
		var reason string
		switch {
		case s.panicMsg != "":
			reason = "kernel panic: " + s.panicMsg
		case end == endHang:
			reason = fmt.Sprintf("kernel hang: no result within %d s", int(waited.Seconds()+0.5))
		default:
			reason = "qemu exited before the case's result, without a panic message (see the console log)"
		}
		s.record(s.started, atf.Broken, reason, waited.Seconds())
	}
}

// remaining lists the planned cases without a result, in plan order.
func (s *session) remaining(plan *bootproto.Plan) []bootproto.Program {
	var out []bootproto.Program
	for _, p := range plan.Programs {
		q := p
		q.Cases = nil
		for _, id := range append(append([]string(nil), p.Cases...), s.extra[p.Name]...) {
			if !s.have[bootproto.CaseName(p.Name, id)] {
				q.Cases = append(q.Cases, id)
			}
		}
		if len(q.Cases) > 0 {
			out = append(out, q)
		}
	}
	return out
}
