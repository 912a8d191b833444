package nbabi

import (
	"testing"
	"unsafe"
)

// TestDbRegLayout: struct dbreg's size and word layout per machine
// (amd64 reg.h 1.11 long dr[16]; i386 reg.h int dr[8]), and DR7 bits as
// NetBSD's t_ptrace_x86_wait.h union u lays them out.
func TestDbRegLayout(t *testing.T) {
	sizes := map[string]uintptr{"amd64": unsafe.Sizeof(DbRegAMD64{}), "386": unsafe.Sizeof(DbReg386{})}
	for arch, got := range sizes {
		l := DbRegLayout[arch]
		if int(got) != l.Size || l.Count*l.Word != l.Size {
			t.Errorf("%s struct dbreg: Go size %d, layout %+v", arch, got, l)
		}
	}
	if off := unsafe.Offsetof(DbRegAMD64{}.Dr) + 7*8; off != 56 {
		t.Errorf("amd64 dr[7] at %d, want 56", off)
	}
	for _, c := range []struct {
		n          int
		cond, size uint64
		want       uint64
	}{
		{0, DR7CondWrite, DR7Len1, 0x2 | 1<<16},
		{1, DR7CondReadWrite, DR7Len4, 0x8 | 3<<20 | 3<<22},
		{3, DR7CondExec, DR7Len1, 0x80},
		{2, DR7CondWrite, DR7Len8, 0x20 | 1<<24 | 2<<26},
	} {
		if got := DR7Global(c.n, c.cond, c.size); got != c.want {
			t.Errorf("DR7Global(%d, %d, %d) = %#x, want %#x", c.n, c.cond, c.size, got, c.want)
		}
	}
}
