package ptio

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// The layout of the scenario's memory. The first mapped page starts with
// head: the magic values the tracer reads back (read cases) and room the
// tracer writes into (write cases); the two mapped pages are followed by a
// page that is unmapped, and both pages hold pattern(i) elsewhere.
const (
	headLen   = 64
	readAt    = 0  // magic8 at +0, magic16 at +8, magic32 at +16, magic64 at +24
	writeAt   = 32 // the write cases write their value here (+0, +8, +16, +24 again)
	minusOne  = 48 // a word of all ones: a read of -1 is not an error
	edgeBytes = 32 // edge: the bytes on either side of the page boundary
	textLen   = 32 // bytes of text (raw.TextScratchAddress) reported
)

// magic is what the tracee stores for each value size (in bits).
var magic = map[int]uint64{8: 0x5a, 16: 0x5a6b, 32: 0x5a6b7c8d, 64: 0x5a6b7c8d9eafb0c1}

// sizeSlot is where in head the value of each size lives.
var sizeSlot = map[int]int{8: 0, 16: 8, 32: 16, 64: 24}

// encode is v as the tracee's memory holds it: size/8 bytes, native order.
func encode(v uint64, bits int) []byte {
	b := make([]byte, 8)
	binary.NativeEndian.PutUint64(b, v)
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 { // little endian: low bytes first
		return b[:bits/8]
	}
	return b[8-bits/8:]
}

// pattern is the byte at offset i of the two mapped pages outside head.
func pattern(i int) byte { return byte(i*7 + 3) }

// Scenario "memory": map two pages and an unmapped third, fill them, map a
// page of an empty file (every byte of it lies past the end of the file),
// report the addresses, stop at the ready point, and once continued report
// what its memory holds now.
func init() {
	tracee.Register("memory", func(c *tracee.Ctx) int {
		pg := os.Getpagesize()
		f, err := os.CreateTemp("", "ptio-eof-*")
		c.Check("create the empty file", err)
		os.Remove(f.Name())
		eof, err := unix.Mmap(int(f.Fd()), 0, pg, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		c.Check("mmap the empty file", err)
		// The empty file is mapped first, so that its page cannot land in
		// the hole made below.
		m, err := unix.Mmap(-1, 0, 3*pg, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
		c.Check("mmap", err)
		c.Check("munmap the third page", unix.MunmapPtr(unsafe.Pointer(&m[2*pg]), uintptr(pg)))
		m = m[:2*pg]
		for i := range m {
			m[i] = pattern(i)
		}
		copy(m, originalHead())
		// Traps raised by a resume at another address end the process
		// with the signal instead of the Go runtime's report.
		c.Check("SIGTRAP to SIG_DFL", raw.DefaultSignal(int(syscall.SIGTRAP)))
		base := uintptr(unsafe.Pointer(&m[0]))
		c.Report("base", base)
		c.Report("page", pg)
		c.Report("lwp", raw.ThreadID())
		c.Report("hole", base+uintptr(2*pg))
		c.Report("eof", uintptr(unsafe.Pointer(&eof[0])))
		c.Report("text", raw.TextScratchAddress())
		c.Report("trap", raw.TrapAddress())
		c.Report("text_before", textHex())
		c.Ready()
		c.Report("head", hex.EncodeToString(m[:headLen]))
		c.Report("edge", hex.EncodeToString(m[pg-edgeBytes:pg+edgeBytes]))
		c.Report("text_after", textHex())
		return 0
	})
}

func textHex() string {
	b := make([]byte, textLen)
	for i := range b {
		b[i] = raw.ReadByte(raw.TextScratchAddress() + uintptr(i))
	}
	return hex.EncodeToString(b)
}
