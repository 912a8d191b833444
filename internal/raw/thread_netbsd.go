package raw

import (
	"encoding/binary"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

const (
	sysRead       = nbabi.SYS_READ
	sysThreadExit = nbabi.SYS__LWP_EXIT // ends the calling LWP only
	sysLwpSetname = nbabi.SYS__LWP_SETNAME
	sysLwpSetPriv = 317 // _lwp_setprivate(void *), sys/kern/syscalls.master
)

// lwpStart is the LWP's first instruction: the step loop, with the step
// pointer in the register lwpStepReg names (amd64 R12, 386 EBP, arm R5,
// arm64 X9), as rawFork's child has it.
func lwpStart()

// lwpStartPC is lwpStart's address (ABI0), set in assembly.
var lwpStartPC uintptr

// threadPrologue: the LWP sets its private pointer (what PT_LWPSTATUS
// reports as pl_private) to a value the tracer can predict.
func threadPrologue(p *threadPlan) []sysStep {
	return []sysStep{{trap: sysLwpSetPriv, a1: p.private}}
}

func maskStep(how int, set *sigset) sysStep {
	return sysStep{trap: sysSigprocmask14, a1: uintptr(how), a2: uintptr(unsafe.Pointer(set))}
}

func killThreadStep(lid, sig int) sysStep {
	return sysStep{trap: sysLwpKill, a1: uintptr(lid), a2: uintptr(sig)}
}

// newThread is the Go runtime's recipe for its own LWPs: getcontext, then
// every signal masked (_UC_SIGMASK), the PC at lwpStart, the stack pointer
// at the shared child stack and the step pointer in a register (_UC_CPU),
// and _lwp_create without _LWP_DETACHED so that _lwp_wait can join it.
func newThread(p *threadPlan) (int, error) {
	l, ok := nbabi.Ucontexts[runtime.GOARCH]
	if !ok {
		return 0, unix.ENOSYS
	}
	p.uc = make([]uint64, nbabi.SizeofUcontextMax/8)
	uc := unsafe.Slice((*byte)(unsafe.Pointer(&p.uc[0])), nbabi.SizeofUcontextMax)
	if _, _, e := unix.RawSyscall(nbabi.SYS_GETCONTEXT, uintptr(unsafe.Pointer(&uc[0])), 0, 0); e != 0 {
		return 0, e
	}
	binary.NativeEndian.PutUint32(uc[0:], nbabi.UC_SIGMASK|nbabi.UC_CPU)
	for i := 0; i < 16; i++ {
		uc[l.SigmaskOff+i] = 0xff
	}
	greg := func(idx int, v uintptr) {
		off := l.McontextOff + idx*l.GregSize
		if l.GregSize == 8 {
			binary.NativeEndian.PutUint64(uc[off:], uint64(v))
		} else {
			binary.NativeEndian.PutUint32(uc[off:], uint32(v))
		}
	}
	greg(l.PC, lwpStartPC)
	greg(l.SP, childStackTop())
	greg(lwpStepReg, uintptr(unsafe.Pointer(&p.steps[0])))
	var lid int32
	_, _, e := unix.RawSyscall(nbabi.SYS__LWP_CREATE, uintptr(unsafe.Pointer(&uc[0])), 0, uintptr(unsafe.Pointer(&lid)))
	if e != 0 {
		return 0, e
	}
	return int(lid), nil
}

// joinThread is _lwp_wait(lid, NULL).
func joinThread(_ *threadPlan, lid int) error {
	for {
		_, _, e := unix.Syscall(nbabi.SYS__LWP_WAIT, uintptr(lid), 0, 0)
		if e == unix.EINTR {
			continue
		}
		return errnoErr(e)
	}
}

// NameThread sets an LWP's name (_lwp_setname), which PT_LWPSTATUS reports
// as pl_name.
func NameThread(lid int, name string) error {
	b, err := unix.BytePtrFromString(name)
	if err != nil {
		return err
	}
	_, _, e := unix.RawSyscall(sysLwpSetname, uintptr(lid), uintptr(unsafe.Pointer(b)), 0)
	runtime.KeepAlive(b)
	return errnoErr(e)
}
