package ptio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"unsafe"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// rule returns the kernel's written-down outcome for m, failing the case if
// there is none (a Mem the kernel has must have its row).
func rule(t *atfshim.T, table map[string]map[tracer.Mem]outcome, m method, what string) outcome {
	t.Helper()
	want, ok := table[runtime.GOOS][m.m]
	if !ok {
		t.Fatalf("no expectation written down for %s %s on %s", m.m.Name(false), what, runtime.GOOS)
	}
	return want
}

// zeroFamily: every op with length 0.
var zeroFamily = family{bulk,
	func(m method, d dir) string { return "zero_length_" + m.name + "_" + d.name },
	func(m method, d dir) string {
		return m.m.Name(d.write) + " of length 0: the kernel's rule (NetBSD: -1/EINVAL) and the tracee's memory unchanged"
	}}

func init() { zeroFamily.declare(TestZeroLength) }

// TestZeroLength: NetBSD rejects a zero-length PT_IO with EINVAL for every
// op (its own suite never asserts it); Linux's analogs return 0. Either way
// not a byte moves: the tracer's buffer and the tracee's memory stay as
// they were.
func TestZeroLength(t *testing.T) {
	zeroFamily.run(t, func(t *atfshim.T, m method, d dir) {
		want := rule(t, zeroLength, m, "of length 0")
		s := spawnMemory(t)
		sentinel := bytes.Repeat([]byte{0xee}, 16)
		buf := append([]byte(nil), sentinel...)
		addr := map[bool]uintptr{false: s.base + readAt, true: s.base + writeAt}[d.write]
		if got := s.try(m, d, addr, buf[:0]); !got.matches(want) {
			t.Errorf("%s with length 0: got %v, want %v", m.m.Name(d.write), got, want)
		}
		mustEqual(t, "the tracer's buffer after a zero-length "+m.m.Name(d.write), sentinel, buf)
		head, _, _ := s.finish(t)
		mustEqual(t, "the tracee's memory after a zero-length "+m.m.Name(d.write), originalHead(), head)
	})
}

// originalHead is head as the scenario fills it.
func originalHead() []byte {
	h := make([]byte, headLen)
	for i := range h {
		h[i] = pattern(i)
	}
	for bits, v := range magic {
		copy(h[readAt+sizeSlot[bits]:], encode(v, bits))
	}
	copy(h[minusOne:], bytes.Repeat([]byte{0xff}, 8))
	return h
}

// crossFamily: requests that run into an unmapped page.
var crossFamily = family{bulk,
	func(m method, d dir) string { return "cross_unmapped_" + m.name + "_" + d.name },
	func(m method, d dir) string {
		return m.m.Name(d.write) + " that runs into an unmapped page: the kernel's rule on the bytes done (NetBSD: an error; Linux: the bytes before the hole)"
	}}

func init() { crossFamily.declare(TestCrossUnmapped) }

// TestCrossUnmapped: a request whose second half is in an unmapped page.
// The bytes before the hole are the tracee's and must move correctly when
// the kernel reports them done.
func TestCrossUnmapped(t *testing.T) {
	crossFamily.run(t, func(t *atfshim.T, m method, d dir) {
		want := rule(t, crossing, m, "across into an unmapped page")
		s := spawnMemory(t)
		buf := bytes.Repeat([]byte{0x3c}, 2*crossHalf)
		got := s.try(m, d, s.hole-crossHalf, buf)
		if !got.matches(want) {
			t.Errorf("%s of %d bytes, the last %d unmapped: got %v, want %v", m.m.Name(d.write), 2*crossHalf, crossHalf, got, want)
		}
		if !d.write && !got.Fails {
			off := 2*s.page - crossHalf
			for i := 0; i < got.N; i++ {
				if buf[i] != pattern(off+i) {
					t.Errorf("byte %d of the short read is %#x, the tracee holds %#x", i, buf[i], pattern(off+i))
					break
				}
			}
		}
		s.finish(t)
	})
}

// badFamily: requests wholly inside memory the tracee cannot access;
// NetBSD's bytes_transfer_eof_* and the same on an unmapped page.
func badFamily(b bad) family {
	return family{all,
		func(m method, d dir) string { return "bytes_transfer_" + b.ident + "_" + m.name + "_" + d.name },
		func(m method, d dir) string {
			return m.m.Name(d.write) + " wholly inside " + b.descr + " fails with the kernel's errno"
		}}
}

var bads = []bad{unmapped, pastEOF}

func init() {
	for _, b := range bads {
		badFamily(b).declare(TestBadAccess)
	}
}

