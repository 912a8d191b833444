package ptrace

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/semantics"
)

// The tracer's per-kernel tables: names in each kernel's words and what
// each kernel lacks. They are keyed by runtime.GOOS and compiled on every
// OS, like the tests' expectations: the tracer uses the running kernel's
// row, and docs/SEMANTICS.md shows both from one build (the ...On
// functions). The si_code tables are sicodelinux.go and sicodenetbsd.go.

// Kernels are the kernels the suite writes its expectations down for, by
// runtime.GOOS, in the order the docs list them.
var Kernels = []string{"netbsd", "linux"}

// siCodeTable names the si_codes of one kernel.
type siCodeTable struct {
	any      map[int]string                    // the codes of any signal
	bySignal map[syscall.Signal]map[int]string // the codes that mean something only for their signal
	other    func(sig, code int) string        // codes no table holds, or nil
}

var siCodesOn = map[string]siCodeTable{"netbsd": netbsdCodes, "linux": linuxCodes}

// CodeNameOn names si_code code of signal sig (this build's syscall.SIG*
// number) in kernel's words, or "code N" where its header has no name.
func CodeNameOn(kernel string, sig, code int) string {
	t := siCodesOn[kernel]
	if n, ok := t.bySignal[syscall.Signal(sig)][code]; ok {
		return n
	}
	if n, ok := t.any[code]; ok {
		return n
	}
	if t.other != nil {
		if n := t.other(sig, code); n != "" {
			return n
		}
	}
	return fmt.Sprintf("code %d", code)
}

var kindNamesOn = map[string]map[Kind]string{
	"netbsd": {
		Fork: "PTRACE_FORK", Vfork: "PTRACE_VFORK", VforkDone: "PTRACE_VFORK_DONE", Spawn: "PTRACE_POSIX_SPAWN",
		LwpCreate: "PTRACE_LWP_CREATE", LwpExit: "PTRACE_LWP_EXIT", Exec: "TRAP_EXEC",
		SyscallEntry: "TRAP_SCE", SyscallExit: "TRAP_SCX",
	},
	"linux": {
		Fork: "PTRACE_EVENT_FORK", Vfork: "PTRACE_EVENT_VFORK", VforkDone: "PTRACE_EVENT_VFORK_DONE",
		Clone: "PTRACE_EVENT_CLONE", Exec: "PTRACE_EVENT_EXEC", ExitEvent: "PTRACE_EVENT_EXIT",
		SyscallEntry: "syscall-enter-stop", SyscallExit: "syscall-exit-stop",
	},
}

var kernelKindNames = kindNamesOn[runtime.GOOS]

// On is the kind's name in kernel's words (Kind.Kernel for another kernel).
func (k Kind) On(kernel string) string {
	if n, ok := kindNamesOn[kernel][k]; ok {
		return n
	}
	return k.String()
}

// maskNamesOn are the event-mask bits in each kernel's words (Linux: the
// PTRACE_O_* option of tracer_linux.go's linuxOptions).
var maskNamesOn = map[string]map[Mask]string{
	"netbsd": {MaskFork: "PTRACE_FORK", MaskVfork: "PTRACE_VFORK", MaskVforkDone: "PTRACE_VFORK_DONE",
		MaskLwpCreate: "PTRACE_LWP_CREATE", MaskLwpExit: "PTRACE_LWP_EXIT", MaskSpawn: "PTRACE_POSIX_SPAWN"},
	"linux": {MaskFork: "PTRACE_O_TRACEFORK", MaskVfork: "PTRACE_O_TRACEVFORK", MaskVforkDone: "PTRACE_O_TRACEVFORKDONE",
		MaskLwpCreate: "PTRACE_O_TRACECLONE", MaskLwpExit: "PTRACE_O_TRACEEXIT"},
}

// On names the bits of m in kernel's words, joined by "|"; a bit the
// kernel has no name for keeps the portable name with "(no analog)", and
// the empty mask is "no event bit".
func (m Mask) On(kernel string) string {
	var parts []string
	for _, x := range maskNames {
		if m&x.m == 0 {
			continue
		}
		if n, ok := maskNamesOn[kernel][x.m]; ok {
			parts = append(parts, n)
		} else {
			parts = append(parts, x.n+" (no analog)")
		}
	}
	if len(parts) == 0 {
		return "no event bit"
	}
	return strings.Join(parts, "|")
}

