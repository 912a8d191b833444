package regs

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/nbabi"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracer"
)

var _ = atfshim.Declare(TestCoreDumpProcinfo, atfshim.Meta{
	Descr:   "PT_DUMPCORE at a stop: the tracee dumps core to the tracer's path, the NetBSD-CORE procinfo note names its pid, parent, stop signal and LWP, its LWP note holds the loaded registers, and the tracee runs on unchanged",
	Timeout: caseTimeout,
})

// TestCoreDumpProcinfo is NetBSD's core_dump_procinfo.
func TestCoreDumpProcinfo(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if why := tracer.DumpCoreMissing(); why != "" {
			t.Skip(why)
		}
		tr := tracer.New(t)
		s := atRegsStop(t, tr, false, false)
		path := filepath.Join(t.TempDir(), "dumped.core")
		if err := tr.TryDumpCore(s.p.Pid, path); err != nil {
			t.Fatalf("%s(pid %d, %q): %v", tracer.DumpCoreName, s.p.Pid, path, err)
		}
		core, err := tracer.ReadCore(path)
		if err != nil {
			t.Fatalf("reading the %s core: %v", tracer.DumpCoreName, err)
		}
		pi, err := nbabi.ParseElfcoreProcinfo(core.Procinfo)
		if err != nil {
			t.Fatalf("the %s core's %s procinfo note: %v", tracer.DumpCoreName, nbabi.ElfNoteNetBSDCoreName, err)
		}
		t.Logf("procinfo: %+v", pi)
		what := fmt.Sprintf("%s procinfo of pid %d", tracer.DumpCoreName, s.p.Pid)
		for _, c := range []struct {
			field     string
			got, want int64
		}{
			{"cpi_version", int64(pi.Version), nbabi.NetBSDElfcoreProcinfoVersion},
			{"cpi_cpisize", int64(pi.Cpisize), 160},
			{"cpi_signo", int64(pi.Signo), int64(syscall.SIGSTOP)},
			{"cpi_pid", int64(pi.Pid), int64(s.p.Pid)},
			{"cpi_ppid", int64(pi.Ppid), int64(os.Getpid())},
			{"cpi_siglwp", int64(pi.Siglwp), int64(s.lwp)},
		} {
			if c.got != c.want {
				t.Errorf("%s: %s %d, want %d", what, c.field, c.got, c.want)
			}
		}
		if pi.Nlwps < 1 || int(pi.Nlwps) != len(core.Lwps) {
			t.Errorf("%s: cpi_nlwps %d, and the core has register notes of %d LWPs", what, pi.Nlwps, len(core.Lwps))
		}
		if r, ok := core.Regs[s.lwp][tracer.RegsGP]; !ok {
			t.Errorf("the %s core has no %s note of LWP %d", tracer.DumpCoreName, tracer.RegsGP.Name(false), s.lwp)
		} else {
			checkGP(t, fmt.Sprintf("%s core note of LWP %d", tracer.DumpCoreName, s.lwp), r, func(i int) uint64 { return raw.GPValue(0, i) })
		}
		saw := s.resumeAndSee(t, tr)
		for i, name := range raw.GPLoaded {
			if saw.gp[i] != raw.GPValue(0, i) {
				t.Errorf("after %s the resumed LWP had %s = %#x, it loaded %#x", tracer.DumpCoreName, name, saw.gp[i], raw.GPValue(0, i))
			}
		}
	})
}
