package ptrace

import (
	"fmt"
	"runtime"
	"unsafe"

	"ptracesuite/internal/nbabi"
)

var dbRegsNames = [2]string{"PT_GETDBREGS", "PT_SETDBREGS"}

// dbregBuf holds struct dbreg of either x86 layout (nbabi.DbRegLayout).
type dbregBuf [16]uint64

func dbregReqs() (get, set int, err error) {
	md := nbabi.MDRequests[runtime.GOARCH]
	if md.GetDBRegs == 0 || nbabi.DbRegLayout[runtime.GOARCH].Size == 0 {
		return 0, 0, fmt.Errorf("NetBSD/%s defines no PT_GETDBREGS", runtime.GOARCH)
	}
	return md.GetDBRegs, md.SetDBRegs, nil
}

func (b *dbregBuf) get(n int) uint64 {
	if nbabi.DbRegLayout[runtime.GOARCH].Word == 4 {
		return uint64(*(*uint32)(unsafe.Add(unsafe.Pointer(b), 4*n)))
	}
	return b[n]
}

func (b *dbregBuf) set(n int, v uint64) {
	if nbabi.DbRegLayout[runtime.GOARCH].Word == 4 {
		*(*uint32)(unsafe.Add(unsafe.Pointer(b), 4*n)) = uint32(v)
		return
	}
	b[n] = v
}

// getDbRegs: PT_GETDBREGS, data the LWP.
func getDbRegs(pid, lwp int) (r DbRegs, err error) {
	get, _, err := dbregReqs()
	if err != nil {
		return r, err
	}
	var b dbregBuf
	if err = ptracePtr(get, pid, unsafe.Pointer(&b), lwp); err != nil {
		return r, err
	}
	for i := range r.DR {
		r.DR[i] = b.get(i)
	}
	r.DR6, r.DR7 = b.get(6), b.get(7)
	return r, nil
}

// setDbRegs: PT_SETDBREGS of the whole struct dbreg (DR4, DR5 and the
// reserved words read back first and kept), data the LWP.
func setDbRegs(pid, lwp int, r DbRegs) error {
	get, set, err := dbregReqs()
	if err != nil {
		return err
	}
	var b dbregBuf
	if err = ptracePtr(get, pid, unsafe.Pointer(&b), lwp); err != nil {
		return err
	}
	for i, a := range r.DR {
		b.set(i, a)
	}
	b.set(6, r.DR6)
	b.set(7, r.DR7)
	return ptracePtr(set, pid, unsafe.Pointer(&b), lwp)
}
