// Package nbabi is the NetBSD 10 kernel ABI that the ptrace suite relies on,
// written down as plain Go data: request numbers, event bits, si_code values,
// wait options, syscall numbers and structure layouts for amd64, arm64, 386
// and arm.
//
// Nothing here issues a system call, and no file carries a GOOS build
// constraint, so the tables compile and are tested on Linux as well. The one
// exception to "no constraints at all" is PtraceSiginfo, whose ARM EABI
// layout cannot be expressed without a GOARCH=arm file (see
// ptrace_siginfo_arm.go).
//
// Every table names the NetBSD header and the RCS revision its facts were
// read from. Sources (repository NetBSD/src):
//
//	sys/sys/ptrace.h                  1.75 2022/06/08  (history: 1.59 2017/03/23)
//	sys/sys/siginfo.h                 1.34 2019/09/30
//	sys/compat/sys/siginfo.h          1.9  2019/11/18  (32-bit ARM EABI si_args alignment)
//	sys/sys/sigtypes.h                1.7  2005/09/13
//	sys/sys/signal.h                  1.75.4.2 2024/10/14 (netbsd-10 branch)
//	sys/sys/wait.h                    1.38 2022/08/07
//	sys/sys/idtype.h                  1.5.18.2 2017/12/03 (branch of 1.5; the enum order is ABI)
//	sys/sys/sysctl.h                  1.236 2021/09/16 (KERN_OSREV also in 1.141)
//	sys/sys/lwp.h                     1.217 2022/07/23 (LS* values, "set in stone")
//	sys/sys/param.h                   (__NetBSD_Version__ encoding MMmmrrpp00)
//	sys/kern/syscalls.master          1.239 2010/11/11 (numbers up to 451)
//	sys/arch/amd64/include/ptrace.h   1.22 2020/05/30
//	sys/arch/i386/include/ptrace.h    1.26 2020/05/30 (same numbers in 1.28 2025/08/12)
//	sys/arch/aarch64/include/ptrace.h 1.12 2020/09/07
//	sys/arch/arm/include/ptrace.h     1.17 2020/12/14
//	sys/arch/amd64/include/reg.h 1.8, mcontext.h, frame_regs.h 1.3
//	sys/arch/i386/include/reg.h 1.22, aarch64/include/reg.h 1.2, arm/include/reg.h
//
// posix_spawn (474) is also in x/sys's zsysnum_netbsd_*.go; wait6 (481) is
// not in any syscalls.master revision the index holds and was taken from two
// generated NetBSD syscall tables (krytarowski/picotrace's decoder and
// ronin-asm's netbsd/x86_64 table).
package nbabi
