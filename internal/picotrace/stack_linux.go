package picotrace

import (
	"bytes"
	"encoding/binary"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// At an exec stop the new image has not run an instruction, so its stack
// is as the kernel built it (fs/binfmt_elf.c, create_elf_tables): at the
// stack pointer argc, then argc argv pointers and a NULL, the environment
// pointers and a NULL, then the auxiliary vector's (type, value) pairs up
// to and including AT_NULL; the strings those pointers point at lie above
// them, below the stack's top. Read from there, an image's start costs a
// register read and two process_vm_readv, where /proc/PID/cmdline,
// environ and auxv cost an open, two reads and a close each (make bench,
// fork+exec workload).

// image is the process image's argv, environment and auxiliary vector:
// at an exec stop from the new stack, else (or when the stack does not
// parse, as a 32-bit tracee's does not) from /proc.
func (t *tracer) image(pid int, atExec bool) (argv, env []string, auxv []byte) {
	if atExec {
		if argv, env, auxv, ok := t.stackImage(pid); ok {
			return argv, env, auxv
		}
	}
	return t.procImage(pid)
}

// stackWord is the size of a pointer on the stack: picotrace's own.
const stackWord = int(unsafe.Sizeof(uintptr(0)))

// maxStackRead bounds each of stackImage's reads; a bigger image is read
// from /proc.
const maxStackRead = 256 << 10

// stackImage reads the image's start from its stack at an exec stop; ok
// is false when the stack does not hold what an exec leaves there.
func (t *tracer) stackImage(pid int) (argv, env []string, auxv []byte, ok bool) {
	regs, err := t.c.GetRegs(pid, 0)
	if err != nil || !regs.Has("sp") {
		return nil, nil, nil, false
	}
	sp := uintptr(regs.Word("sp"))
	var ptrs []uintptr
	var nargs int
	for size := 4096; ; size *= 4 {
		t.stack = grow(t.stack, size)
		n := readRemote(pid, sp, t.stack[:size])
		var complete bool
		ptrs, nargs, auxv, complete = vectors(t.stack[:n])
		if complete {
			break
		}
		if n < size || size >= maxStackRead {
			return nil, nil, nil, false
		}
	}
	if len(ptrs) == 0 {
		return nil, nil, append([]byte(nil), auxv...), true
	}
	lo, hi := ptrs[0], ptrs[0]
	for _, p := range ptrs {
		lo, hi = min(lo, p), max(hi, p)
	}
	// The strings lie above the vectors; the highest is AT_EXECFN's, the
	// path exec was given (under PATH_MAX, a page), at the stack's top.
	if fn := auxvValue(auxv, atExecfn); fn > hi && fn-hi < maxStackRead {
		hi = fn
	}
	if lo <= sp || hi-lo > maxStackRead {
		return nil, nil, nil, false
	}
	auxv = append([]byte(nil), auxv...)
	size := int(hi-lo) + os.Getpagesize()
	t.strs = grow(t.strs, size)
	strs := t.strs[:readRemote(pid, lo, t.strs[:size])]
	out := make([]string, len(ptrs))
	for i, p := range ptrs {
		s := strs[min(int(p-lo), len(strs)):]
		end := bytes.IndexByte(s, 0)
		if end < 0 {
			return nil, nil, nil, false
		}
		out[i] = string(s[:end])
	}
	return out[:nargs], out[nargs:], auxv, true
}

// vectors parses the stack at an exec stop: the argv and environment
// pointers (argv's first, nargs of them) and the auxiliary vector's bytes
// through AT_NULL; complete is false when b ends before AT_NULL.
func vectors(b []byte) (ptrs []uintptr, nargs int, auxv []byte, complete bool) {
	words := len(b) / stackWord
	word := func(i int) uint64 {
		if stackWord == 8 {
			return binary.NativeEndian.Uint64(b[i*8:])
		}
		return uint64(binary.NativeEndian.Uint32(b[i*4:]))
	}
	if words < 1 {
		return nil, 0, nil, false
	}
	argc := word(0)
	if argc > uint64(words) {
		return nil, 0, nil, false
	}
	i := 1
	for ; i < words; i++ {
		p := word(i)
		if i == int(argc)+1 {
			if p != 0 {
				return nil, 0, nil, false // argv is not NULL-terminated: not an exec's stack
			}
			i++
			break
		}
		if p == 0 {
			return nil, 0, nil, false // argc says more
		}
		ptrs = append(ptrs, uintptr(p))
	}
	if i != int(argc)+2 {
		return nil, 0, nil, false
	}
	nargs = len(ptrs)
	for ; i < words && word(i) != 0; i++ {
		ptrs = append(ptrs, uintptr(word(i)))
	}
	if i >= words {
		return nil, 0, nil, false
	}
	i++ // the environment's NULL
	for start := i; i+1 < words; i += 2 {
		if word(i) == 0 {
			return ptrs, nargs, b[start*stackWord : (i+2)*stackWord], true
		}
	}
	return nil, 0, nil, false
}

// atExecfn is AT_EXECFN (include/uapi/linux/auxvec.h).
const atExecfn = 31

// auxvValue is the value of type typ in auxv (0 when absent).
func auxvValue(auxv []byte, typ uint64) uintptr {
	for i := 0; i+2*stackWord <= len(auxv); i += 2 * stackWord {
		var k, v uint64
		if stackWord == 8 {
			k, v = binary.NativeEndian.Uint64(auxv[i:]), binary.NativeEndian.Uint64(auxv[i+8:])
		} else {
			k, v = uint64(binary.NativeEndian.Uint32(auxv[i:])), uint64(binary.NativeEndian.Uint32(auxv[i+4:]))
		}
		if k == typ {
			return uintptr(v)
		}
	}
	return 0
}

// readRemote reads len(buf) bytes at addr of pid, one remote iovec per
// page: process_vm_readv transfers whole iovecs only, so a read running
// into an unmapped page (past the stack's top) returns the pages before
// it. It returns the bytes read.
func readRemote(pid int, addr uintptr, buf []byte) int {
	page := uintptr(os.Getpagesize())
	var remote []unix.RemoteIovec
	for a, end := addr, addr+uintptr(len(buf)); a < end; {
		next := min((a|(page-1))+1, end)
		remote = append(remote, unix.RemoteIovec{Base: a, Len: int(next - a)})
		a = next
	}
	if len(remote) == 0 {
		return 0
	}
	local := []unix.Iovec{{Base: &buf[0]}}
	local[0].SetLen(len(buf))
	n, err := unix.ProcessVMReadv(pid, local, remote, 0)
	if err != nil {
		return 0
	}
	return n
}

// grow returns b with room for n bytes.
func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
