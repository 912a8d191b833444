package nbabi

import "unsafe"

// sysctl names for reading one process's struct kinfo_proc2 and the kernel
// revision. Source: NetBSD/src sys/sys/sysctl.h 1.236 (2021/09/16).
//
// The KERN_PROC2 MIB has six elements:
// {CTL_KERN, KERN_PROC2, KERN_PROC_PID, pid, SizeofKinfoProc2, 1}; the
// fifth is the element size the caller expects, the sixth the count.
const (
	CTL_KERN      = 1
	KERN_OSREV    = 3  // int: __NetBSD_Version__ of the running kernel (kern.osrevision)
	KERN_PROC2    = 47 // struct kinfo_proc2 entries
	KERN_PROC_ALL = 0
	KERN_PROC_PID = 1

	// {CTL_KERN, KERN_LWP, pid, SizeofKinfoLwp, count}: the process's
	// LWPs as struct kinfo_lwp entries.
	KERN_LWP = 64

	// {CTL_KERN, KERN_PROC_ARGS, pid, what}: a process's argv or
	// environment (NUL-separated strings) or its executable's path.
	KERN_PROC_ARGS     = 48
	KERN_PROC_ARGV     = 1
	KERN_PROC_ENV      = 3
	KERN_PROC_PATHNAME = 5
)

// LWP and process states as reported in kinfo_proc2's p_stat. Source:
// sys/sys/lwp.h 1.217 ("These values are set in stone"); 6 was LSDEAD, removed
// in NetBSD 5.0.
const (
	LSIDL       = 1
	LSRUN       = 2
	LSSLEEP     = 3
	LSSTOP      = 4
	LSZOMB      = 5
	LSONPROC    = 7
	LSSUSPENDED = 8
)

// Flags in kinfo_proc2's p_flag that the suite looks at. Source:
// sys/sys/sysctl.h 1.236 ("Compat flags ... Not guaranteed to be stable").
const (
	P_TRACED  = 0x00000800
	P_WAITED  = 0x00001000
	P_WEXIT   = 0x00002000
	P_EXEC    = 0x00004000
	P_SYSCALL = 0x04000000
)

// SizeofKinfoProc2 is sizeof(struct kinfo_proc2) in sysctl.h 1.236. The
// struct uses only fixed-width members and places every 64-bit one at a
// multiple of 8 ("Use 8 byte alignment"), and 680 is a multiple of 8, so the
// layout is the same on every machine, i386 included. The header promises
// that new members are only appended; that the kernel then copies only the
// element size asked for in the MIB is UNVERIFIED (kern_proc.c not read).
const SizeofKinfoProc2 = 680

// KinfoProc2 is struct kinfo_proc2 of sys/sys/sysctl.h 1.236, member for
// member (C name in the comment where Go's differs).
type KinfoProc2 struct {
	Forw, Back, Paddr, Addr, Fd, Cwdi, Stats uint64 // kernel pointers
	Limit, Vmspace, Sigacts, Sess, Tsess, Ru uint64 // kernel pointers

	Eflag, Exitsig, Flag        int32 // p_eflag, p_exitsig, p_flag (P_*)
	Pid, Ppid, Sid, Pgid, Tpgid int32 // p_pid ... p__pgid, p_tpgid
	Uid, Ruid, Gid, Rgid        uint32
	Groups                      [16]uint32 // KI_NGROUPS
	Ngroups, Jobc               int16
	Tdev                        uint32

	Estcpu, RtimeSec, RtimeUsec uint32
	Cpticks                     int32
	Pctcpu, Swtime, Slptime     uint32
	Schedflags                  int32
	Uticks, Sticks, Iticks      uint64
	Tracep                      uint64
	Traceflag, Holdcnt          int32

	Siglist, Sigmask, Sigignore, Sigcatch Sigset // ki_sigset_t

	Stat                   int8 // p_stat: LS*
	Priority, Usrpri, Nice uint8
	Xstat, Acflag          uint16
	Comm                   [24]byte // KI_MAXCOMLEN
	Wmesg                  [8]byte  // KI_WMESGLEN
	Wchan                  uint64
	Login                  [24]byte // KI_MAXLOGNAME

	VmRssize, VmTsize, VmDsize, VmSsize int32
	Uvalid                              int64
	UstartSec, UstartUsec               uint32
	UutimeSec, UutimeUsec               uint32
	UstimeSec, UstimeUsec               uint32
	// p_uru_maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock,
	// oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw.
	Uru                   [14]uint64
	UctimeSec, UctimeUsec uint32
	Cpuid, Realflag       uint64
	Nlwps, Nrlwps         uint64
	Realstat              uint64
	Svuid, Svgid          uint32
	Ename                 [16]byte // KI_MAXEMULLEN
	VmVsize, VmMsize      int64
}

// KinfoProc2Offsets are the byte offsets, in a kinfo_proc2 returned by
// sysctl, of the members the suite reads.
var KinfoProc2Offsets = struct {
	Flag, Pid, Ppid, Stat                 int
	Siglist, Sigmask, Sigignore, Sigcatch int
}{
	Flag:      int(unsafe.Offsetof(KinfoProc2{}.Flag)),
	Pid:       int(unsafe.Offsetof(KinfoProc2{}.Pid)),
	Ppid:      int(unsafe.Offsetof(KinfoProc2{}.Ppid)),
	Stat:      int(unsafe.Offsetof(KinfoProc2{}.Stat)),
	Siglist:   int(unsafe.Offsetof(KinfoProc2{}.Siglist)),
	Sigmask:   int(unsafe.Offsetof(KinfoProc2{}.Sigmask)),
	Sigignore: int(unsafe.Offsetof(KinfoProc2{}.Sigignore)),
	Sigcatch:  int(unsafe.Offsetof(KinfoProc2{}.Sigcatch)),
}

// SizeofKinfoLwp is sizeof(struct kinfo_lwp) in sysctl.h 1.236: fixed-width
// members, the 64-bit ones at multiples of 8, so the same on every machine.
const SizeofKinfoLwp = 128

// KinfoLwp is struct kinfo_lwp of sys/sys/sysctl.h 1.236 (KERN_LWP), member
// for member.
type KinfoLwp struct {
	Forw, Back, Laddr, Addr uint64 // kernel pointers
	Lid, Flag               int32  // l_lid, l_flag (L_*)
	Swtime, Slptime         uint32
	Schedflags, Holdcnt     int32
	Priority, Usrpri        uint8
	Stat                    int8 // l_stat: LS*
	_                       int8
	_                       int32
	Wmesg                   [8]byte // KI_WMESGLEN
	Wchan                   uint64  // kernel pointer
	Cpuid                   uint64
	RtimeSec, RtimeUsec     uint32
	Cpticks, Pctcpu         uint32
	Pid                     uint32
	Name                    [20]byte // KI_LNAMELEN
}
