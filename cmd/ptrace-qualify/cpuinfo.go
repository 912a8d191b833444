package main

import "strings"

// cpuModel is the CPU model a /proc/cpuinfo names: the first "model name"
// (x86), else "Hardware", "cpu model" or "CPU part" (arm, mips).
func cpuModel(cpuinfo string) string {
	fields := map[string]string{}
	for _, l := range strings.Split(cpuinfo, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if _, seen := fields[k]; !seen {
			fields[k] = strings.TrimSpace(v)
		}
	}
	for _, k := range []string{"model name", "Hardware", "cpu model", "CPU part"} {
		if v := fields[k]; v != "" {
			return v
		}
	}
	return ""
}
