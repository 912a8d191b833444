package regs

import (
	"runtime"

	"ptracesuite/internal/semantics"
)

// regsKernel is, per kernel, how a tracer reaches an LWP's registers and
// where the cases find what they check: the expectations as data.
type regsKernel struct {
	gp, fp, xstate string // the requests and the layout they move
	// stopTarget: per GOARCH, the register holding the LWP id that a raw
	// LWP's self-signal names (regs_per_lwp).
	stopTarget map[string]string
	coreNotes  string // where a core keeps each LWP's registers
	dumpCore   string // the request that dumps a core of a stopped tracee
	// stopIsProcess: a SIGSTOP an LWP sends itself stops the process,
	// and the stop is not reported as the LWP's own (NetBSD: SIGSTOP is
	// process-wide; inferred on 8.99.25, where regs_per_lwp did not take
	// the main LWP's _lwp_kill(SIGSTOP) stop for its own by psi_lwpid).
	stopIsProcess bool
	// threadStops: a stop holds only the thread that stopped, so the
	// tracer can keep one LWP stopped (its registers readable) while it
	// resumes the others (Linux: each thread is a tracee of its own);
	// NetBSD stops and resumes the process with all its LWPs.
	threadStops bool
	// hasRFBM: the XSAVE state read back carries the requested-feature
	// bitmap (NetBSD's xs_rfbm); Linux's NT_X86_XSTATE has none.
	hasRFBM bool
}

var kernelRegs = map[string]regsKernel{
	"netbsd": {
		gp:            "PT_GETREGS/PT_SETREGS, struct reg, the LWP in data",
		fp:            "PT_GETFPREGS/PT_SETFPREGS, struct fpreg (amd64: the FXSAVE image)",
		xstate:        "PT_GETXSTATE/PT_SETXSTATE, struct xstate through a struct iovec (xs_rfbm, xs_xstate_bv, FXSAVE image at 16, ymm upper halves at 528); from 10.0 (FeatureXState)",
		stopTarget:    map[string]string{"amd64": "rdi"}, // _lwp_kill(lid, sig)
		coreNotes:     `"NetBSD-CORE@<lid>" notes typed by the PT_GETREGS, PT_GETFPREGS, PT_GETXSTATE numbers; the process's "NetBSD-CORE" procinfo note`,
		dumpCore:      "PT_DUMPCORE (addr the path, data its length); the tracee stays stopped",
		stopIsProcess: true,
		hasRFBM:       true,
	},
	"linux": {
		gp:          "PTRACE_GETREGSET/PTRACE_SETREGSET NT_PRSTATUS, struct user_regs_struct, the thread as pid",
		fp:          "PTRACE_GETREGSET/PTRACE_SETREGSET NT_PRFPREG, struct user_fpregs_struct (the FXSAVE image)",
		xstate:      "PTRACE_GETREGSET/PTRACE_SETREGSET NT_X86_XSTATE, the XSAVE image (XSTATE_BV at 512, ymm upper halves at 576); no requested-feature bitmap: XSTATE_BV alone says set or reset",
		stopTarget:  map[string]string{"amd64": "rsi"}, // tgkill(tgid, tid, sig)
		coreNotes:   `per thread NT_PRSTATUS (pr_pid the tid, pr_reg at 112 on x86-64), then its NT_PRFPREG ("CORE") and NT_X86_XSTATE ("LINUX")`,
		dumpCore:    "none: no ptrace request dumps a core (gcore(1) writes one from outside); core_dump_procinfo skips",
		threadStops: true,
	},
}

// stopTarget is this kernel's and machine's stopTarget ("" when none).
func stopTarget() string { return kernelRegs[runtime.GOOS].stopTarget[runtime.GOARCH] }

var _ = semantics.Add(func() []semantics.Row {
	rule := func(f func(regsKernel) string) func(string) string {
		return func(k string) string { return f(kernelRegs[k]) }
	}
	return []semantics.Row{
		semantics.Both("access_regs*, x86_gpregs64_*, regs_per_lwp", "reading and writing an LWP's general registers", "kernelRegs.gp",
			rule(func(r regsKernel) string { return r.gp })),
		semantics.Both("access_fpregs*, x86_fpregs_xmm_*", "reading and writing an LWP's FPU/SSE registers", "kernelRegs.fp",
			rule(func(r regsKernel) string { return r.fp })),
		semantics.Both("x86_xstate_*", "reading and writing an LWP's XSAVE state and its component bitmap", "kernelRegs.xstate",
			rule(func(r regsKernel) string { return r.xstate })),
		semantics.Both("regs_per_lwp", "the register of a raw LWP's self-signal that names the LWP (amd64)", "kernelRegs.stopTarget",
			rule(func(r regsKernel) string { return r.stopTarget["amd64"] })),
		semantics.Both("*_core of tests/regs", "where a core file keeps each LWP's registers", "kernelRegs.coreNotes",
			rule(func(r regsKernel) string { return r.coreNotes })),
		semantics.Both("regs_per_lwp", "who reports the SIGSTOP an LWP sends itself", "kernelRegs.stopIsProcess",
			rule(func(r regsKernel) string {
				if r.stopIsProcess {
					return "the process (SIGSTOP stops every LWP; the stop's LWP is not the sender's)"
				}
				return "the thread itself, on its tid"
			})),
		semantics.Both("core_dump_procinfo", "a tracer-requested core dump", "kernelRegs.dumpCore",
			rule(func(r regsKernel) string { return r.dumpCore })),
	}
})
