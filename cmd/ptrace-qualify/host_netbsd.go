package main

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// hostExtra adds kern.osrevision and hw.model (NetBSD has no /proc/version
// or /proc/cpuinfo by default).
func hostExtra(h *Host) {
	if rev, err := unix.SysctlUint32("kern.osrevision"); err == nil {
		h.OSRevision = strconv.FormatUint(uint64(rev), 10)
	}
	if m, err := unix.Sysctl("hw.model"); err == nil {
		h.CPU = m
	}
}
