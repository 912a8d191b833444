package ptio

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ptracesuite/atfshim"
	"ptracesuite/internal/expect"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

const caseTimeout = 30 * time.Second

// stopped is the "memory" scenario held at its ready point.
type stopped struct {
	tr                         *tracer.Tracer
	p                          *tracer.Proc
	base, hole, eof, txt, trap uintptr
	page, lwp                  int
}

func spawnMemory(t *atfshim.T) *stopped {
	tr := tracer.New(t)
	p := tr.Spawn("memory")
	s := &stopped{tr: tr, p: p, page: p.ReportInt("page"), lwp: p.ReportInt("lwp")}
	for k, dst := range map[string]*uintptr{"base": &s.base, "hole": &s.hole, "eof": &s.eof, "text": &s.txt, "trap": &s.trap} {
		v, err := strconv.ParseUint(p.Report(k), 10, 64)
		if err != nil {
			t.Fatalf("tracee reported %s=%q: %v", k, p.Report(k), err)
		}
		*dst = uintptr(v)
	}
	return s
}

// finish continues the scenario, returns what it reported about its memory
// afterwards, and checks that it exits 0.
func (s *stopped) finish(t *atfshim.T) (head, edge, text []byte) {
	s.tr.Cont(s.p.Pid, 0)
	head, edge, text = s.hex(t, "head"), s.hex(t, "edge"), s.hex(t, "text_after")
	expect.Same(t, "the tracee must run on to exit 0 after the memory requests", tracer.Event{Kind: tracer.Exited}, s.tr.Wait(s.p.Pid))
	return head, edge, text
}

func (s *stopped) hex(t *atfshim.T, key string) []byte {
	b, err := hex.DecodeString(s.p.Report(key))
	if err != nil {
		t.Fatalf("tracee reported %s: %v", key, err)
	}
	return b
}

// read and write fail the case when the kernel refuses or moves less.
func (s *stopped) read(t *atfshim.T, m tracer.Mem, addr uintptr, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	got, err := s.tr.TryReadMem(s.p.Pid, m, addr, b)
	if err != nil || got != n {
		t.Fatalf("%s of %d bytes at %#x: got %d bytes, error %v; want %d bytes", m.Name(false), n, addr, got, err, n)
	}
	return b
}

func (s *stopped) write(t *atfshim.T, m tracer.Mem, addr uintptr, b []byte) {
	t.Helper()
	got, err := s.tr.TryWriteMem(s.p.Pid, m, addr, b)
	if err != nil || got != len(b) {
		t.Fatalf("%s of %d bytes at %#x: got %d bytes, error %v; want %d bytes", m.Name(true), len(b), addr, got, err, len(b))
	}
}

// method is one way of moving memory, named as in case idents.
type method struct {
	name string
	m    tracer.Mem
}

var (
	piodD     = method{"piod_d", tracer.MemPIOD}
	piodI     = method{"piod_i", tracer.MemPIOI}
	wordD     = method{"pt_d", tracer.MemWordD}
	wordI     = method{"pt_i", tracer.MemWordI}
	processVM = method{"process_vm", tracer.MemVM}
	procMem   = method{"proc_mem", tracer.MemProcMem}

	// bulk are the requests that take a length; words the one-word ones.
	bulk  = []method{piodD, piodI, processVM, procMem}
	words = []method{wordD, wordI}
	all   = append(append([]method{}, bulk...), words...)
)

var _ = semantics.Add(func() []semantics.Row {
	var cases []string
	for _, m := range all {
		cases = append(cases, m.name)
	}
	return []semantics.Row{semantics.Both("every case named by a method: "+strings.Join(cases, ", "),
		"the memory requests, by the method in the case's name", "methods; tracer.MemMissingOn",
		func(k string) string {
			var parts []string
			for _, m := range all {
				if why := tracer.MemMissingOn(k, m.m); why != "" {
					parts = append(parts, m.name+": none (the case skips): "+why)
				} else {
					parts = append(parts, m.name+": "+m.m.NameOn(k, false)+"/"+m.m.NameOn(k, true))
				}
			}
			return strings.Join(parts, "\n")
		})}
})

func requireMem(t *atfshim.T, m method) {
	if why := tracer.MemMissing(m.m); why != "" {
		t.Skipf("%s", why)
	}
}

// dir is a transfer direction.
type dir struct {
	name  string
	write bool
}

var dirs = []dir{{"read", false}, {"write", true}}

// family is a table of cases over methods × directions, as NetBSD's suite
// multiplies them: one ATF case per (method, direction).
type family struct {
	methods []method
	ident   func(m method, d dir) string
	descr   func(m method, d dir) string
}

func (f family) declare(test func(*testing.T)) {
	for _, m := range f.methods {
		for _, d := range dirs {
			atfshim.DeclareSub(test, f.ident(m, d), atfshim.Meta{Descr: f.descr(m, d), Timeout: caseTimeout})
		}
	}
}

// run runs body for each case; a method this kernel lacks skips naming it.
func (f family) run(t *testing.T, body func(t *atfshim.T, m method, d dir)) {
	for _, m := range f.methods {
		for _, d := range dirs {
			atfshim.RunSub(t, f.ident(m, d), func(t *atfshim.T) {
				requireMem(t, m)
				body(t, m, d)
			})
		}
	}
}

// try is one read or write of buf at addr and what the kernel said.
func (s *stopped) try(m method, d dir, addr uintptr, buf []byte) outcome {
	if d.write {
		return outcomeOf(s.tr.TryWriteMem(s.p.Pid, m.m, addr, buf))
	}
	return outcomeOf(s.tr.TryReadMem(s.p.Pid, m.m, addr, buf))
}

// outcome is what one request did: bytes moved, or the kernel's errno.
type outcome struct {
	N     int
	Errno syscall.Errno
	Fails bool // any error (where the kernel's errno is not pinned down)
}

func outcomeOf(n int, err error) outcome {
	var e syscall.Errno
	if errors.As(err, &e) {
		return outcome{Errno: e, Fails: true}
	}
	if err != nil {
		return outcome{Fails: true}
	}
	return outcome{N: n}
}

func (o outcome) String() string {
	if o.Fails {
		if o.Errno != 0 {
			return "-1/" + errName(o.Errno)
		}
		return "-1"
	}
	return strconv.Itoa(o.N) + " bytes"
}

func errName(e syscall.Errno) string {
	for n, v := range map[string]syscall.Errno{"EINVAL": syscall.EINVAL, "EFAULT": syscall.EFAULT, "EIO": syscall.EIO,
		"EPERM": syscall.EPERM, "EACCES": syscall.EACCES, "ESRCH": syscall.ESRCH} {
		if v == e {
			return n
		}
	}
	return e.Error()
}

// matches: a rule with Errno 0 and Fails accepts any error.
func (o outcome) matches(want outcome) bool {
	if want.Fails {
		return o.Fails && (want.Errno == 0 || o.Errno == want.Errno)
	}
	return !o.Fails && o.N == want.N
}

func mustEqual(t *atfshim.T, what string, want, got []byte) {
	t.Helper()
	if !bytes.Equal(want, got) {
		t.Errorf("%s: want % x, got % x", what, want, got)
	}
}