// On is the event in kernel's words, as a report reads in the docs: the
// kind's name, a stop's signal and si_code, an exit's status. The pids
// (Other, Pid) are left out: the docs say whom an event names.
func (e Event) On(kernel string) string {
	switch e.Kind {
	case Stopped:
		return fmt.Sprintf("%s stop (%s)", SignalName(e.Sig), CodeNameOn(kernel, e.Sig, e.Code))
	case ExitEvent:
		return fmt.Sprintf("%s (wait status %#x)", e.Kind.On(kernel), e.Status)
	case Exited:
		return fmt.Sprintf("exit %d", e.Status)
	case Killed:
		if e.Core {
			return fmt.Sprintf("killed by %s, core dumped", SignalName(e.Sig))
		}
		return fmt.Sprintf("killed by %s", SignalName(e.Sig))
	}
	return e.Kind.On(kernel)
}

// ErrnoName names an errno of this build (EINVAL), "success" for 0.
func ErrnoName(e syscall.Errno) string {
	if e == 0 {
		return "success"
	}
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}

var memNamesOn = map[string]map[Mem][2]string{
	"netbsd": {
		MemPIOD:    {"PT_IO(PIOD_READ_D)", "PT_IO(PIOD_WRITE_D)"},
		MemPIOI:    {"PT_IO(PIOD_READ_I)", "PT_IO(PIOD_WRITE_I)"},
		MemWordD:   {"PT_READ_D", "PT_WRITE_D"},
		MemWordI:   {"PT_READ_I", "PT_WRITE_I"},
		MemVM:      {"process_vm_readv", "process_vm_writev"},
		MemProcMem: {"pread(/proc/PID/mem)", "pwrite(/proc/PID/mem)"},
	},
	"linux": {
		MemPIOD:    {"PT_IO(PIOD_READ_D)", "PT_IO(PIOD_WRITE_D)"},
		MemPIOI:    {"PT_IO(PIOD_READ_I)", "PT_IO(PIOD_WRITE_I)"},
		MemWordD:   {"PTRACE_PEEKDATA", "PTRACE_POKEDATA"},
		MemWordI:   {"PTRACE_PEEKTEXT", "PTRACE_POKETEXT"},
		MemVM:      {"process_vm_readv", "process_vm_writev"},
		MemProcMem: {"pread(/proc/PID/mem)", "pwrite(/proc/PID/mem)"},
	},
}

var memNames = memNamesOn[runtime.GOOS]

// NameOn is kernel's name for the read or the write request of m.
func (m Mem) NameOn(kernel string, write bool) string {
	n, ok := memNamesOn[kernel][m]
	if !ok {
		return fmt.Sprintf("Mem(%d)", int(m))
	}
	if write {
		return n[1]
	}
	return n[0]
}

var memMissingOn = map[string]map[Mem]string{
	"netbsd": {
		MemVM:      "NetBSD has no process_vm_readv/process_vm_writev (a Linux system call); PT_IO is the request",
		MemProcMem: "NetBSD's procfs is not mounted by default and is not the ptrace(2) contract; PT_IO is the request",
	},
	"linux": {
		MemPIOD: "Linux has no PT_IO (PIOD_READ_D/PIOD_WRITE_D); its analogs are process_vm_readv/writev and /proc/PID/mem (see those cases)",
		MemPIOI: "Linux has no PT_IO (PIOD_READ_I/PIOD_WRITE_I); its analogs are PTRACE_PEEKTEXT/POKETEXT and /proc/PID/mem (see those cases)",
	},
}

var memMissing = memMissingOn[runtime.GOOS]

var auxvRequestOn = map[string]string{"netbsd": "PT_IO(PIOD_READ_AUXV)", "linux": "/proc/PID/auxv (Linux has no PIOD_READ_AUXV)"}

// AuxvRequestOn is AuxvRequest for kernel.
func AuxvRequestOn(kernel string) string { return auxvRequestOn[kernel] }

// MemMissingOn is MemMissing for kernel.
func MemMissingOn(kernel string, m Mem) string { return memMissingOn[kernel][m] }

// lwpRequests name the requests that list, inspect, suspend, resume and
// stop a tracee's LWPs (Linux: their analogs).
type lwpRequests struct{ info, status, suspend, resume, stop string }

var lwpReqOn = map[string]lwpRequests{
	"netbsd": {"PT_LWPINFO", "PT_LWPNEXT/PT_LWPSTATUS", "PT_SUSPEND", "PT_RESUME", "PT_STOP"},
	"linux":  {"/proc/PID/task", "/proc/PID/task/TID/status", "(no PT_SUSPEND)", "(no PT_RESUME)", "tgkill(SIGSTOP)"},
}

var lwpReq = lwpReqOn[runtime.GOOS]

var resumeNamesOn = map[string]map[ResumeReq]string{
	"netbsd": {ReqContinue: "PT_CONTINUE", ReqSyscall: "PT_SYSCALL", ReqDetach: "PT_DETACH", ReqStep: "PT_STEP"},
	"linux":  {ReqContinue: "PTRACE_CONT", ReqSyscall: "PTRACE_SYSCALL", ReqDetach: "PTRACE_DETACH", ReqStep: "PTRACE_SINGLESTEP"},
}

