package raw

import (
	"os"
	"strconv"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// threadFlags make a thread of the calling process, as pthread_create does
// (without CLONE_SETTLS: the thread never uses thread-local storage). The
// exit-signal byte is 0: a thread signals nobody when it ends.
const threadFlags = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND |
	unix.CLONE_THREAD | unix.CLONE_SYSVSEM

const (
	sysRead       = unix.SYS_READ
	sysThreadExit = unix.SYS_EXIT // ends the calling thread only
)

// threadPrologue: set_tid_address(&p.clear), so that the kernel clears the
// word and futex-wakes it when the thread is gone (CLONE_CHILD_CLEARTID
// without a clone argument for it).
func threadPrologue(p *threadPlan) []sysStep {
	return []sysStep{{trap: unix.SYS_SET_TID_ADDRESS, a1: uintptr(unsafe.Pointer(&p.clear))}}
}

func maskStep(how int, set *sigset) sysStep {
	return sysStep{trap: unix.SYS_RT_SIGPROCMASK, a1: uintptr(how),
		a2: uintptr(unsafe.Pointer(set)), a4: kernelSigsetSize}
}

func killThreadStep(tid, sig int) sysStep {
	return sysStep{trap: unix.SYS_TGKILL, a1: uintptr(os.Getpid()), a2: uintptr(tid), a3: uintptr(sig)}
}

func newThread(p *threadPlan) (int, error) {
	return forkChild(childCall{cloneTrap, threadFlags}, childStackTop(),
		func(*sigset) *sysStep { return &p.steps[0] })
}

// futexWait is FUTEX_WAIT (include/uapi/linux/futex.h), which x/sys lacks.
const futexWait = 0

// joinThread waits on the word the kernel clears when the thread is gone.
func joinThread(p *threadPlan, _ int) error {
	for {
		v := atomic.LoadUint32(&p.clear)
		if v == 0 {
			return nil
		}
		_, _, e := unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&p.clear)),
			futexWait, uintptr(v), 0, 0, 0)
		if e != 0 && e != unix.EAGAIN && e != unix.EINTR {
			return e
		}
	}
}

// NameThread sets a thread's name (Linux: its comm, through
// /proc/self/task/TID/comm; at most 15 bytes are kept).
func NameThread(tid int, name string) error {
	return os.WriteFile("/proc/self/task/"+strconv.Itoa(tid)+"/comm", []byte(name), 0)
}
