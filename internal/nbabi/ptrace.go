package nbabi

import "fmt"

// Machine-independent ptrace(2) requests.
// Source: NetBSD/src sys/sys/ptrace.h 1.75 (2022/06/08).
// 3 and 6 are unused. PT_LWPINFO is visible to userland only with
// __LEGACY_PT_LWPINFO (the kernel still serves it).
const (
	PT_TRACE_ME          = 0
	PT_READ_I            = 1
	PT_READ_D            = 2
	PT_WRITE_I           = 4
	PT_WRITE_D           = 5
	PT_CONTINUE          = 7
	PT_KILL              = 8
	PT_ATTACH            = 9
	PT_DETACH            = 10
	PT_IO                = 11
	PT_DUMPCORE          = 12
	PT_LWPINFO           = 13
	PT_SYSCALL           = 14
	PT_SYSCALLEMU        = 15
	PT_SET_EVENT_MASK    = 16
	PT_GET_EVENT_MASK    = 17
	PT_GET_PROCESS_STATE = 18
	PT_SET_SIGINFO       = 19
	PT_GET_SIGINFO       = 20
	PT_RESUME            = 21
	PT_SUSPEND           = 22
	PT_STOP              = 23
	PT_LWPSTATUS         = 24
	PT_LWPNEXT           = 25
	PT_SET_SIGPASS       = 26
	PT_GET_SIGPASS       = 27

	PT_FIRSTMACH = 32 // first machine-dependent request; see MDRequests
)

// requestNames is PT_STRINGS of sys/sys/ptrace.h 1.75.
var requestNames = [...]string{
	"PT_TRACE_ME", "PT_READ_I", "PT_READ_D", "", "PT_WRITE_I", "PT_WRITE_D", "",
	"PT_CONTINUE", "PT_KILL", "PT_ATTACH", "PT_DETACH", "PT_IO", "PT_DUMPCORE",
	"PT_LWPINFO", "PT_SYSCALL", "PT_SYSCALLEMU", "PT_SET_EVENT_MASK",
	"PT_GET_EVENT_MASK", "PT_GET_PROCESS_STATE", "PT_SET_SIGINFO",
	"PT_GET_SIGINFO", "PT_RESUME", "PT_SUSPEND", "PT_STOP", "PT_LWPSTATUS",
	"PT_LWPNEXT", "PT_SET_SIGPASS", "PT_GET_SIGPASS",
}

// RequestName names a machine-independent request ("PT_IO"), for messages.
// Unknown and machine-dependent numbers come back as "ptrace request N".
func RequestName(req int) string {
	if req >= 0 && req < len(requestNames) && requestNames[req] != "" {
		return requestNames[req]
	}
	return fmt.Sprintf("ptrace request %d", req)
}

// RequestHistory is what requests 21..27 meant before NetBSD 10.
// Then: sys/sys/ptrace.h 1.59 (2017/03/23), which defined 21..24 only
// ("" = not defined there). Now: sys/sys/ptrace.h 1.75.
var RequestHistory = []struct {
	Req       int
	Then, Now string
}{
	{21, "PT_SET_SIGMASK", "PT_RESUME"},
	{22, "PT_GET_SIGMASK", "PT_SUSPEND"},
	{23, "PT_RESUME", "PT_STOP"},
	{24, "PT_SUSPEND", "PT_LWPSTATUS"},
	{25, "", "PT_LWPNEXT"},
	{26, "", "PT_SET_SIGPASS"},
	{27, "", "PT_GET_SIGPASS"},
}

// Event mask bits for PT_SET_EVENT_MASK / PT_GET_EVENT_MASK (pe_set_event)
// and PT_GET_PROCESS_STATE (pe_report_event).
// Source: sys/sys/ptrace.h 1.75.
const (
	PTRACE_FORK        = 0x0001
	PTRACE_VFORK       = 0x0002
	PTRACE_VFORK_DONE  = 0x0004
	PTRACE_LWP_CREATE  = 0x0008
	PTRACE_LWP_EXIT    = 0x0010
	PTRACE_POSIX_SPAWN = 0x0020
)

// PT_IO operations (piod_op). Source: sys/sys/ptrace.h 1.75.
const (
	PIOD_READ_D    = 1
	PIOD_WRITE_D   = 2
	PIOD_READ_I    = 3
	PIOD_WRITE_I   = 4
	PIOD_READ_AUXV = 5
)

// PT_LWPINFO events (pl_event) and the PT_LWPSTATUS name length.
// Source: sys/sys/ptrace.h 1.75.
const (
	PL_EVENT_NONE      = 0
	PL_EVENT_SIGNAL    = 1
	PL_EVENT_SUSPENDED = 2

	PL_LNAMELEN = 20
)
