//go:build linux && !amd64

package ptrace

// regSlots: no register layout is written down for Linux on this machine
// (RegSetMissing says so).
func regSlots(RegSet) map[string]Slot { return nil }

// No elf_prstatus layout is written down for this machine.
const (
	prPidOff  = 0
	prRegOff  = 0
	prRegSize = 0
)
