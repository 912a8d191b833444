package ptrace

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"ptracesuite/internal/nbabi"
)

// eventSiCode: a NetBSD event stop is a SIGTRAP whose si_code says which
// kind (sys/sys/siginfo.h 1.34): TRAP_CHLD for the process events, TRAP_LWP
// for the LWP events, TRAP_EXEC for exec.
func eventSiCode(ev Event) (int, string, bool) {
	switch ev.Kind {
	case Fork, Vfork, VforkDone, Spawn:
		return nbabi.TRAP_CHLD, "TRAP_CHLD", true
	case LwpCreate, LwpExit:
		return nbabi.TRAP_LWP, "TRAP_LWP", true
	case Exec:
		return nbabi.TRAP_EXEC, "TRAP_EXEC", true
	}
	return 0, "", false
}

func kinfoProc(pid int) (*nbabi.KinfoProc2, error) {
	b, err := kinfo(pid)
	if err != nil {
		return nil, err
	}
	return (*nbabi.KinfoProc2)(unsafe.Pointer(&b[0])), nil
}

// procParent is kinfo_proc2's p_ppid.
func procParent(pid int) (int, error) {
	kp, err := kinfoProc(pid)
	if err != nil {
		return 0, err
	}
	return int(kp.Ppid), nil
}

var lsNames = map[int8]string{
	nbabi.LSIDL: "being created", nbabi.LSRUN: "runnable", nbabi.LSSLEEP: "sleeping", nbabi.LSSTOP: "stopped",
	nbabi.LSZOMB: "a zombie", nbabi.LSONPROC: "running", nbabi.LSSUSPENDED: "suspended",
}

// procState describes a process for a hang message: p_stat in the
// kernel's words and its wait message.
func procState(pid int) string {
	kp, err := kinfoProc(pid)
	if err != nil {
		return "gone"
	}
	st := lsNames[kp.Stat]
	if st == "" {
		st = fmt.Sprintf("p_stat %d", kp.Stat)
	}
	if w := strings.TrimRight(string(kp.Wmesg[:]), "\x00"); w != "" && kp.Stat == nbabi.LSSLEEP {
		st += " in " + w
	}
	if kp.Flag&nbabi.P_TRACED != 0 {
		st += ", traced"
	}
	if kp.Flag&nbabi.P_WEXIT != 0 {
		st += ", exiting (P_WEXIT)"
	}
	if lwps, err := kinfoLwps(pid); err == nil && len(lwps) > 1 {
		// A process's p_stat and wmesg are one LWP's; a hang is often
		// another's (an exit waiting in lwpwait for an LWP that stays
		// stopped).
		st += "; LWPs"
		for i, l := range lwps {
			if i == maxLwpsShown {
				st += fmt.Sprintf(" and %d more", len(lwps)-i)
				break
			}
			ls := lsNames[l.Stat]
			if ls == "" {
				ls = fmt.Sprintf("l_stat %d", l.Stat)
			}
			if w := strings.TrimRight(string(l.Wmesg[:]), "\x00"); w != "" && l.Stat == nbabi.LSSLEEP {
				ls += " in " + w
			}
			sep := ","
			if i == 0 {
				sep = ""
			}
			st += fmt.Sprintf("%s %d %s", sep, l.Lid, ls)
		}
	}
	return st
}

// maxLwpsShown bounds the LWPs procState lists.
const maxLwpsShown = 8

// vforkeeLeft: the vforkee is gone, a zombie or exiting (kinfo_proc2
// p_flag P_WEXIT), or has exec'd (P_EXEC).
func vforkeeLeft(parent, child int) (bool, string) {
	kp, err := kinfoProc(child)
	if err != nil {
		return true, "gone"
	}
	if kp.Stat == nbabi.LSZOMB || kp.Flag&(nbabi.P_EXEC|nbabi.P_WEXIT) != 0 {
		return true, procState(child)
	}
	return false, procState(child) + ", not exec'd (no P_EXEC)"
}

// inPtraceStop: a process that just reported a stop is stopped (p_stat
// SSTOP) until the tracer resumes it.
func inPtraceStop(pid int) (bool, string) {
	kp, err := kinfoProc(pid)
	if err != nil {
		return false, "gone"
	}
	return kp.Stat == nbabi.LSSTOP, procState(pid)
}

// inCreatingSyscall: NetBSD's registers at a stop do not name the system
// call in progress, so checkInCreation does not check there.
func inCreatingSyscall(int) (bool, string) { return true, "" }

// exitHeld: pid is exiting (P_WEXIT), one of its LWPs waits in lwpwait for
// the others (exit1's exit_lwps) and some of its LWPs are stopped: the
// state in which that wait never ends. Any other hang is not this one.
func exitHeld(pid int) string {
	kp, err := kinfoProc(pid)
	if err != nil {
		return ""
	}
	lwps, err := kinfoLwps(pid)
	if err != nil {
		return ""
	}
	var stopped []string
	waiting := ""
	for _, l := range lwps {
		switch {
		case l.Stat == nbabi.LSSTOP:
			stopped = append(stopped, fmt.Sprint(l.Lid))
		case l.Stat == nbabi.LSSLEEP && strings.TrimRight(string(l.Wmesg[:]), "\x00") == "lwpwait":
			waiting = fmt.Sprintf("LWP %d waits in lwpwait", l.Lid)
		}
	}
	if len(stopped) == 0 || waiting == "" || kp.Flag&nbabi.P_WEXIT == 0 {
		return ""
	}
	return fmt.Sprintf("pid %d is exiting (P_WEXIT), its %s with LWP %s stopped", pid, waiting, strings.Join(stopped, ", "))
}

// waitOwns: the created pid is validated by checkOther always (its
// kinfo_proc2 is one sysctl).
const waitOwns = false

func owned(int) error {
	return errors.New("not checked by waitid on NetBSD (checkOther reads kinfo_proc2)")
}

// tracedOrStopped: kinfo_proc2 p_flag P_TRACED, and p_stat LSSTOP.
func tracedOrStopped(pid int) (traced, stopped bool, err error) {
	kp, err := kinfoProc(pid)
	if err != nil {
		return false, false, err
	}
	return kp.Flag&nbabi.P_TRACED != 0, kp.Stat == nbabi.LSSTOP, nil
}

// tracedByUs: NetBSD makes the tracer its tracee's parent while it traces
// (ptrace_attach reparents), which ours checks already.
func tracedByUs(int) bool { return false }

// waitsForChild: an LWP of pid sleeps in wait(2) ("wait").
func waitsForChild(pid int) bool {
	lwps, err := kinfoLwps(pid)
	if err != nil {
		return false
	}
	for _, l := range lwps {
		if l.Stat == nbabi.LSSLEEP && strings.TrimRight(string(l.Wmesg[:]), "\x00") == "wait" {
			return true
		}
	}
	return false
}
