//go:build mutation && linux

package ptrace

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// The kill and sent-signal mutants (tests/kill, tests/siginfo sendsignal).
// They join Mutants in a package-level initializer, which runs before
// every init(): wherever the check of $PTRACESUITE_MUTANT against Mutants
// runs (a variable initialized after Mutants, or an init()), these names
// are already there.
var _ = func() bool {
	Mutants["kill-not-reported"] = "the termination of a process killed by SIGKILL is reported as an exit with status 0"
	Mutants["si-user-sender-wrong"] = "si_pid of a signal a process sent (SI_USER) is off by one"
	Mutants["signal-change-ignored"] = "the signal a tracer gives PTRACE_CONT at a signal-delivery stop is ignored: the original signal is delivered"
	return true
}()

// mutKill: kill-not-reported turns Killed(SIGKILL) into Exited(0).
func mutKill(evs []Event) []Event {
	if mutant != "kill-not-reported" {
		return evs
	}
	for i := range evs {
		if evs[i].Kind == Killed && evs[i].Sig == int(unix.SIGKILL) {
			evs[i].Kind, evs[i].Sig, evs[i].Status = Exited, 0, 0
			evs[i].Raw.Status = 0
		}
	}
	return evs
}

// mutSender: si-user-sender-wrong moves si_pid of an SI_USER siginfo.
func mutSender(si Siginfo) Siginfo {
	if mutant == "si-user-sender-wrong" && len(si.Bytes) >= siUnion+4 && si.Code() == 0 {
		pid, _ := siSender(si.Bytes)
		si.Bytes = append([]byte(nil), si.Bytes...)
		binary.NativeEndian.PutUint32(si.Bytes[siUnion:], uint32(int32(pid+1)))
	}
	return si
}

// mutResumeSig: signal-change-ignored delivers the stop's own signal when
// the tracer asked for another one.
func (tr *Tracer) mutResumeSig(pid, sig int) int {
	if mutant != "signal-change-ignored" || sig == 0 {
		return sig
	}
	if ev, ok, _ := tr.Last(pid); ok && ev.Kind == Stopped && ev.Sig != sig {
		return ev.Sig
	}
	return sig
}
