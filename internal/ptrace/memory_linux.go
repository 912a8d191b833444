package ptrace

import (
	"fmt"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// wordSize: PTRACE_PEEK*/POKE* move a long.
const wordSize = int(unsafe.Sizeof(uintptr(0)))

func memIO(pid int, m Mem, write bool, addr uintptr, buf []byte) (int, error) {
	if why := memMissing[m]; why != "" {
		return 0, fmt.Errorf("%s", why)
	}
	switch m {
	case MemWordD, MemWordI:
		if len(buf) != wordSize {
			return 0, fmt.Errorf("%s moves a %d-byte word, not %d bytes", m.Name(write), wordSize, len(buf))
		}
		peek, poke := unix.PTRACE_PEEKDATA, unix.PTRACE_POKEDATA
		if m == MemWordI {
			peek, poke = unix.PTRACE_PEEKTEXT, unix.PTRACE_POKETEXT
		}
		if write {
			// The raw request takes the word itself as data.
			w := *(*uintptr)(unsafe.Pointer(&buf[0]))
			if err := ptraceRaw(poke, pid, addr, w); err != nil {
				return 0, err
			}
			return wordSize, nil
		}
		// The raw request (not glibc's wrapper) stores the word at *data,
		// so a word of -1 and an error cannot be confused.
		if err := ptraceRaw(peek, pid, addr, uintptr(unsafe.Pointer(&buf[0]))); err != nil {
			return 0, err
		}
		return wordSize, nil
	case MemVM:
		var dummy [1]byte
		local := []unix.Iovec{{Base: &dummy[0]}}
		if len(buf) > 0 {
			local[0].Base = &buf[0]
		}
		local[0].SetLen(len(buf))
		remote := []unix.RemoteIovec{{Base: addr, Len: len(buf)}}
		if write {
			return unix.ProcessVMWritev(pid, local, remote, 0)
		}
		return unix.ProcessVMReadv(pid, local, remote, 0)
	case MemProcMem:
		f, err := os.OpenFile(fmt.Sprintf("/proc/%d/mem", pid), os.O_RDWR, 0)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		// One pread/pwrite system call (unix.Pread does not loop the way
		// os.File does), so a short transfer shows as the kernel made it.
		if write {
			return unix.Pwrite(int(f.Fd()), buf, int64(addr))
		}
		return unix.Pread(int(f.Fd()), buf, int64(addr))
	}
	return 0, fmt.Errorf("unknown memory request %d", int(m))
}

func readAuxv(pid int) ([]byte, error) { return ReadProc(pid, "auxv", make([]byte, 0, 1024)) }

func readAuxvAt(pid, off int, buf []byte) (int, error) {
	fd, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/auxv", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	return unix.Pread(fd, buf, int64(off))
}

// ReadProc reads /proc/PID/NAME whole into buf's array (grown as needed)
// with open, read until end of file, and close: without the os.File and
// its fstat, fcntl, poller registration and buffer that os.ReadFile costs,
// for what a tracer reads at every exec (cmdline, environ, auxv).
func ReadProc(pid int, name string, buf []byte) ([]byte, error) {
	var p [48]byte
	path := string(append(append(strconv.AppendInt(append(p[:0], "/proc/"...), int64(pid), 10), '/'), name...))
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return buf[:0], &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	b := buf[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := unix.Read(fd, b[len(b):cap(b)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return b[:0], &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return b, nil
		}
		b = b[:len(b)+n]
	}
}
