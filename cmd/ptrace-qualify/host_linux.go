package main

import (
	"os"
	"strings"
)

// hostExtra adds /proc/version and the CPU model of /proc/cpuinfo (its
// "model name", or "Hardware"/"cpu model" on machines without one).
func hostExtra(h *Host) {
	if b, err := os.ReadFile("/proc/version"); err == nil {
		h.ProcVersion = strings.TrimSpace(string(b))
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return
	}
	h.CPU = cpuModel(string(b))
}
