package nbabi

import "fmt"

// Feature is one piece of the ptrace(2) contract that NetBSD gained at a
// known kernel revision. The suite runs on every revision: a case that
// needs a feature the running kernel predates skips, naming the feature
// and the revision that added it; a request whose number meant something
// else (or nothing) on that revision is never sent. Bug fixes are not
// features: a case that checks a fix runs on every revision and fails where
// the fix is missing.
//
// Since is a __NetBSD_Version__ as sysctl kern.osrevision reports it
// (sys/sys/param.h: MMmmrrpp00, so 8.99.25 is 899002500 and 10.0 is
// 1000000000). Source names the NetBSD/src change and the param.h bump the
// revision comes from.
type Feature struct {
	Name   string // in the kernel's words, e.g. "PT_STOP (request 23)"
	Since  uint32 // the first kern.osrevision that has it
	Source string // where Since comes from
	Before string // what a kernel before Since does instead
}

// Missing says, in one line, why a kernel of revision rev lacks f, or ""
// when it has it.
func (f Feature) Missing(rev uint32) string {
	if rev >= f.Since {
		return ""
	}
	return fmt.Sprintf("%s first appeared in NetBSD %s (kern.osrevision %d; %s); this kernel is %s (%d)",
		f.Name, OSRevisionString(f.Since), f.Since, f.Source, OSRevisionString(rev), rev)
}

// OSRevisionString renders a __NetBSD_Version__ as NetBSD names releases:
// 899002500 is "8.99.25", 1000000000 is "10.0", 902000000 is "9.2".
func OSRevisionString(rev uint32) string {
	major, minor, patch := rev/100000000, rev/1000000%100, rev/100%10000
	if minor == 99 || patch == 0 {
		if minor == 99 {
			return fmt.Sprintf("%d.%d.%d", major, minor, patch)
		}
		return fmt.Sprintf("%d.%d", major, minor)
	}
	return fmt.Sprintf("%d.%d_PATCH%d", major, minor, patch)
}

// The features the suite gates on. Each row's revision is the param.h
// version of NetBSD-current on the day the change was committed (the bump
// that came with it, or the last one before it).
var (
	// Requests 21..22 as sys/sys/ptrace.h 1.75 numbers them. Before,
	// 21/22 were PT_SET_SIGMASK/PT_GET_SIGMASK and PT_RESUME/PT_SUSPEND
	// were 23/24 (ptrace.h 1.59).
	FeatureResumeSuspend21 = Feature{
		Name:   "PT_RESUME/PT_SUSPEND as requests 21/22",
		Since:  899000000,
		Source: "sys/sys/ptrace.h: PT_SET_SIGMASK/PT_GET_SIGMASK removed, 2018",
		Before: "21/22 were PT_SET_SIGMASK/PT_GET_SIGMASK, 23/24 PT_RESUME/PT_SUSPEND",
	}
	FeatureStop = Feature{
		Name:   "PT_STOP (request 23)",
		Since:  999007700,
		Source: "sys/sys/ptrace.h",
		Before: "EINVAL (no such request)",
	}
	FeatureLwpStatus = Feature{
		Name:   "PT_LWPSTATUS/PT_LWPNEXT (requests 24/25)",
		Since:  999007700,
		Source: "sys/sys/ptrace.h",
		Before: "EINVAL (no such request); PT_LWPINFO only",
	}
	FeatureSigPass = Feature{
		Name:   "PT_SET_SIGPASS/PT_GET_SIGPASS (requests 26/27)",
		Since:  999007700,
		Source: "sys/sys/ptrace.h",
		Before: "EINVAL (no such request)",
	}
	FeatureSpawnEvent = Feature{
		Name:   "PTRACE_POSIX_SPAWN events",
		Since:  899003700,
		Source: "sys/sys/ptrace.h",
		Before: "the bit is accepted and nothing is reported for posix_spawn",
	}
	FeatureSyscallSiginfo = Feature{
		Name:   "TRAP_SCE/TRAP_SCX siginfo (si_sysnum, si_args, si_retval, si_error)",
		Since:  899003700,
		Source: "sys/sys/siginfo.h",
		Before: "syscall stops carry no syscall number, arguments or return values in their siginfo",
	}
)

// requestFeatures gives each request number that is newer than the oldest
// kernel the suite knows of the feature that gave it its meaning.
var requestFeatures = map[int]Feature{
	PT_RESUME: FeatureResumeSuspend21, PT_SUSPEND: FeatureResumeSuspend21,
	PT_STOP:      FeatureStop,
	PT_LWPSTATUS: FeatureLwpStatus, PT_LWPNEXT: FeatureLwpStatus,
	PT_SET_SIGPASS: FeatureSigPass, PT_GET_SIGPASS: FeatureSigPass,
}

// RequestMissing says why request req must not be sent to a kernel of
// revision rev (its number means something else there, or nothing), or ""
// when it may be.
func RequestMissing(req int, rev uint32) string {
	if f, ok := requestFeatures[req]; ok {
		return f.Missing(rev)
	}
	return ""
}