var resumeNames = resumeNamesOn[runtime.GOOS]

// On is kernel's name for r.
func (r ResumeReq) On(kernel string) string {
	if n, ok := resumeNamesOn[kernel][r]; ok {
		return n
	}
	return fmt.Sprintf("ResumeReq(%d)", int(r))
}

// ResumeMissingOn is ResumeMissing for kernel on the machine arch
// (runtime.GOARCH). NetBSD: sys/arch/<arch>/include/ptrace.h defines
// PT_STEP or not (nbabi.MDRequests). Linux: 32-bit arm has no hardware
// single step and rejects PTRACE_SINGLESTEP (arch/arm has no
// arch_has_single_step).
func ResumeMissingOn(kernel, arch string, r ResumeReq) string {
	if r != ReqStep {
		return ""
	}
	switch kernel {
	case "netbsd":
		if nbabi.MDRequests[arch].Step == 0 {
			return fmt.Sprintf("NetBSD/%s defines no PT_STEP (sys/arch/%s/include/ptrace.h; PR kern/52119 on arm)", arch, arch)
		}
	case "linux":
		if arch == "arm" {
			return "Linux/arm has no PTRACE_SINGLESTEP (no hardware single step on 32-bit arm)"
		}
	}
	return ""
}

func resumeMissing(r ResumeReq) string { return ResumeMissingOn(runtime.GOOS, runtime.GOARCH, r) }

var missingFlavoursOn = map[string]map[string]string{
	"netbsd": {},
	"linux":  {"wait6": "Linux has no wait6(2) (a NetBSD/FreeBSD system call)"},
}

var missingFlavours = missingFlavoursOn[runtime.GOOS]

// FlavourMissingOn says why kernel has no wait flavour name, "" when it has it.
func FlavourMissingOn(kernel, name string) string { return missingFlavoursOn[kernel][name] }

// unsupportedBits are the event-mask bits a kernel cannot report: always,
// with Why, or on revisions that predate Before.
type unsupportedBits struct {
	Bits   Mask
	Why    string
	Before nbabi.Feature
}

var unsupportedOn = map[string]unsupportedBits{
	"netbsd": {Bits: MaskSpawn, Before: nbabi.FeatureSpawnEvent},
	"linux":  {Bits: MaskSpawn, Why: "Linux has no PTRACE_O_* analog of PTRACE_POSIX_SPAWN (it has no spawn syscall)"},
}

// Unsupported returns the bits of m this kernel cannot report, and why.
func Unsupported(m Mask) (Mask, string) {
	u := unsupportedOn[runtime.GOOS]
	why := u.Why
	if u.Before.Name != "" {
		why = featureMissing(u.Before)
	}
	if why == "" || m&u.Bits == 0 {
		return 0, ""
	}
	return m & u.Bits, why
}

// UnsupportedOn says which bits kernel cannot report, in its words: always
// (why), or before a revision (the feature that added them).
func UnsupportedOn(kernel string) string {
	u := unsupportedOn[kernel]
	switch {
	case u.Bits == 0:
		return "every bit is reported"
	case u.Before.Name != "":
		return fmt.Sprintf("%s only from NetBSD %s (%s); before it: %s", u.Bits.On(kernel),
			nbabi.OSRevisionString(u.Before.Since), u.Before.Name, u.Before.Before)
	}
	return fmt.Sprintf("%s: none: %s", u.Bits.On(kernel), u.Why)
}

// The names above as docs/SEMANTICS.md rows: what each kernel calls the
// stops and event bits that the other rows name.
var _ = semantics.Add(func() []semantics.Row {
	kinds := func(k string) string {
		var parts []string
		for kind := Fork; kind <= ExitEvent; kind++ {
			n, ok := kindNamesOn[k][kind]
			if !ok {
				n = "none"
			}
			parts = append(parts, kind.String()+": "+n)
		}
		return strings.Join(parts, "; ")
	}
	bits := func(k string) string {
		var parts []string
		for _, x := range maskNames {
			parts = append(parts, fmt.Sprintf("%s (%#x): %s", x.n, uint32(x.m), x.m.On(k)))
		}
		return strings.Join(parts, "; ")
	}
	return []semantics.Row{
		semantics.Both("every case", "the event stops, by the suite's name for them", "kindNamesOn", kinds),
		semantics.Both("every case", "the event-mask bits, by the suite's name (NetBSD's value)", "maskNamesOn", bits),
		semantics.Both("eventmask_preserved_*, every case setting an event mask", "event-mask bits the kernel cannot report", "unsupportedOn", UnsupportedOn),
	}
})
