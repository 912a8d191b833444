package nbabi

import (
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// The register sets' C layouts, worked out by hand from the declarations
// named in fpregs.go. They are the same on every GOARCH except where the
// comment says: x86's unions are packed, arm64's fp_reg is 16-aligned
// (padding after fpsr), ARM EABI aligns vfp_regs to 8 (offset 16 either way).
var fpregSizes = map[string]uintptr{
	"Fxsave": 512, "FPRegAMD64": 512, "FPReg386": 108, "FPRegARM64": 528,
	"FPRegARM": 280, "XState": 2384, "ElfcoreProcinfo": 160,
}

var fpregOffsets = map[string]uintptr{
	"Fxsave.SW": 2, "Fxsave.TW": 4, "Fxsave.Opcode": 6, "Fxsave.IP": 8, "Fxsave.DP": 16,
	"Fxsave.MXCSR": 24, "Fxsave.MXCSRMask": 28, "Fxsave.ST": 32, "Fxsave.XMM": 160,
	"Fxsave.Rsvd": 416, "Fxsave.Kernel": 464,
	"XState.XstateBV": 8, "XState.Fxsave": 16, "XState.YmmHi128": 528, "XState.Opmask": 784,
	"XState.ZmmHi256": 848, "XState.Hi16Zmm": 1360,
	"FPRegARM64.FPCR": 512, "FPRegARM64.FPSR": 516,
	"FPRegARM.FPSCR": 4, "FPRegARM.Regs": 16,
	"ElfcoreProcinfo.Sigcode": 12, "ElfcoreProcinfo.Sigpend": 16, "ElfcoreProcinfo.Sigcatch": 64,
	"ElfcoreProcinfo.Pid": 80, "ElfcoreProcinfo.Ppid": 84, "ElfcoreProcinfo.Pgrp": 88,
	"ElfcoreProcinfo.Sid": 92, "ElfcoreProcinfo.Ruid": 96, "ElfcoreProcinfo.Egid": 112,
	"ElfcoreProcinfo.Nlwps": 120, "ElfcoreProcinfo.Name": 124, "ElfcoreProcinfo.Siglwp": 156,
}

func TestFPRegLayouts(t *testing.T) {
	var (
		fx Fxsave
		xs XState
		a6 FPRegARM64
		ar FPRegARM
		pi ElfcoreProcinfo
	)
	gotSizes := map[string]uintptr{
		"Fxsave": unsafe.Sizeof(fx), "FPRegAMD64": unsafe.Sizeof(FPRegAMD64{}),
		"FPReg386": unsafe.Sizeof(FPReg386{}), "FPRegARM64": unsafe.Sizeof(a6),
		"FPRegARM": unsafe.Sizeof(ar), "XState": unsafe.Sizeof(xs), "ElfcoreProcinfo": unsafe.Sizeof(pi),
	}
	gotOffsets := map[string]uintptr{
		"Fxsave.SW": unsafe.Offsetof(fx.SW), "Fxsave.TW": unsafe.Offsetof(fx.TW),
		"Fxsave.Opcode": unsafe.Offsetof(fx.Opcode), "Fxsave.IP": unsafe.Offsetof(fx.IP),
		"Fxsave.DP": unsafe.Offsetof(fx.DP), "Fxsave.MXCSR": unsafe.Offsetof(fx.MXCSR),
		"Fxsave.MXCSRMask": unsafe.Offsetof(fx.MXCSRMask), "Fxsave.ST": unsafe.Offsetof(fx.ST),
		"Fxsave.XMM": unsafe.Offsetof(fx.XMM), "Fxsave.Rsvd": unsafe.Offsetof(fx.Rsvd),
		"Fxsave.Kernel":   unsafe.Offsetof(fx.Kernel),
		"XState.XstateBV": unsafe.Offsetof(xs.XstateBV), "XState.Fxsave": unsafe.Offsetof(xs.Fxsave),
		"XState.YmmHi128": unsafe.Offsetof(xs.YmmHi128), "XState.Opmask": unsafe.Offsetof(xs.Opmask),
		"XState.ZmmHi256": unsafe.Offsetof(xs.ZmmHi256), "XState.Hi16Zmm": unsafe.Offsetof(xs.Hi16Zmm),
		"FPRegARM64.FPCR": unsafe.Offsetof(a6.FPCR), "FPRegARM64.FPSR": unsafe.Offsetof(a6.FPSR),
		"FPRegARM.FPSCR": unsafe.Offsetof(ar.FPSCR), "FPRegARM.Regs": unsafe.Offsetof(ar.Regs),
		"ElfcoreProcinfo.Sigcode": unsafe.Offsetof(pi.Sigcode), "ElfcoreProcinfo.Sigpend": unsafe.Offsetof(pi.Sigpend),
		"ElfcoreProcinfo.Sigcatch": unsafe.Offsetof(pi.Sigcatch), "ElfcoreProcinfo.Pid": unsafe.Offsetof(pi.Pid),
		"ElfcoreProcinfo.Ppid": unsafe.Offsetof(pi.Ppid), "ElfcoreProcinfo.Pgrp": unsafe.Offsetof(pi.Pgrp),
		"ElfcoreProcinfo.Sid": unsafe.Offsetof(pi.Sid), "ElfcoreProcinfo.Ruid": unsafe.Offsetof(pi.Ruid),
		"ElfcoreProcinfo.Egid": unsafe.Offsetof(pi.Egid), "ElfcoreProcinfo.Nlwps": unsafe.Offsetof(pi.Nlwps),
		"ElfcoreProcinfo.Name": unsafe.Offsetof(pi.Name), "ElfcoreProcinfo.Siglwp": unsafe.Offsetof(pi.Siglwp),
	}
	if d := cmp.Diff(fpregSizes, gotSizes); d != "" {
		t.Errorf("register set sizes differ from the C layouts (-C +Go):\n%s", d)
	}
	if d := cmp.Diff(fpregOffsets, gotOffsets); d != "" {
		t.Errorf("register set offsets differ from the C layouts (-C +Go):\n%s", d)
	}
	for arch, n := range FPRegLayout {
		if want := map[string]int{"amd64": 512, "386": 108, "arm64": 528, "arm": 280}[arch]; n != want {
			t.Errorf("FPRegLayout[%s] = %d, struct fpreg is %d bytes", arch, n, want)
		}
	}
}
