package nbabi

import (
	"encoding/binary"
	"fmt"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func TestSigsetBits(t *testing.T) {
	// signal n is bit (n-1)&31 of word (n-1)>>5 (sys/sys/sigtypes.h 1.7).
	for _, c := range []struct {
		sig  int
		want [4]uint32
	}{
		{SIGHUP, [4]uint32{0x1, 0, 0, 0}},
		{SIGTRAP, [4]uint32{0x10, 0, 0, 0}},
		{SIGSTOP, [4]uint32{0x10000, 0, 0, 0}},
		{SIGCHLD, [4]uint32{0x80000, 0, 0, 0}},
		{SIGPWR, [4]uint32{0x80000000, 0, 0, 0}},
		{SIGRTMIN, [4]uint32{0, 0x1, 0, 0}},
		{SIGRTMAX, [4]uint32{0, 0x40000000, 0, 0}},
		{64, [4]uint32{0, 0x80000000, 0, 0}},
		{65, [4]uint32{0, 0, 0x1, 0}},
		{SigsetMax, [4]uint32{0, 0, 0, 0x80000000}},
	} {
		s := SigsetOf(c.sig)
		if s.Bits != c.want {
			t.Errorf("SigsetOf(%d).Bits = %#x, want %#x", c.sig, s.Bits, c.want)
		}
		if !s.Has(c.sig) {
			t.Errorf("SigsetOf(%d) does not have %d", c.sig, c.sig)
		}
		s.Del(c.sig)
		if s != (Sigset{}) {
			t.Errorf("Del(%d) left %#x", c.sig, s.Bits)
		}
	}
}

func TestSigsetAddHasDel(t *testing.T) {
	var s Sigset
	s.Add(SIGINT)
	s.Add(SIGTRAP)
	s.Add(SIGTRAP)
	s.Add(SIGUSR2)
	s.Add(100)
	if d := cmp.Diff([]int{SIGINT, SIGTRAP, SIGUSR2, 100}, s.Signals()); d != "" {
		t.Errorf("Signals (-want +got):\n%s", d)
	}
	if s.Has(SIGKILL) || s.Has(SIGHUP) || s.Has(99) {
		t.Errorf("Has reports a signal that was not added: %#x", s.Bits)
	}
	s.Del(SIGTRAP)
	s.Del(SIGKILL)
	if s.Has(SIGTRAP) || !s.Has(SIGINT) || !s.Has(SIGUSR2) {
		t.Errorf("Del(SIGTRAP) gave %#x", s.Bits)
	}
}

func TestSigsetMemoryLayout(t *testing.T) {
	// What the kernel sees: __bits[0] first, native byte order.
	s := SigsetOf(SIGINT, SIGCHLD, SIGRTMIN)
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&s)), unsafe.Sizeof(s))
	if w0, w1 := binary.NativeEndian.Uint32(raw[0:]), binary.NativeEndian.Uint32(raw[4:]); w0 != 1<<1|1<<19 || w1 != 1 {
		t.Errorf("sigset words in memory: %#x %#x", w0, w1)
	}
}

func TestSigsetOutOfRange(t *testing.T) {
	for _, n := range []int{0, -1, SigsetMax + 1} {
		func() {
			defer func() {
				if r := recover(); r == nil || fmt.Sprint(r) != fmt.Sprintf("nbabi: signal %d outside a sigset_t (1..128)", n) {
					t.Errorf("Has(%d): recovered %v", n, r)
				}
			}()
			Sigset{}.Has(n)
		}()
	}
}
