package ptrace

import (
	"encoding/binary"
	"fmt"
)

// coreRegs: Linux writes, per thread, NT_PRSTATUS (struct elf_prstatus,
// include/linux/elfcore.h: pr_pid is the thread, pr_reg its
// user_regs_struct) and then the thread's other regsets (fs/binfmt_elf.c
// fill_thread_core_info): NT_PRFPREG named "CORE", NT_X86_XSTATE named
// "LINUX".
func coreRegs(c *Core, notes []coreNote) error {
	if prRegOff == 0 {
		return fmt.Errorf("no elf_prstatus layout for this machine written down")
	}
	lwp := 0
	for _, n := range notes {
		switch {
		case n.name == "CORE" && n.typ == ntPrstatus:
			if len(n.desc) < prRegOff+prRegSize {
				return fmt.Errorf("NT_PRSTATUS of %d bytes, pr_reg ends at %d", len(n.desc), prRegOff+prRegSize)
			}
			lwp = int(int32(binary.NativeEndian.Uint32(n.desc[prPidOff:])))
			c.add(lwp, Regs{Set: RegsGP, Bytes: append([]byte(nil), n.desc[prRegOff:prRegOff+prRegSize]...)})
		case n.name == "CORE" && n.typ == ntPrfpreg && lwp != 0:
			c.add(lwp, Regs{Set: RegsFP, Bytes: append([]byte(nil), n.desc...)})
		case n.name == "LINUX" && n.typ == ntX86Xstate && lwp != 0:
			c.add(lwp, Regs{Set: RegsXState, Bytes: append([]byte(nil), n.desc...)})
		case n.name == "CORE" && n.typ == 3: // NT_PRPSINFO
			c.Procinfo = append([]byte(nil), n.desc...)
		}
	}
	return nil
}
