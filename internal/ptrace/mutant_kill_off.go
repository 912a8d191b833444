//go:build !(mutation && linux)

package ptrace

// The kill and sent-signal mutants compile to nothing (mutant_kill_linux.go).

func mutKill(evs []Event) []Event                { return evs }
func mutSender(si Siginfo) Siginfo               { return si }
func (tr *Tracer) mutResumeSig(pid, sig int) int { return sig }