// TestBadAccess: -1 with the kernel's errno for every request (NetBSD's
// suite pins EINVAL for the page of an empty file).
func TestBadAccess(t *testing.T) {
	for _, b := range bads {
		badFamily(b).run(t, func(t *atfshim.T, m method, d dir) {
			want, ok := badAccess[runtime.GOOS][b][m.m]
			if !ok {
				t.Fatalf("no expectation written down for %s on %s on %s", m.m.Name(d.write), b.descr, runtime.GOOS)
			}
			s := spawnMemory(t)
			addr := map[bad]uintptr{unmapped: s.hole, pastEOF: s.eof}[b]
			buf := make([]byte, chunk(m))
			if got := s.try(m, d, addr, buf); !got.matches(want) {
				t.Errorf("%s of %d bytes on %s: got %v, want %v", m.m.Name(d.write), len(buf), b.descr, got, want)
			}
			s.finish(t)
		})
	}
}

var _ = atfshim.Declare(TestBytesTransferPiodReadAuxv, atfshim.Meta{
	Descr:   "PIOD_READ_AUXV (Linux: /proc/PID/auxv) returns a non-empty auxiliary vector ending in AT_NULL",
	Timeout: caseTimeout,
})

// auxvExact says, per kernel, whether the auxv read is exactly the vector:
// whole (a_type, a_v) pairs ending with AT_NULL. NetBSD's PIOD_READ_AUXV
// returns es_arglen bytes (sys_ptrace_common.c ptrace_doio): the vector
// and then the exec path string AT_SUN_EXECNAME points at, so AT_NULL ends
// the pairs but not the bytes. Linux's /proc/PID/auxv is the vector.
var auxvExact = map[string]bool{"netbsd": false, "linux": true}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("bytes_transfer_piod_read_auxv", "reading the tracee's auxv", "auxvExact, tracer.AuxvRequestOn", func(k string) string {
		if auxvExact[k] {
			return tracer.AuxvRequestOn(k) + ": exactly the vector, whole (a_type, a_v) pairs ending with AT_NULL; AT_PAGESZ is the page size"
		}
		return tracer.AuxvRequestOn(k) + ": the vector, ending with AT_NULL, and more bytes after it (es_arglen: the exec path AT_SUN_EXECNAME points at); AT_PAGESZ is the page size"
	})}
})

// TestBytesTransferPiodReadAuxv: the auxv a debugger reads to find the
// tracee's entry point and its page size. NetBSD's suite checks only that
// piod_len > 0; here it must also be (key, value) pairs ending in AT_NULL
// (and nothing after it where the kernel says so, auxvExact) and carry
// AT_PAGESZ with the page size the tracee reported.
func TestBytesTransferPiodReadAuxv(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		s := spawnMemory(t)
		b, err := s.tr.TryReadAuxv(s.p.Pid)
		if err != nil {
			t.Fatalf("%s: %v", tracer.AuxvRequest, err)
		}
		if len(b) == 0 {
			t.Fatalf("%s returned an empty auxv", tracer.AuxvRequest)
		}
		w := int(unsafe.Sizeof(uintptr(0))) // an auxv entry is two longs on both kernels
		word := func(i int) uint64 {
			if w == 8 {
				return binary.NativeEndian.Uint64(b[i*w:])
			}
			return uint64(binary.NativeEndian.Uint32(b[i*w:]))
		}
		exact, ok := auxvExact[runtime.GOOS]
		if !ok {
			t.Fatalf("no auxv rule written down for %s", runtime.GOOS)
		}
		if exact && len(b)%(2*w) != 0 {
			t.Fatalf("%s returned %d bytes, not whole (a_type, a_v) pairs of %d-byte words", tracer.AuxvRequest, len(b), w)
		}
		const atNull, atPagesz = 0, 6 // the same on both kernels
		pagesz, end := uint64(0), -1
		for i := 0; i+1 < len(b)/w && end < 0; i += 2 {
			switch word(i) {
			case atPagesz:
				pagesz = word(i + 1)
			case atNull:
				end = (i + 2) * w
			}
		}
		switch {
		case end < 0:
			t.Errorf("%s: no AT_NULL terminator in %d bytes", tracer.AuxvRequest, len(b))
		case exact && end != len(b):
			t.Errorf("%s: %d bytes follow the AT_NULL at byte %d", tracer.AuxvRequest, len(b)-end, end-2*w)
		}
		if pagesz != uint64(s.page) {
			t.Errorf("%s: AT_PAGESZ = %d, the tracee's page size is %d", tracer.AuxvRequest, pagesz, s.page)
		}
		s.finish(t)
	})
}

