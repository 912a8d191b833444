package ptrace

import (
	"testing"
	"unsafe"

	"ptracesuite/internal/nbabi"
)

var structNames = map[RegSet]string{RegsGP: "struct reg", RegsFP: "struct fpreg", RegsXState: "struct xstate"}

// TestNetBSDSlots: every NetBSD machine's slots lie inside its struct, and
// PTRACE_REG_PC and PTRACE_REG_SP are where nbabi's layout says.
func TestNetBSDSlots(t *testing.T) {
	sizes := func(arch string) map[RegSet]int {
		return map[RegSet]int{RegsGP: nbabi.RegLayout[arch].Size, RegsFP: nbabi.FPRegLayout[arch],
			RegsXState: int(unsafe.Sizeof(nbabi.XState{}))}
	}
	for _, arch := range []string{"amd64", "386", "arm64", "arm"} {
		sets := netbsdSlots[arch]
		if sets == nil {
			t.Errorf("NetBSD/%s: no slot table", arch)
			continue
		}
		lay := nbabi.RegLayout[arch]
		gp := sets[RegsGP]
		if gp["pc"].Off != lay.PCOffset || gp["sp"].Off != lay.SPOffset {
			t.Errorf("NetBSD/%s: pc at %d, sp at %d; nbabi's struct reg has PTRACE_REG_PC at %d, PTRACE_REG_SP at %d", arch, gp["pc"].Off, gp["sp"].Off, lay.PCOffset, lay.SPOffset)
		}
		for _, name := range []string{"pc", "sp", "intrv"} {
			if _, ok := gp[name]; !ok {
				t.Errorf("NetBSD/%s: struct reg has no %s slot", arch, name)
			}
		}
		for set, slots := range sets {
			size := sizes(arch)[set]
			for name, sl := range slots {
				if sl.Off < 0 || sl.Size <= 0 || sl.Off+sl.Size > size {
					t.Errorf("NetBSD/%s %s: %s at %d+%d is outside the %d-byte struct", arch, structNames[set], name, sl.Off, sl.Size, size)
				}
			}
		}
	}
}
