package nbabi

import "testing"

// TestUcontextLayout derives uc_sigmask and uc_mcontext from the member
// sizes and alignments of sys/sys/ucontext.h: uc_flags (int), uc_link
// (pointer), uc_sigmask (16 bytes), uc_stack (pointer, size_t, int, padded
// to pointer alignment), then uc_mcontext at its own alignment (8 on amd64
// and ARM EABI, 4 on i386, 16 on aarch64 for its __uint128_t registers).
func TestUcontextLayout(t *testing.T) {
	align := func(n, a int) int { return (n + a - 1) &^ (a - 1) }
	for arch, mcAlign := range map[string]int{"amd64": 8, "386": 4, "arm": 8, "arm64": 16} {
		ptr := 8
		if arch == "386" || arch == "arm" {
			ptr = 4
		}
		l := Ucontexts[arch]
		sigmask := align(4, ptr) + ptr
		stack := align(3*ptr, ptr)
		if ptr == 8 {
			stack = 24 // ss_sp 8, ss_size 8, ss_flags 4, tail padding 4
		}
		mc := align(sigmask+16+stack, mcAlign)
		if l.SigmaskOff != sigmask || l.McontextOff != mc {
			t.Errorf("%s: uc_sigmask at %d, uc_mcontext at %d; derived %d, %d", arch, l.SigmaskOff, l.McontextOff, sigmask, mc)
		}
		if end := l.McontextOff + (l.SP+1)*l.GregSize; end > l.Size || l.Size > SizeofUcontextMax {
			t.Errorf("%s: sizeof(ucontext_t) %d: registers end at %d, buffer bound %d", arch, l.Size, end, SizeofUcontextMax)
		}
		if l.PC == l.SP {
			t.Errorf("%s: PC and SP share __gregs index %d", arch, l.PC)
		}
	}
}
