package nbabi

// AuxvNames names the a_type values of the ELF auxiliary vector a NetBSD
// kernel passes (PIOD_READ_AUXV). Source: NetBSD/src sys/sys/exec_elf.h
// (AT_* of "Auxiliary Vectors"; AT_MIPS_NOTELF, which reuses 10 on mips,
// left out). Types 2000 and up are the Solaris-compatible numbers.
var AuxvNames = map[uint64]string{
	0:    "AT_NULL",
	1:    "AT_IGNORE",
	2:    "AT_EXECFD",
	3:    "AT_PHDR",
	4:    "AT_PHENT",
	5:    "AT_PHNUM",
	6:    "AT_PAGESZ",
	7:    "AT_BASE",
	8:    "AT_FLAGS",
	9:    "AT_ENTRY",
	10:   "AT_DCACHEBSIZE",
	11:   "AT_ICACHEBSIZE",
	12:   "AT_UCACHEBSIZE",
	13:   "AT_STACKBASE",
	2000: "AT_EUID",
	2001: "AT_RUID",
	2002: "AT_EGID",
	2003: "AT_RGID",
	2004: "AT_SUN_LDELF",
	2005: "AT_SUN_LDSHDR",
	2006: "AT_SUN_LDNAME",
	2007: "AT_SUN_LPGSIZE",
	2008: "AT_SUN_PLATFORM",
	2009: "AT_SUN_HWCAP",
	2010: "AT_SUN_IFLUSH",
	2011: "AT_SUN_CPU",
	2012: "AT_SUN_EMUL_ENTRY",
	2013: "AT_SUN_EMUL_EXECFD",
	2014: "AT_SUN_EXECNAME",
}
