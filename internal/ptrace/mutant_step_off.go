//go:build !(mutation && linux)

package ptrace

// Without the mutation build the step and debug-register requests go to
// the kernel unaltered (mutant_step_linux.go).

func (tr *Tracer) mutStep(pid, lwp int, step func() error) error { return step() }
func (tr *Tracer) mutSyscallEmu(pid int, emu func() error) error { return emu() }
func mutDbRegsRead(r DbRegs) DbRegs                              { return r }
func mutDbRegsWrite(r DbRegs) DbRegs                             { return r }
