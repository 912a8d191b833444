//go:build !(mutation && linux)

package ptrace

// Without the mutation build tag (or off Linux, where the mutation test
// does not run yet) the tracer reports what the kernel said, unaltered;
// these compile to nothing.

const mutating = false

type mutantState struct{}

func (tr *Tracer) mutate(ev Event) []Event                              { return []Event{ev} }
func mutantKeepsAll() bool                                              { return false }
func mutDetachSig(sig int) int                                          { return sig }
func (tr *Tracer) mutResume(pid, lwp int, addr uintptr)                 {}
func mutMem(buf []byte, n int, err error) (int, error)                  { return n, err }
func mutAuxvAt(pid, off int, buf []byte, n int, err error) (int, error) { return n, err }
func (tr *Tracer) mutSigState(pid int, st SigState) SigState            { return st }
func (tr *Tracer) mutLwpMasks(pid int, l []Lwp)                         {}
func mutSiginfo(si Siginfo) Siginfo                                     { return si }
func mutMaskSet(m Mask) Mask                                            { return m }
func mutMemReq(write bool, addr uintptr) (uintptr, bool)                { return addr, false }
