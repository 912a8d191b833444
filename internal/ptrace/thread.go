package ptrace

import "syscall"

// Thread is the tracer thread as seen from inside Loop: its requests run
// at once, without handing them to the thread and without asking the
// kernel which thread the caller is (a gettid per request). A tracing
// loop that makes a request or two per stop (a syscall tracer, the
// bench) spends as many system calls on that question as on ptrace
// itself. A Thread is valid only inside the Loop that gave it: on Linux
// the kernel refuses a ptrace request from any other thread (ESRCH).
type Thread struct{ tr *Tracer }

// Loop runs f on the tracer thread, as Do does, with the Thread whose
// requests run there directly.
func (tr *Tracer) Loop(f func(t Thread)) { tr.Do(func() { f(Thread{tr}) }) }

// Wait is Tracer.Wait on the tracer thread.
func (t Thread) Wait(pid int) (Event, error) { return t.tr.wait(pid) }

// Syscall is Tracer.Syscall on the tracer thread.
func (t Thread) Syscall(pid int, sig syscall.Signal) error { return t.tr.syscall(pid, sig) }
