package ptrace

import (
	"fmt"
	"strconv"
	"strings"

	"ptracesuite/internal/nbabi"
)

// coreRegs: NetBSD writes the process note "NetBSD-CORE" of type
// ELF_NOTE_NETBSD_CORE_PROCINFO, then per LWP notes named
// "NetBSD-CORE@<lid>" whose type is the machine's PT_GETREGS,
// PT_GETFPREGS (and, where it has it, PT_GETXSTATE) request number and
// whose descriptor is that request's struct (sys/kern/core_elf32.c,
// coredump_note_elf).
func coreRegs(c *Core, notes []coreNote) error {
	sets := map[uint32]RegSet{}
	for _, s := range []RegSet{RegsGP, RegsFP, RegsXState} {
		if get, _, _ := regSetReqs(s); get != 0 {
			sets[uint32(get)] = s
		}
	}
	for _, n := range notes {
		if n.name == nbabi.ElfNoteNetBSDCoreName && n.typ == nbabi.ElfNoteNetBSDCoreProcinfo {
			c.Procinfo = append([]byte(nil), n.desc...)
			continue
		}
		lid, ok := strings.CutPrefix(n.name, nbabi.ElfNoteNetBSDCoreName+"@")
		if !ok {
			continue
		}
		l, err := strconv.Atoi(lid)
		if err != nil {
			return fmt.Errorf("note %q: not an LWP id", n.name)
		}
		if s, ok := sets[n.typ]; ok {
			c.add(l, Regs{Set: s, Bytes: append([]byte(nil), n.desc...)})
		}
	}
	return nil
}
