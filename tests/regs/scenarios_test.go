package regs

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/cpu"
	"golang.org/x/sys/unix"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// scenarioExit is the exit code of a register scenario that ran through.
const scenarioExit = 0

// The register scenarios: "regs" loads the general registers and the SSE
// registers, "regs_avx" the whole 256-bit AVX registers; the "_core"
// variants first make SIGTRAP's action the default (a core dump) and the
// dump land in TMPDIR (raw.PrepareCore), reporting what decides it.
// Each reports the landing and stop routine addresses, an unmapped page
// and its LWP, stops at the ready point, then loads and stops (SIGSTOP to
// itself); once resumed it reports the registers as it then had them.
func init() {
	for _, v := range scenarioVariants {
		avx, fp := v.avx, v.fp
		for _, core := range []bool{false, true} {
			name := scenarioNameFP(avx, fp, core)
			tracee.Register(name, func(c *tracee.Ctx) int {
				if avx && !cpu.X86.HasAVX {
					c.Fatalf("the CPU has no AVX")
				}
				c.Report("trap", hexWord(uint64(raw.TrapAddress())))
				if core {
					c.Check("SIG_DFL for SIGTRAP", raw.DefaultSignal(int(syscall.SIGTRAP)))
					s, err := raw.PrepareCore(os.TempDir())
					c.Check("prepare the core", err)
					j, err := json.Marshal(s)
					c.Check("core setting", err)
					c.Report("core", string(j))
				}
				b := raw.NewRegBlockFP(avx, fp)
				c.Report("landing", hexWord(uint64(raw.RegsLandingAddress())))
				c.Report("stopfn", hexWord(uint64(raw.RegsStopAddress())))
				c.Report("unmapped", hexWord(uint64(unmappedPage(c))))
				c.Report("lwp", raw.ThreadID())
				c.Ready()
				c.Check("load the registers and stop", b.LoadStop())
				var out []string
				for _, v := range b.Out {
					out = append(out, hexWord(v))
				}
				c.Report("out", strings.Join(out, ","))
				c.Report("ax", hexWord(b.AX))
				c.Report("sp", hexWord(b.SP))
				var vout []string
				for _, v := range b.VOut {
					vout = append(vout, hex.EncodeToString(v[:]))
				}
				c.Report("vout", strings.Join(vout, ","))
				var fout []string
				for _, v := range b.FOut {
					fout = append(fout, hex.EncodeToString(v[:]))
				}
				c.Report("fout", strings.Join(fout, ","))
				return scenarioExit
			})
		}
	}
}

// scenarioVariants: what the register scenarios load besides the
// general registers: SSE, AVX, or SSE with the x87 register file as MMX
// or as x87 registers.
var scenarioVariants = []struct {
	avx bool
	fp  int
}{{false, raw.FPNone}, {true, raw.FPNone}, {false, raw.FPMMX}, {false, raw.FPX87}}

func scenarioName(avx, core bool) string { return scenarioNameFP(avx, raw.FPNone, core) }

func scenarioNameFP(avx bool, fp int, core bool) string {
	n := "regs"
	if avx {
		n += "_avx"
	}
	switch fp {
	case raw.FPMMX:
		n += "_mmx"
	case raw.FPX87:
		n += "_x87"
	}
	if core {
		n += "_core"
	}
	return n
}

func hexWord(v uint64) string { return fmt.Sprintf("%#x", v) }

func parseWord(s string) (uint64, error) { return strconv.ParseUint(s, 0, 64) }

// unmappedPage maps a page and unmaps it: its address is then unmapped
// whatever lives at 0.
func unmappedPage(c *tracee.Ctx) uintptr {
	p, err := unix.Mmap(-1, 0, os.Getpagesize(), unix.PROT_READ, unix.MAP_ANON|unix.MAP_PRIVATE)
	c.Check("mmap", err)
	addr := uintptr(unsafePointer(p))
	c.Check("munmap", unix.Munmap(p))
	return addr
}
