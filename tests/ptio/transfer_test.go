package ptio

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/tracer"
)

var sizes = []int{8, 16, 32, 64}

// valueFamily is NetBSD's bytes_transfer_piod_{read,write}_{d,i}_N for one
// size N, and its Linux analogs.
func valueFamily(bits int) family {
	return family{bulk,
		func(m method, d dir) string { return fmt.Sprintf("bytes_transfer_%s_%s_%d", m.name, d.name, bits) },
		func(m method, d dir) string {
			if d.write {
				return fmt.Sprintf("%s of a %d-bit value: the tracee sees what the tracer wrote", m.m.Name(true), bits)
			}
			return fmt.Sprintf("%s of a %d-bit value: the tracer reads what the tracee stored", m.m.Name(false), bits)
		}}
}

func init() {
	for _, bits := range sizes {
		valueFamily(bits).declare(TestBytesTransfer)
	}
}

// TestBytesTransfer: a value of each size moves exactly, both ways.
func TestBytesTransfer(t *testing.T) {
	for _, bits := range sizes {
		valueFamily(bits).run(t, func(t *atfshim.T, m method, d dir) {
			s := spawnMemory(t)
			if !d.write {
				got := s.read(t, m.m, s.base+readAt+uintptr(sizeSlot[bits]), bits/8)
				mustEqual(t, fmt.Sprintf("%s of the %d-bit magic", m.m.Name(false), bits), encode(magic[bits], bits), got)
				s.finish(t)
				return
			}
			v := encode(^magic[bits], bits)
			s.write(t, m.m, s.base+writeAt+uintptr(sizeSlot[bits]), v)
			head, _, _ := s.finish(t)
			at := writeAt + sizeSlot[bits]
			mustEqual(t, fmt.Sprintf("the tracee's %d-bit value after %s", bits, m.m.Name(true)), v, head[at:at+bits/8])
		})
	}
}

// wordFamily is NetBSD's bytes_transfer_{read,write}_{d,i}
// (PT_READ_*/PT_WRITE_*; Linux PTRACE_PEEK*/POKE*).
var wordFamily = family{words,
	func(m method, d dir) string { return "bytes_transfer_" + m.name + "_" + d.name },
	func(m method, d dir) string {
		return m.m.Name(d.write) + " of one word; a word of -1 reads back as -1, not as an error"
	}}

func init() { wordFamily.declare(TestBytesTransferWord) }

// TestBytesTransferWord: the read of an all-ones word must succeed with -1:
// libc's PT_READ_D cannot tell that from an error without errno, so the
// kernel must not fail it.
func TestBytesTransferWord(t *testing.T) {
	wordFamily.run(t, func(t *atfshim.T, m method, d dir) {
		s := spawnMemory(t)
		w := tracer.WordSize()
		if !d.write {
			got := s.read(t, m.m, s.base+readAt+uintptr(sizeSlot[64]), w)
			mustEqual(t, m.m.Name(false)+" of the first word of the 64-bit magic", encode(magic[64], 64)[:w], got)
			got = s.read(t, m.m, s.base+minusOne, w)
			mustEqual(t, m.m.Name(false)+" of a word of -1", bytes.Repeat([]byte{0xff}, w), got)
			s.finish(t)
			return
		}
		v := encode(^magic[64], 64)[:w]
		s.write(t, m.m, s.base+writeAt+uintptr(sizeSlot[64]), v)
		head, _, _ := s.finish(t)
		at := writeAt + sizeSlot[64]
		mustEqual(t, "the tracee's word after "+m.m.Name(true), v, head[at:at+w])
	})
}

// chunk is how many bytes a request moves in the text, alignment and bad
// access cases.
func chunk(m method) int {
	if m.m.Word() {
		return tracer.WordSize()
	}
	return 16
}

// textFamily is NetBSD's bytes_transfer_*_text.
var textFamily = family{all,
	func(m method, d dir) string { return "bytes_transfer_" + m.name + "_" + d.name + "_text" },
	func(m method, d dir) string {
		return m.m.Name(d.write) + " on the tracee's text (a function's code) moves exactly, where the kernel allows text writes"
	}}

func init() { textFamily.declare(TestBytesTransferText) }

// TestBytesTransferText: the same requests aimed at code. Writes skip where
// PaX MPROTECT forbids them.
func TestBytesTransferText(t *testing.T) {
	textFamily.run(t, func(t *atfshim.T, m method, d dir) {
		s := spawnMemory(t)
		before := s.hex(t, "text_before")
		n := chunk(m)
		if !d.write {
			mustEqual(t, m.m.Name(false)+" of the tracee's text", before[:n], s.read(t, m.m, s.txt, n))
			s.finish(t)
			return
		}
		if why := tracer.TextWriteBlocked(s.p.Pid); why != "" {
			t.Skipf("%s", why)
		}
		want, ok := textWritable[runtime.GOOS][m.m]
		if !ok {
			t.Fatalf("no text-write expectation written down for %s on %s", m.m.Name(true), runtime.GOOS)
		}
		v := bytes.Repeat([]byte{0xa5}, n)
		got := s.try(m, d, s.txt, v)
		_, _, after := s.finish(t)
		if got.Fails != want.Fails || (want.Fails && want.Errno != 0 && got.Errno != want.Errno) {
			t.Fatalf("%s of %d bytes into the tracee's text: got %v, want %v", m.m.Name(true), n, got, want)
		}
		if want.Fails {
			mustEqual(t, "the tracee's text after a refused "+m.m.Name(true), before, after)
			return
		}
		mustEqual(t, "the tracee's text after "+m.m.Name(true), v, after[:n])
		mustEqual(t, "the text beyond the write", before[n:], after[n:])
	})
}

// alignFamily is NetBSD's bytes_transfer_alignment_*.
var alignFamily = family{all,
	func(m method, d dir) string { return "bytes_transfer_alignment_" + m.name + "_" + d.name },
	func(m method, d dir) string {
		return m.m.Name(d.write) + " at every misaligned offset across a page boundary moves exactly the bytes asked for"
	}}

func init() { alignFamily.declare(TestBytesTransferAlignment) }

// TestBytesTransferAlignment: the kernel splits a request at the page
// boundary and must put every byte in place whatever the alignment.
func TestBytesTransferAlignment(t *testing.T) {
	alignFamily.run(t, func(t *atfshim.T, m method, d dir) {
		s := spawnMemory(t)
		n := chunk(m)
		if !d.write {
			for off := 1; off < n; off++ {
				start := s.page - n + off // crosses the boundary by off bytes
				want := make([]byte, n)
				for i := range want {
					want[i] = pattern(start + i)
				}
				mustEqual(t, fmt.Sprintf("%s of %d bytes at page end - %d", m.m.Name(false), n, n-off), want,
					s.read(t, m.m, s.base+uintptr(start), n))
			}
			s.finish(t)
			return
		}
		// Odd-placed requests of n bytes cover the edge from
		// page-edgeBytes+1 on, one after the other.
		first := s.page - edgeBytes + 1
		end := first
		for ; end+n <= s.page+edgeBytes; end += n {
			v := make([]byte, n)
			for i := range v {
				v[i] = ^pattern(end + i)
			}
			s.write(t, m.m, s.base+uintptr(end), v)
		}
		_, edge, _ := s.finish(t)
		want := make([]byte, 2*edgeBytes)
		for i := range want {
			a := s.page - edgeBytes + i
			want[i] = pattern(a)
			if a >= first && a < end {
				want[i] = ^pattern(a)
			}
		}
		mustEqual(t, "the tracee's bytes around the page boundary after misaligned "+m.m.Name(true), want, edge)
	})
}
