package ptrace

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/nbabi"
)

// wordSize: PT_READ_*/PT_WRITE_* move an int (sys/sys/ptrace.h 1.75).
const wordSize = 4

var piodOps = map[Mem][2]int32{
	MemPIOD: {nbabi.PIOD_READ_D, nbabi.PIOD_WRITE_D},
	MemPIOI: {nbabi.PIOD_READ_I, nbabi.PIOD_WRITE_I},
}

// ptio is one PT_IO request; the kernel reduces piod_len to what it moved.
func ptio(pid int, op int32, addr uintptr, buf []byte) (int, error) {
	var dummy [1]byte
	io := nbabi.PtraceIoDesc{Op: op, Offs: addr, Addr: &dummy[0], Len: uintptr(len(buf))}
	if len(buf) > 0 {
		io.Addr = &buf[0]
	}
	if err := ptracePtr(nbabi.PT_IO, pid, unsafe.Pointer(&io), 0); err != nil {
		return 0, err
	}
	return int(io.Len), nil
}

func memIO(pid int, m Mem, write bool, addr uintptr, buf []byte) (int, error) {
	if why := memMissing[m]; why != "" {
		return 0, fmt.Errorf("%s", why)
	}
	w := 0
	if write {
		w = 1
	}
	switch m {
	case MemPIOD, MemPIOI:
		return ptio(pid, piodOps[m][w], addr, buf)
	case MemWordD, MemWordI:
		if len(buf) != wordSize {
			return 0, fmt.Errorf("%s moves a %d-byte word, not %d bytes", m.Name(write), wordSize, len(buf))
		}
		read, wr := nbabi.PT_READ_D, nbabi.PT_WRITE_D
		if m == MemWordI {
			read, wr = nbabi.PT_READ_I, nbabi.PT_WRITE_I
		}
		if write {
			// The word is the data argument.
			return wordSize, ptrace(wr, pid, addr, int(*(*int32)(unsafe.Pointer(&buf[0]))))
		}
		// The word comes back as the return value; the raw call has
		// the error apart, so a word of -1 is not an error.
		r, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(read), uintptr(pid), addr, 0, 0, 0)
		if e != 0 {
			return 0, e
		}
		*(*int32)(unsafe.Pointer(&buf[0])) = int32(r)
		return wordSize, nil
	}
	return 0, fmt.Errorf("unknown memory request %d", int(m))
}

func readAuxvAt(pid, off int, buf []byte) (int, error) {
	io := nbabi.PtraceIoDesc{Op: nbabi.PIOD_READ_AUXV, Offs: uintptr(off), Len: uintptr(len(buf))}
	if len(buf) > 0 {
		io.Addr = &buf[0]
	}
	err := ptracePtr(nbabi.PT_IO, pid, unsafe.Pointer(&io), 0)
	return int(io.Len), err
}

func readAuxv(pid int) ([]byte, error) {
	buf := make([]byte, 4096)
	var io nbabi.PtraceIoDesc
	io = nbabi.PtraceIoDesc{Op: nbabi.PIOD_READ_AUXV, Offs: 0, Addr: &buf[0], Len: uintptr(len(buf))}
	if err := ptracePtr(nbabi.PT_IO, pid, unsafe.Pointer(&io), 0); err != nil {
		return nil, err
	}
	return buf[:io.Len], nil
}
