package ptrace

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"ptracesuite/internal/nbabi"
)

// siginfo: si_signo at 0, si_code at 4 (sys/sys/siginfo.h 1.34).
func siginfoSignoCode(b []byte) (int, int) {
	return int(int32(binary.NativeEndian.Uint32(b[0:]))), int(int32(binary.NativeEndian.Uint32(b[4:])))
}

func sigsetOf(s nbabi.Sigset) SigSet { return SigSet(uint64(s.Bits[0]) | uint64(s.Bits[1])<<32) }

// lwpInfo iterates PT_LWPINFO: data must be sizeof(struct ptrace_lwpinfo);
// pl_lwpid 0 asks for the first LWP and comes back 0 after the last.
func lwpInfo(pid int) ([]Lwp, error) {
	var out []Lwp
	pl := nbabi.PtraceLwpinfo{}
	for {
		if err := ptracePtr(nbabi.PT_LWPINFO, pid, unsafe.Pointer(&pl), int(unsafe.Sizeof(pl))); err != nil {
			return out, err
		}
		if pl.Lwpid == 0 {
			return out, nil
		}
		out = append(out, Lwp{ID: int(pl.Lwpid), Signalled: pl.Event == nbabi.PL_EVENT_SIGNAL})
		if len(out) > 100000 {
			return out, fmt.Errorf("PT_LWPINFO never reached pl_lwpid 0")
		}
	}
}

func statusLwp(st *nbabi.PtraceLwpstatus) Lwp {
	return Lwp{ID: int(st.Lwpid), Sigmask: sigsetOf(st.Sigmask), Name: st.NameString(), Private: st.Private}
}

// lwpStatus iterates PT_LWPNEXT (pl_lwpid 0 starts and ends it) and asks
// PT_LWPSTATUS for each LWP it names, which must say the same.
func lwpStatus(pid int) ([]Lwp, error) {
	info, err := lwpInfo(pid)
	if err != nil {
		return nil, err
	}
	signalled := map[int]bool{}
	for _, l := range info {
		signalled[l.ID] = l.Signalled
	}
	var out []Lwp
	st := nbabi.PtraceLwpstatus{}
	for {
		if err := ptracePtr(nbabi.PT_LWPNEXT, pid, unsafe.Pointer(&st), int(unsafe.Sizeof(st))); err != nil {
			return out, err
		}
		if st.Lwpid == 0 {
			return out, nil
		}
		l := statusLwp(&st)
		one := nbabi.PtraceLwpstatus{Lwpid: st.Lwpid}
		if err := ptracePtr(nbabi.PT_LWPSTATUS, pid, unsafe.Pointer(&one), int(unsafe.Sizeof(one))); err != nil {
			return out, fmt.Errorf("PT_LWPSTATUS(lwp %d): %w", st.Lwpid, err)
		}
		if got := statusLwp(&one); got != l {
			return out, fmt.Errorf("PT_LWPSTATUS(lwp %d) = %+v, PT_LWPNEXT said %+v", st.Lwpid, got, l)
		}
		l.Signalled = signalled[l.ID]
		out = append(out, l)
		if len(out) > 100000 {
			return out, fmt.Errorf("PT_LWPNEXT never reached pl_lwpid 0")
		}
	}
}

// PT_SUSPEND and PT_RESUME take the LWP in data.
func suspend(pid, lwp int) error   { return ptrace(nbabi.PT_SUSPEND, pid, 0, lwp) }
func resumeLwp(pid, lwp int) error { return ptrace(nbabi.PT_RESUME, pid, 0, lwp) }

func stop(pid int) error { return ptrace(nbabi.PT_STOP, pid, 0, 0) }
