package nbabi

// The CTL_PROC sysctl tree and the PaX flags NetBSD exports to userland, as
// its ptrace suite uses them to decide whether text may be written
// (can_we_write_to_text: sysctl {CTL_PROC, pid, PROC_PID_PAXFLAGS}).
// Source: NetBSD/src sys/sys/sysctl.h (NetBSD 10; CTL_PROC in the top-level
// list, PROC_PID_* in the CTL_PROC tree, CTL_PROC_PAXFLAGS_* "duplicated
// from sys/pax.h").
const (
	CTL_PROC          = 10
	PROC_PID_PAXFLAGS = 6

	CTL_PROC_PAXFLAGS_ASLR     = 0x01
	CTL_PROC_PAXFLAGS_MPROTECT = 0x02
	CTL_PROC_PAXFLAGS_GUARD    = 0x04
)

// SysctlUserVA0Disable is the sysctl that, when non-zero, makes the kernel
// refuse a resume at PC 0 (sys/uvm/uvm_map.c user_va0_disable).
const SysctlUserVA0Disable = "vm.user_va0_disable"