var _ = atfshim.Declare(TestBytesTransferAlignmentPiodReadAuxv, atfshim.Meta{
	Descr:   "PIOD_READ_AUXV (Linux: pread of /proc/PID/auxv) of 4 bytes at every byte offset returns exactly those bytes of the vector, fewer at its end, and what the kernel says at and past the end",
	Timeout: caseTimeout,
})

// auxvEnd is, per kernel, the answer to a read of the auxv at its end
// (offset = its length) and one byte past it: the bytes given and the
// errno (0: none).
type auxvEnd struct{ atN, pastN, atErr, pastErr int }

// auxvEndOn, measured: NetBSD 8.99.25's PIOD_READ_AUXV gives 0 bytes at
// its end and refuses an offset past it with EIO (ptrace_doio clamps the
// read to es_arglen; NetBSD's own case accepts a failure at the end);
// Linux 6.18's /proc/PID/auxv reads 0 bytes at and past its end. The
// bytes of a refused read are not compared.
var auxvEndOn = map[string]auxvEnd{
	"netbsd": {atN: 0, pastN: 0, atErr: 0, pastErr: int(syscall.EIO)},
	"linux":  {atN: 0, pastN: 0, atErr: 0, pastErr: 0},
}

var _ = semantics.Add(func() []semantics.Row {
	return []semantics.Row{semantics.Both("bytes_transfer_alignment_piod_read_auxv", "reading the auxv at every offset, and at and past its end", "auxvEndOn", func(k string) string {
		e := auxvEndOn[k]
		answer := func(n, errno int) string {
			if errno != 0 {
				return tracer.ErrnoName(syscall.Errno(errno))
			}
			return fmt.Sprintf("%d bytes, no error", n)
		}
		return tracer.AuxvRequestOn(k) + ": at each offset the bytes of the whole vector there; at its end " + answer(e.atN, e.atErr) + ", one byte past it " + answer(e.pastN, e.pastErr)
	})}
})

// TestBytesTransferAlignmentPiodReadAuxv: NetBSD's
// bytes_transfer_alignment_piod_read_auxv reads the auxv 4 bytes at a
// time at every byte offset until the kernel gives none; here each read
// must also be exactly the whole vector's bytes at that offset, and the
// answers at and past the end are each kernel's (auxvEndOn).
func TestBytesTransferAlignmentPiodReadAuxv(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		want, ok := auxvEndOn[runtime.GOOS]
		if !ok {
			t.Fatalf("no auxv end rule written down for %s", runtime.GOOS)
		}
		s := spawnMemory(t)
		whole, err := s.tr.TryReadAuxv(s.p.Pid)
		if err != nil || len(whole) == 0 {
			t.Fatalf("%s of the whole vector: %d bytes, %v", tracer.AuxvRequest, len(whole), err)
		}
		var buf [4]byte
		for off := 0; off < len(whole); off++ {
			n, err := s.tr.TryReadAuxvAt(s.p.Pid, off, buf[:])
			w := whole[off:min(off+len(buf), len(whole))]
			if err != nil || !bytes.Equal(buf[:n], w) {
				t.Fatalf("%s of %d bytes at offset %d of %d: got %d bytes %x (error %v), want %x", tracer.AuxvRequest, len(buf), off, len(whole), n, buf[:n], err, w)
			}
		}
		for _, c := range []struct {
			what       string
			off, n, en int
		}{{"at its end", len(whole), want.atN, want.atErr}, {"one byte past its end", len(whole) + 1, want.pastN, want.pastErr}} {
			n, err := s.tr.TryReadAuxvAt(s.p.Pid, c.off, buf[:])
			if c.en != 0 {
				n = c.n // a refused request's piod_len is what was asked (NetBSD leaves it)
			}
			if n != c.n || int(tracer.ErrnoOf(err)) != c.en {
				t.Errorf("%s of %d bytes %s (offset %d): got %d bytes, %s; want %d bytes, %s", tracer.AuxvRequest, len(buf), c.what, c.off, n, errText(err), c.n, errText(errnoErr(c.en)))
			}
		}
		s.finish(t)
	})
}

// errnoErr is errno e as an error (nil for 0).
func errnoErr(e int) error {
	if e == 0 {
		return nil
	}
	return syscall.Errno(e)
}

// errText names an error by its errno ("no error" for nil).
func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return tracer.ErrnoName(tracer.ErrnoOf(err))
}
