//go:build !(mutation && linux)

package ptrace

// Without the mutation build the register sets are what the kernel said.

func mutGetRegs(*Regs)               {}
func mutSetRegs(r Regs) (Regs, bool) { return r, false }
func mutCore(*Core)                  {}
