package nbabi

import "testing"

// TestSyscallSiginfoSpan: the _syscall member of siginfo_t's union that
// TRAP_SCE/TRAP_SCX stops carry (si_sysnum, si_retval[2], si_error,
// si_args[8]) is contiguous and, on LP64, spans bytes 16..95, which is
// where a tracer on amd64 and arm64 reads it (t_siginfo's syscall_* cases).
func TestSyscallSiginfoSpan(t *testing.T) {
	for arch, w := range wantLayout {
		s := w.Siginfo
		first, last := s["Sysnum"], s["Args"]+8*8-1
		if s["Retval"] != first+4 || s["Error"] != first+12 || s["Args"] != first+16 {
			t.Errorf("%s: _syscall members not packed as int sysnum, int retval[2], int error, uint64 args[8]: %v", arch, s)
		}
		if (arch == "amd64" || arch == "arm64") && (first != 16 || last != 95) {
			t.Errorf("%s: _syscall spans %d..%d, want 16..95 on LP64", arch, first, last)
		}
		if last >= SizeofSiginfo {
			t.Errorf("%s: _syscall ends at %d, past siginfo_t's %d bytes", arch, last, SizeofSiginfo)
		}
	}
}
