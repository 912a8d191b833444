package nbabi

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unsafe"
)

// The floating-point and extended register sets of PT_GETFPREGS,
// PT_SETFPREGS, PT_GETXSTATE and PT_SETXSTATE, and the core-file notes that
// carry the same registers. Sources (NetBSD/src):
//
//	amd64: sys/arch/amd64/include/reg.h (struct fpreg { struct fxsave fxstate; })
//	386:   sys/arch/i386/include/reg.h (struct fpreg { char __data[108]; }, the
//	       FNSAVE layout struct save87; struct xmmregs is the FXSAVE one)
//	x86:   sys/arch/x86/include/cpu_extended_state.h (struct save87, struct
//	       fxsave, struct xstate, struct xsave_ymm)
//	arm64: sys/arch/aarch64/include/reg.h 1.2 (struct fpreg: fp_reg[32] of
//	       16 bytes, fpcr, fpsr)
//	arm:   sys/arch/arm/include/reg.h (struct fpreg { struct vfpreg fpr_vfp; })

// Fxsave is struct fxsave, the FXSAVE image (512 bytes): amd64's struct
// fpreg and the legacy area of struct xstate.
type Fxsave struct {
	CW, SW    uint16 // fx_cw, fx_sw
	TW        uint8  // fx_tw (abridged)
	_         uint8
	Opcode    uint16       // fx_opcode
	IP, DP    uint64       // fx_ip, fx_dp (union fp_addr, packed)
	MXCSR     uint32       // fx_mxcsr
	MXCSRMask uint32       // fx_mxcsr_mask
	ST        [8][16]byte  // fx_87_ac: the x87 registers, 10 bytes each padded to 16
	XMM       [16][16]byte // fx_xmm
	Rsvd      [48]byte
	Kernel    [48]byte
}

// FPRegAMD64 is amd64 struct fpreg, 512 bytes.
type FPRegAMD64 struct{ Fxstate Fxsave }

// FPReg386 is i386 struct fpreg: the FNSAVE image (struct save87), 108 bytes.
type FPReg386 struct{ Data [108]byte }

// FPRegARM64 is aarch64 struct fpreg, 528 bytes: 32 128-bit V registers,
// fpcr at 512, fpsr at 516, padded to the union's 16-byte alignment.
type FPRegARM64 struct {
	Reg        [32][16]byte // fp_reg
	FPCR, FPSR uint32
	_          [8]byte
}

// FPRegARM is arm struct fpreg { struct vfpreg fpr_vfp; }, 280 bytes.
type FPRegARM struct {
	FPEXC, FPSCR, FPINST, FPINST2 uint32
	Regs                          [33]uint64 // vfp_regs
}

// XCR0 component bits of xs_rfbm and xs_xstate_bv (the XSAVE state-component
// bitmap; sys/arch/x86/include/specialreg.h XCR0_*).
const (
	XCR0_X87       = 0x01
	XCR0_SSE       = 0x02
	XCR0_YMM_Hi128 = 0x04
	XCR0_Opmask    = 0x20
	XCR0_ZMM_Hi256 = 0x40
	XCR0_Hi16_ZMM  = 0x80
)

// XState is x86 struct xstate (PT_GETXSTATE, PT_SETXSTATE; passed through
// a struct iovec in addr, the LWP in data), 2384 bytes. PT_GETXSTATE: a
// bit of Rfbm says the kernel saved that component, of XstateBV that it
// was not in its initial state. PT_SETXSTATE: a bit of Rfbm says update
// that component, to the area's value when XstateBV has the bit, to the
// CPU's initial value when it does not.
type XState struct {
	Rfbm     uint64       // xs_rfbm
	XstateBV uint64       // xs_xstate_bv
	Fxsave   Fxsave       // xs_fxsave: x87 and SSE
	YmmHi128 [16][16]byte // xs_ymm_hi128: AVX, bits 128..255 of ymm0..15
	Opmask   [8]uint64    // xs_opmask: AVX-512 k0..k7
	ZmmHi256 [16][32]byte // xs_zmm_hi256: bits 256..511 of zmm0..15
	Hi16Zmm  [16][64]byte // xs_hi16_zmm: zmm16..31
}

// Iovec is struct iovec (sys/sys/uio.h), PT_GETXSTATE's addr.
type Iovec struct {
	Base *byte
	Len  uintptr
}

// FPRegLayout says, per GOARCH, how big PT_GETFPREGS's struct fpreg is.
var FPRegLayout = map[string]int{
	"amd64": int(unsafe.Sizeof(FPRegAMD64{})),
	"386":   int(unsafe.Sizeof(FPReg386{})),
	"arm64": int(unsafe.Sizeof(FPRegARM64{})),
	"arm":   int(unsafe.Sizeof(FPRegARM{})),
}

// Core-file notes (sys/sys/exec_elf.h; sys/kern/core_elf32.c): the
// process note is named "NetBSD-CORE" with type
// ELF_NOTE_NETBSD_CORE_PROCINFO; each LWP's registers are notes named
// "NetBSD-CORE@<lid>" whose type is the machine's PT_GETREGS or
// PT_GETFPREGS request number.
const (
	ElfNoteNetBSDCoreName        = "NetBSD-CORE"
	ElfNoteNetBSDCoreProcinfo    = 1
	NetBSDElfcoreProcinfoVersion = 1
)

// ElfcoreProcinfo is struct netbsd_elfcore_procinfo, 160 bytes (version 1,
// cpi_siglwp from version 2 of the layout, same cpi_version).
type ElfcoreProcinfo struct {
	Version, Cpisize, Signo, Sigcode      uint32
	Sigpend, Sigmask, Sigignore, Sigcatch [4]uint32
	Pid, Ppid, Pgrp, Sid                  int32
	Ruid, Euid, Svuid, Rgid, Egid, Svgid  uint32
	Nlwps                                 uint32
	Name                                  [32]byte
	Siglwp                                int32
}

// ParseElfcoreProcinfo decodes the descriptor of a procinfo note.
func ParseElfcoreProcinfo(b []byte) (ElfcoreProcinfo, error) {
	var pi ElfcoreProcinfo
	if len(b) < int(unsafe.Sizeof(pi)) {
		return pi, fmt.Errorf("procinfo note of %d bytes, struct netbsd_elfcore_procinfo is %d", len(b), unsafe.Sizeof(pi))
	}
	err := binary.Read(bytes.NewReader(b), binary.NativeEndian, &pi)
	return pi, err
}
