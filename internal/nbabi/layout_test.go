package nbabi

import (
	"encoding/binary"
	"runtime"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// The expected C layouts, worked out by hand from the NetBSD declarations
// (sys/sys/ptrace.h 1.75, siginfo.h 1.34, sigtypes.h 1.7, sysctl.h 1.236,
// the machines' reg.h) and the C ABIs: LP64 (amd64, arm64), i386 System V
// (uint64_t members 4-aligned) and ARM EABI (uint64_t members 8-aligned).
// Every GOARCH has a table so that a cross-compiled test binary carries it.

type layout struct {
	Sizes   map[string]uintptr // sizeof
	Offsets map[string]uintptr // offsetof, "Type.Field"
	Siginfo map[string]int     // where each Siginfo accessor reads
}

// kinfoProc2Offsets is machine-independent: fixed-width members, 64-bit ones
// at multiples of 8.
var kinfoProc2Offsets = map[string]uintptr{
	"KinfoProc2.Forw": 0, "KinfoProc2.Ru": 96, "KinfoProc2.Eflag": 104,
	"KinfoProc2.Flag": 112, "KinfoProc2.Pid": 116, "KinfoProc2.Ppid": 120,
	"KinfoProc2.Tpgid": 132, "KinfoProc2.Uid": 136, "KinfoProc2.Groups": 152,
	"KinfoProc2.Ngroups": 216, "KinfoProc2.Jobc": 218, "KinfoProc2.Tdev": 220,
	"KinfoProc2.Schedflags": 252, "KinfoProc2.Uticks": 256, "KinfoProc2.Tracep": 280,
	"KinfoProc2.Traceflag": 288, "KinfoProc2.Holdcnt": 292,
	"KinfoProc2.Siglist": 296, "KinfoProc2.Sigmask": 312,
	"KinfoProc2.Sigignore": 328, "KinfoProc2.Sigcatch": 344,
	"KinfoProc2.Stat": 360, "KinfoProc2.Nice": 363, "KinfoProc2.Xstat": 364,
	"KinfoProc2.Acflag": 366, "KinfoProc2.Comm": 368, "KinfoProc2.Wmesg": 392,
	"KinfoProc2.Wchan": 400, "KinfoProc2.Login": 408, "KinfoProc2.VmRssize": 432,
	"KinfoProc2.Uvalid": 448, "KinfoProc2.UstartSec": 456, "KinfoProc2.Uru": 480,
	"KinfoProc2.UctimeSec": 592, "KinfoProc2.Cpuid": 600, "KinfoProc2.Realstat": 632,
	"KinfoProc2.Svuid": 640, "KinfoProc2.Ename": 648, "KinfoProc2.VmVsize": 664,
	"KinfoProc2.VmMsize": 672,
}

// kinfoLwpOffsets is machine-independent too.
var kinfoLwpOffsets = map[string]uintptr{
	"KinfoLwp.Lid": 32, "KinfoLwp.Flag": 36, "KinfoLwp.Priority": 56, "KinfoLwp.Stat": 58,
	"KinfoLwp.Wmesg": 64, "KinfoLwp.Wchan": 72, "KinfoLwp.Cpuid": 80, "KinfoLwp.RtimeSec": 88,
	"KinfoLwp.Pid": 104, "KinfoLwp.Name": 108,
}

func merge(ms ...map[string]uintptr) map[string]uintptr {
	out := map[string]uintptr{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// common are the sizes that do not depend on the machine.
var commonSizes = map[string]uintptr{
	"PtraceEvent": 4, "PtraceState": 8, "PtraceLwpinfo": 8, "Sigset": 16,
	"Siginfo": 128, "KinfoProc2": 680, "KinfoLwp": 128,
	"RegAMD64": 208, "Reg386": 64, "RegARM64": 280, "RegARM": 68,
}

var commonOffsets = merge(kinfoProc2Offsets, kinfoLwpOffsets, map[string]uintptr{
	"PtraceState.OtherPid": 4, "PtraceLwpinfo.Event": 4,
	"PtraceLwpstatus.Sigpend": 4, "PtraceLwpstatus.Sigmask": 20, "PtraceLwpstatus.Name": 36,
	"PtraceLwpstatus.Private": 56, "PtraceSiginfo.Lwpid": 128,
})

// siginfoOffsets says where each siginfo_t member read by an accessor lives,
// in columns LP64 (amd64, arm64), i386, ARM EABI. LP64: _pad, union at 16.
// i386: no _pad and uint64_t si_args 4-aligned, so the union is at 12. ARM
// EABI: no _pad, but si_args makes the union 8-aligned, so it is at 16
// behind a 4-byte hole, and si_trap follows a 4-byte si_addr.
var siginfoOffsets = map[string][3]int{
	"Signo":         {0, 0, 0},
	"Code":          {4, 4, 4},
	"Errno":         {8, 8, 8},
	"Pid":           {16, 12, 16},
	"Uid":           {20, 16, 20},
	"Status":        {24, 20, 24},
	"Addr":          {16, 12, 16},
	"Trap":          {24, 16, 20},
	"Sysnum":        {16, 12, 16},
	"Retval":        {20, 16, 20},
	"Error":         {28, 24, 28},
	"Args":          {32, 28, 32},
	"PeReportEvent": {16, 12, 16},
	"PeOtherPid":    {20, 16, 20},
}

func siginfoColumn(col int) map[string]int {
	out := map[string]int{}
	for k, v := range siginfoOffsets {
		out[k] = v[col]
	}
	return out
}

var lp64 = layout{
	Sizes: merge(commonSizes, map[string]uintptr{
		"PtraceIoDesc": 32, "PtraceLwpstatus": 64, "PtraceSiginfo": 136, "Siginfo.align": 8,
	}),
	Offsets: merge(commonOffsets, map[string]uintptr{
		"PtraceIoDesc.Offs": 8, "PtraceIoDesc.Addr": 16, "PtraceIoDesc.Len": 24,
	}),
	Siginfo: siginfoColumn(0),
}

// ILP32 sizes; only ptrace_siginfo_t differs between i386 and ARM EABI
// (siginfo_t is 4-aligned on i386, 8-aligned on ARM EABI, where Go can only
// align Siginfo to 4).
var (
	ilp32Sizes = merge(commonSizes, map[string]uintptr{
		"PtraceIoDesc": 16, "PtraceLwpstatus": 60, "Siginfo.align": 4,
	})
	ilp32Offsets = merge(commonOffsets, map[string]uintptr{
		"PtraceIoDesc.Offs": 4, "PtraceIoDesc.Addr": 8, "PtraceIoDesc.Len": 12,
	})
)

var wantLayout = map[string]layout{
	"amd64": lp64,
	"arm64": lp64,
	"386": {
		Sizes:   merge(ilp32Sizes, map[string]uintptr{"PtraceSiginfo": 132}),
		Offsets: ilp32Offsets,
		Siginfo: siginfoColumn(1),
	},
	"arm": {
		Sizes:   merge(ilp32Sizes, map[string]uintptr{"PtraceSiginfo": 136}),
		Offsets: ilp32Offsets,
		Siginfo: siginfoColumn(2),
	},
}

func want(t *testing.T) layout {
	t.Helper()
	w, ok := wantLayout[runtime.GOARCH]
	if !ok {
		t.Skipf("no NetBSD layout table for GOARCH=%s", runtime.GOARCH)
	}
	return w
}

func TestWantLayoutCoversNetBSDArches(t *testing.T) {
	for _, a := range []string{"amd64", "arm64", "386", "arm"} {
		w, ok := wantLayout[a]
		if !ok || len(w.Sizes) == 0 || len(w.Offsets) == 0 || len(w.Siginfo) != 14 {
			t.Errorf("expected layout table for %s is missing or incomplete", a)
		}
	}
}

func TestStructSizes(t *testing.T) {
	w := want(t)
	var k KinfoProc2
	got := map[string]uintptr{
		"PtraceEvent":     unsafe.Sizeof(PtraceEvent{}),
		"PtraceState":     unsafe.Sizeof(PtraceState{}),
		"PtraceIoDesc":    unsafe.Sizeof(PtraceIoDesc{}),
		"PtraceLwpinfo":   unsafe.Sizeof(PtraceLwpinfo{}),
		"PtraceLwpstatus": unsafe.Sizeof(PtraceLwpstatus{}),
		"Sigset":          unsafe.Sizeof(Sigset{}),
		"Siginfo":         unsafe.Sizeof(Siginfo{}),
		"Siginfo.align":   unsafe.Alignof(Siginfo{}),
		"PtraceSiginfo":   unsafe.Sizeof(PtraceSiginfo{}),
		"KinfoProc2":      unsafe.Sizeof(k),
		"KinfoLwp":        unsafe.Sizeof(KinfoLwp{}),
		"RegAMD64":        unsafe.Sizeof(RegAMD64{}),
		"Reg386":          unsafe.Sizeof(Reg386{}),
		"RegARM64":        unsafe.Sizeof(RegARM64{}),
		"RegARM":          unsafe.Sizeof(RegARM{}),
	}
	if d := cmp.Diff(w.Sizes, got); d != "" {
		t.Errorf("sizes on %s differ from the C ABI (-want +got):\n%s", runtime.GOARCH, d)
	}
	if SizeofKinfoLwp != unsafe.Sizeof(KinfoLwp{}) {
		t.Errorf("SizeofKinfoLwp %d disagrees with the type", SizeofKinfoLwp)
	}
	if SizeofKinfoProc2 != unsafe.Sizeof(k) || SizeofSiginfo != unsafe.Sizeof(Siginfo{}) {
		t.Errorf("SizeofKinfoProc2 %d / SizeofSiginfo %d disagree with the types", SizeofKinfoProc2, SizeofSiginfo)
	}
}

func TestStructOffsets(t *testing.T) {
	w := want(t)
	var (
		st  PtraceState
		io  PtraceIoDesc
		li  PtraceLwpinfo
		ls  PtraceLwpstatus
		psi PtraceSiginfo
		k   KinfoProc2
		kl  KinfoLwp
	)
	got := map[string]uintptr{
		"PtraceState.OtherPid": unsafe.Offsetof(st.OtherPid),
		"PtraceIoDesc.Offs":    unsafe.Offsetof(io.Offs), "PtraceIoDesc.Addr": unsafe.Offsetof(io.Addr),
		"PtraceIoDesc.Len":        unsafe.Offsetof(io.Len),
		"PtraceLwpinfo.Event":     unsafe.Offsetof(li.Event),
		"PtraceLwpstatus.Sigpend": unsafe.Offsetof(ls.Sigpend), "PtraceLwpstatus.Sigmask": unsafe.Offsetof(ls.Sigmask),
		"PtraceLwpstatus.Name": unsafe.Offsetof(ls.Name), "PtraceLwpstatus.Private": unsafe.Offsetof(ls.Private),
		"PtraceSiginfo.Lwpid": unsafe.Offsetof(psi.Lwpid),
		"KinfoProc2.Forw":     unsafe.Offsetof(k.Forw), "KinfoProc2.Ru": unsafe.Offsetof(k.Ru),
		"KinfoProc2.Eflag": unsafe.Offsetof(k.Eflag), "KinfoProc2.Flag": unsafe.Offsetof(k.Flag),
		"KinfoProc2.Pid": unsafe.Offsetof(k.Pid), "KinfoProc2.Ppid": unsafe.Offsetof(k.Ppid),
		"KinfoProc2.Tpgid": unsafe.Offsetof(k.Tpgid), "KinfoProc2.Uid": unsafe.Offsetof(k.Uid),
		"KinfoProc2.Groups": unsafe.Offsetof(k.Groups), "KinfoProc2.Ngroups": unsafe.Offsetof(k.Ngroups),
		"KinfoProc2.Jobc": unsafe.Offsetof(k.Jobc), "KinfoProc2.Tdev": unsafe.Offsetof(k.Tdev),
		"KinfoProc2.Schedflags": unsafe.Offsetof(k.Schedflags), "KinfoProc2.Uticks": unsafe.Offsetof(k.Uticks),
		"KinfoProc2.Tracep": unsafe.Offsetof(k.Tracep), "KinfoProc2.Traceflag": unsafe.Offsetof(k.Traceflag),
		"KinfoProc2.Holdcnt": unsafe.Offsetof(k.Holdcnt), "KinfoProc2.Siglist": unsafe.Offsetof(k.Siglist),
		"KinfoProc2.Sigmask": unsafe.Offsetof(k.Sigmask), "KinfoProc2.Sigignore": unsafe.Offsetof(k.Sigignore),
		"KinfoProc2.Sigcatch": unsafe.Offsetof(k.Sigcatch), "KinfoProc2.Stat": unsafe.Offsetof(k.Stat),
		"KinfoProc2.Nice": unsafe.Offsetof(k.Nice), "KinfoProc2.Xstat": unsafe.Offsetof(k.Xstat),
		"KinfoProc2.Acflag": unsafe.Offsetof(k.Acflag), "KinfoProc2.Comm": unsafe.Offsetof(k.Comm),
		"KinfoProc2.Wmesg": unsafe.Offsetof(k.Wmesg), "KinfoProc2.Wchan": unsafe.Offsetof(k.Wchan),
		"KinfoProc2.Login": unsafe.Offsetof(k.Login), "KinfoProc2.VmRssize": unsafe.Offsetof(k.VmRssize),
		"KinfoProc2.Uvalid": unsafe.Offsetof(k.Uvalid), "KinfoProc2.UstartSec": unsafe.Offsetof(k.UstartSec),
		"KinfoProc2.Uru": unsafe.Offsetof(k.Uru), "KinfoProc2.UctimeSec": unsafe.Offsetof(k.UctimeSec),
		"KinfoProc2.Cpuid": unsafe.Offsetof(k.Cpuid), "KinfoProc2.Realstat": unsafe.Offsetof(k.Realstat),
		"KinfoProc2.Svuid": unsafe.Offsetof(k.Svuid), "KinfoProc2.Ename": unsafe.Offsetof(k.Ename),
		"KinfoProc2.VmVsize": unsafe.Offsetof(k.VmVsize), "KinfoProc2.VmMsize": unsafe.Offsetof(k.VmMsize),
		"KinfoLwp.Lid": unsafe.Offsetof(kl.Lid), "KinfoLwp.Flag": unsafe.Offsetof(kl.Flag),
		"KinfoLwp.Priority": unsafe.Offsetof(kl.Priority), "KinfoLwp.Stat": unsafe.Offsetof(kl.Stat),
		"KinfoLwp.Wmesg": unsafe.Offsetof(kl.Wmesg), "KinfoLwp.Wchan": unsafe.Offsetof(kl.Wchan),
		"KinfoLwp.Cpuid": unsafe.Offsetof(kl.Cpuid), "KinfoLwp.RtimeSec": unsafe.Offsetof(kl.RtimeSec),
		"KinfoLwp.Pid": unsafe.Offsetof(kl.Pid), "KinfoLwp.Name": unsafe.Offsetof(kl.Name),
	}
	if d := cmp.Diff(w.Offsets, got); d != "" {
		t.Errorf("offsets on %s differ from the C ABI (-want +got):\n%s", runtime.GOARCH, d)
	}
}

func TestKinfoProc2Offsets(t *testing.T) {
	got := KinfoProc2Offsets
	for name, pair := range map[string][2]int{
		"Flag": {got.Flag, 112}, "Pid": {got.Pid, 116}, "Ppid": {got.Ppid, 120},
		"Stat": {got.Stat, 360}, "Siglist": {got.Siglist, 296}, "Sigmask": {got.Sigmask, 312},
		"Sigignore": {got.Sigignore, 328}, "Sigcatch": {got.Sigcatch, 344},
	} {
		if pair[0] != pair[1] {
			t.Errorf("KinfoProc2Offsets.%s = %d, want %d (sysctl.h 1.236)", name, pair[0], pair[1])
		}
	}
}

// siginfoProbe is a siginfo whose byte i holds i, so a value read by an
// accessor tells at which offset it was read.
func siginfoProbe() *Siginfo {
	var s Siginfo
	for i := range s.raw {
		s.raw[i] = byte(i)
	}
	return &s
}

// at returns the offset an n-byte value read from a probe came from,
// checking that its bytes are consecutive (read in one place).
func at(t *testing.T, name string, v uint64, n int) int {
	t.Helper()
	b := make([]byte, 8)
	if n == 4 {
		binary.NativeEndian.PutUint32(b, uint32(v))
	} else {
		binary.NativeEndian.PutUint64(b, v)
	}
	for i := 1; i < n; i++ {
		if b[i] != b[0]+byte(i) {
			t.Errorf("%s read non-consecutive bytes % x", name, b[:n])
		}
	}
	return int(b[0])
}

func TestSiginfoAccessorOffsets(t *testing.T) {
	w := want(t)
	s := siginfoProbe()
	u32 := func(name string, v int) int { return at(t, name, uint64(uint32(v)), 4) }
	rv, args := s.Retval(), s.Args()
	got := map[string]int{
		"Signo": u32("Signo", s.Signo()), "Code": u32("Code", s.Code()), "Errno": u32("Errno", s.Errno()),
		"Pid": u32("Pid", s.Pid()), "Uid": at(t, "Uid", uint64(s.Uid()), 4),
		"Status": u32("Status", s.Status()), "Addr": at(t, "Addr", uint64(s.Addr()), ptrSize),
		"Trap": u32("Trap", s.Trap()), "Sysnum": u32("Sysnum", s.Sysnum()),
		"Retval": u32("Retval", int(rv[0])), "Error": u32("Error", s.Error()),
		"Args": at(t, "Args", args[0], 8), "PeReportEvent": u32("PeReportEvent", s.PeReportEvent()),
		"PeOtherPid": u32("PeOtherPid", s.PeOtherPid()),
	}
	if d := cmp.Diff(w.Siginfo, got); d != "" {
		t.Errorf("siginfo accessor offsets on %s differ from the C ABI (-want +got):\n%s", runtime.GOARCH, d)
	}
	if next := u32("Retval[1]", int(rv[1])); next != got["Retval"]+4 {
		t.Errorf("si_retval[1] read at %d, want %d", next, got["Retval"]+4)
	}
	for i, a := range args {
		if off := at(t, "Args", a, 8); off != got["Args"]+8*i {
			t.Errorf("si_args[%d] read at %d, want %d", i, off, got["Args"]+8*i)
		}
	}
	if end := got["Args"] + 64; end > SizeofSiginfo {
		t.Errorf("si_args ends at %d, past siginfo_t's %d bytes", end, SizeofSiginfo)
	}
}

func TestSiginfoSetters(t *testing.T) {
	var psi PtraceSiginfo
	psi.SetSigno(SIGTRAP)
	psi.SetCode(SI_LWP)
	psi.Lwpid = 7
	if psi.Signo() != SIGTRAP || psi.Code() != SI_LWP || psi.Errno() != 0 {
		t.Errorf("after SetSigno/SetCode: signo %d code %d errno %d", psi.Signo(), psi.Code(), psi.Errno())
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&psi)), unsafe.Sizeof(psi))
	if raw[0] != SIGTRAP || int32(binary.NativeEndian.Uint32(raw[4:])) != SI_LWP ||
		binary.NativeEndian.Uint32(raw[128:]) != 7 {
		t.Errorf("the setters did not write si_signo@0, si_code@4 and psi_lwpid@128: % x", raw[:12])
	}
}

func TestPtraceStateLwp(t *testing.T) {
	st := PtraceState{ReportEvent: PTRACE_LWP_CREATE, OtherPid: 3}
	if st.Lwp() != 3 {
		t.Errorf("pe_lwp = %d, want the union's 3", st.Lwp())
	}
}

func TestLwpstatusName(t *testing.T) {
	var ls PtraceLwpstatus
	copy(ls.Name[:], "thread 2")
	if got := ls.NameString(); got != "thread 2" {
		t.Errorf("NameString = %q", got)
	}
	for i := range ls.Name {
		ls.Name[i] = 'x'
	}
	if got := ls.NameString(); len(got) != PL_LNAMELEN {
		t.Errorf("an unterminated pl_name gave %q", got)
	}
}

func TestRegLayout(t *testing.T) {
	wantRegs := map[string]struct{ Size, PCOffset, SPOffset int }{
		"amd64": {208, 168, 192}, // regs[21] RIP, regs[24] RSP
		"386":   {64, 32, 16},    // r_eip, r_esp
		"arm64": {280, 256, 248}, // r_pc, r_sp
		"arm":   {68, 60, 52},    // r_pc, r_sp
	}
	if d := cmp.Diff(wantRegs, RegLayout); d != "" {
		t.Errorf("RegLayout (-want +got):\n%s", d)
	}
}
