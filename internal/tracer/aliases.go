package tracer

import (
	"syscall"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ptracesuite/internal/ptrace"
)

// The vocabulary of the ptrace core, under the names the tests use.

type (
	Kind         = ptrace.Kind
	Event        = ptrace.Event
	Raw          = ptrace.Raw
	Syscall      = ptrace.Syscall
	Mask         = ptrace.Mask
	Flavour      = ptrace.Flavour
	ResumeReq    = ptrace.ResumeReq
	Siginfo      = ptrace.Siginfo
	SigState     = ptrace.SigState
	SigSet       = ptrace.SigSet
	Lwp          = ptrace.Lwp
	Mem          = ptrace.Mem
	MissingError = ptrace.MissingError
)

const (
	Stopped      = ptrace.Stopped
	Fork         = ptrace.Fork
	Vfork        = ptrace.Vfork
	VforkDone    = ptrace.VforkDone
	Spawn        = ptrace.Spawn
	Clone        = ptrace.Clone
	LwpCreate    = ptrace.LwpCreate
	LwpExit      = ptrace.LwpExit
	SyscallEntry = ptrace.SyscallEntry
	SyscallExit  = ptrace.SyscallExit
	Exec         = ptrace.Exec
	ExitEvent    = ptrace.ExitEvent
	Exited       = ptrace.Exited
	Killed       = ptrace.Killed

	MaskFork      = ptrace.MaskFork
	MaskVfork     = ptrace.MaskVfork
	MaskVforkDone = ptrace.MaskVforkDone
	MaskLwpCreate = ptrace.MaskLwpCreate
	MaskLwpExit   = ptrace.MaskLwpExit
	MaskSpawn     = ptrace.MaskSpawn

	ReqContinue = ptrace.ReqContinue
	ReqSyscall  = ptrace.ReqSyscall
	ReqDetach   = ptrace.ReqDetach
	ReqStep     = ptrace.ReqStep

	MemPIOD    = ptrace.MemPIOD
	MemPIOI    = ptrace.MemPIOI
	MemWordD   = ptrace.MemWordD
	MemWordI   = ptrace.MemWordI
	MemVM      = ptrace.MemVM
	MemProcMem = ptrace.MemProcMem

	GetSiginfoName = ptrace.GetSiginfoName
	SetSiginfoName = ptrace.SetSiginfoName
)

var (
	AuxvRequest  = ptrace.AuxvRequest
	ResumeReqs   = ptrace.ResumeReqs
	FlavourNames = ptrace.FlavourNames
	ErrNoRequest = ptrace.ErrNoRequest
)

// FlavourByName returns the named flavour of this kernel, or an error that
// says why this kernel does not have it.
func FlavourByName(name string) (Flavour, error) { return ptrace.FlavourByName(name) }

// ResumeMissing returns why this kernel (on this machine) lacks r, or "".
func ResumeMissing(r ResumeReq) string { return ptrace.ResumeMissing(r) }

// MemMissing returns why this kernel has no m ("" when it has it).
func MemMissing(m Mem) string { return ptrace.MemMissing(m) }

// WordSize is the size of the word of a Word request.
func WordSize() int { return ptrace.WordSize() }

// SignalName names a signal for messages ("SIGTRAP").
func SignalName(sig int) string { return ptrace.SignalName(sig) }

// CodeName names si_code code of signal sig in this kernel's words.
func CodeName(sig, code int) string { return ptrace.CodeName(sig, code) }

// SyscallName names a system call number of this kernel for messages.
func SyscallName(n int) string { return ptrace.SyscallName(n) }

// Unsupported returns the bits of m this kernel cannot report, and why.
func Unsupported(m Mask) (Mask, string) { return ptrace.Unsupported(m) }

// TextWriteBlocked returns why the kernel will not let a tracer write the
// text of pid, or "".
func TextWriteBlocked(pid int) string { return ptrace.TextWriteBlocked(pid) }

// ZeroPCRuleOff returns why the kernel may accept a resume at PC 0, or "".
func ZeroPCRuleOff() string { return ptrace.ZeroPCRuleOff() }

// LwpRequestNames names the requests behind LwpInfo, LwpStatus, Suspend,
// ResumeLwp and Stop on this kernel, for messages.
func LwpRequestNames() (info, status, suspend, resume, stop string) { return ptrace.LwpRequestNames() }

// Cmp are the options that compare events by what the kernel promised
// (kind, signal, code, other pid, status), not by who or how.
var Cmp = cmp.Options{cmpopts.IgnoreFields(Event{}, "Pid", "Lwp", "Raw"), cmpopts.EquateEmpty()}

// Diff compares two event logs with Cmp.
func Diff(want, got any) string { return cmp.Diff(want, got, Cmp) }

// The per-kernel vocabulary for either kernel (docs/SEMANTICS.md rows).

// CodeNameOn names si_code code of signal sig in kernel's words.
func CodeNameOn(kernel string, sig, code int) string { return ptrace.CodeNameOn(kernel, sig, code) }

// ErrnoName names an errno ("EINVAL").
func ErrnoName(e syscall.Errno) string { return ptrace.ErrnoName(e) }

// ErrnoOf is the errno of a request's error (0 for nil, -1 for an error
// that is no errno).
func ErrnoOf(err error) syscall.Errno { return ptrace.ErrnoOf(err) }

// FlavourMissingOn says why kernel lacks the wait flavour name, or "".
func FlavourMissingOn(kernel, name string) string { return ptrace.FlavourMissingOn(kernel, name) }

// MemMissingOn says why kernel lacks m, or "".
func MemMissingOn(kernel string, m Mem) string { return ptrace.MemMissingOn(kernel, m) }

// AuxvRequestOn names how a tracer reads the auxv on kernel.
func AuxvRequestOn(kernel string) string { return ptrace.AuxvRequestOn(kernel) }

// ResumeMissingOn says why kernel on arch lacks r, or "".
func ResumeMissingOn(kernel, arch string, r ResumeReq) string {
	return ptrace.ResumeMissingOn(kernel, arch, r)
}

// UnsupportedOn says which event bits kernel cannot report, and why.
func UnsupportedOn(kernel string) string { return ptrace.UnsupportedOn(kernel) }

// LwpRequestNamesOn is LwpRequestNames for kernel.
func LwpRequestNamesOn(kernel string) (info, status, suspend, resume, stop string) {
	return ptrace.LwpRequestNamesOn(kernel)
}
