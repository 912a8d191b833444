package ptio

import (
	"strings"
	"syscall"

	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// The kernels' promises about memory requests, written as data per kernel.
// A Mem missing on a kernel has no row there (its cases skip naming it).

// zeroLength: what a request of length 0 returns. NetBSD rejects it
// (sys_ptrace_common.c ptrace_doio: piod_len < 1 → EINVAL; before that rule
// GDB and LLDB looped forever on a "successful" empty transfer). Linux's
// analogs are plain I/O calls: process_vm_readv(2) returns the bytes moved,
// 0; pread/pwrite(2) of 0 bytes return 0.
var zeroLength = map[string]map[tracer.Mem]outcome{
	"netbsd": {
		tracer.MemPIOD: {Fails: true, Errno: syscall.EINVAL},
		tracer.MemPIOI: {Fails: true, Errno: syscall.EINVAL},
	},
	"linux": {
		tracer.MemVM:      {N: 0},
		tracer.MemProcMem: {N: 0},
	},
}

// crossing: a request of 2*crossHalf bytes whose second half lies in an
// unmapped page. NetBSD's ptrace_doio returns process_domem's error and
// leaves piod_len alone, so no partial count reaches the tracer. Linux
// reports the bytes done before the fault: process_vm_readv(2) "a partial
// read/write may result ... no further reads/writes will be attempted
// beyond that point", and /proc/PID/mem (mem_rw) returns the bytes copied.
const crossHalf = 16

var crossing = map[string]map[tracer.Mem]outcome{
	"netbsd": {
		tracer.MemPIOD: {Fails: true},
		tracer.MemPIOI: {Fails: true},
	},
	"linux": {
		tracer.MemVM:      {N: crossHalf},
		tracer.MemProcMem: {N: crossHalf},
	},
}

// bad is where a request lies wholly in memory the tracee cannot access.
type bad struct{ ident, descr string }

var (
	unmapped = bad{"unmapped", "a page that is not mapped"}
	pastEOF  = bad{"eof", "a mapped page of an empty file (past its end)"}
)

// badAccess: what a request wholly inside such a page gets. NetBSD's suite
// (bytes_transfer_eof_*) pins EINVAL for the empty-file page; for an
// unmapped page NetBSD promises an error, not which. Linux: ptrace's word
// requests and /proc/PID/mem say EIO (access_process_vm moved nothing);
// process_vm_readv/writev say EFAULT (process_vm_rw(2): "The memory
// described by remote_iov is outside the caller's accessible address space").
var badAccess = map[string]map[bad]map[tracer.Mem]outcome{
	"netbsd": {
		unmapped: {
			tracer.MemPIOD: {Fails: true}, tracer.MemPIOI: {Fails: true},
			tracer.MemWordD: {Fails: true}, tracer.MemWordI: {Fails: true},
		},
		pastEOF: {
			tracer.MemPIOD: {Fails: true, Errno: syscall.EINVAL}, tracer.MemPIOI: {Fails: true, Errno: syscall.EINVAL},
			tracer.MemWordD: {Fails: true, Errno: syscall.EINVAL}, tracer.MemWordI: {Fails: true, Errno: syscall.EINVAL},
		},
	},
	"linux": {
		unmapped: {
			tracer.MemWordD: {Fails: true, Errno: syscall.EIO}, tracer.MemWordI: {Fails: true, Errno: syscall.EIO},
			tracer.MemVM: {Fails: true, Errno: syscall.EFAULT}, tracer.MemProcMem: {Fails: true, Errno: syscall.EIO},
		},
		pastEOF: {
			tracer.MemWordD: {Fails: true, Errno: syscall.EIO}, tracer.MemWordI: {Fails: true, Errno: syscall.EIO},
			tracer.MemVM: {Fails: true, Errno: syscall.EFAULT}, tracer.MemProcMem: {Fails: true, Errno: syscall.EIO},
		},
	},
}

// textWritable: whether a write into the tracee's text succeeds (when the
// kernel does not block it outright, see tracer.TextWriteBlocked). NetBSD
// writes text through PT_IO and PT_WRITE_* (uvm_io with UVM_IO_FIXPROT).
// Linux's ptrace requests and /proc/PID/mem write with FOLL_FORCE;
// process_vm_writev does not force and gets EFAULT on read-only text.
var textWritable = map[string]map[tracer.Mem]outcome{
	"netbsd": {
		tracer.MemPIOD: {}, tracer.MemPIOI: {}, tracer.MemWordD: {}, tracer.MemWordI: {},
	},
	"linux": {
		tracer.MemWordD: {}, tracer.MemWordI: {}, tracer.MemProcMem: {},
		tracer.MemVM: {Fails: true, Errno: syscall.EFAULT},
	},
}

// outcomes states a table's row for kernel in its words: each request it
// has a rule for (read/write), in the methods' order, and the outcome.
func outcomes(kernel string, table map[tracer.Mem]outcome, word func(outcome) string) string {
	var parts []string
	for _, m := range all {
		if o, ok := table[m.m]; ok {
			parts = append(parts, m.m.NameOn(kernel, false)+"/"+m.m.NameOn(kernel, true)+": "+word(o))
		}
	}
	return strings.Join(parts, "\n")
}

// familyCases names a family's cases with the method and direction open.
func familyCases(f family) string {
	return f.ident(method{name: "<method>"}, dir{name: "{read,write}"})
}

var _ = semantics.Add(func() []semantics.Row {
	plain := func(o outcome) string {
		if o.Fails && o.Errno == 0 {
			return o.String() + " (an error, errno not pinned down)"
		}
		return o.String()
	}
	text := func(o outcome) string {
		if o.Fails {
			return plain(o)
		}
		return "the text is written"
	}
	row := func(cases, topic, data string, table map[string]map[tracer.Mem]outcome, word func(outcome) string) semantics.Row {
		return semantics.Both(cases, topic, data, func(k string) string { return outcomes(k, table[k], word) })
	}
	return []semantics.Row{
		row(familyCases(zeroFamily), "a transfer of length 0", "zeroLength", zeroLength, plain),
		row(familyCases(crossFamily), "a transfer of 32 bytes whose last 16 lie in an unmapped page: what it returns", "crossing", crossing, plain),
		row(familyCases(badFamily(unmapped)), "a transfer wholly inside "+unmapped.descr, "badAccess[kernel][unmapped]",
			map[string]map[tracer.Mem]outcome{"netbsd": badAccess["netbsd"][unmapped], "linux": badAccess["linux"][unmapped]}, plain),
		row(familyCases(badFamily(pastEOF)), "a transfer wholly inside "+pastEOF.descr, "badAccess[kernel][pastEOF]",
			map[string]map[tracer.Mem]outcome{"netbsd": badAccess["netbsd"][pastEOF], "linux": badAccess["linux"][pastEOF]}, plain),
		row(familyCases(textFamily), "a write into the tracee's text (where the kernel does not block text writes outright)", "textWritable", textWritable, text),
	}
})
