package main

import (
	"fmt"
	"os/exec"
	"strconv"

	"golang.org/x/sys/unix"
)

// available: the references are Linux's: the system cc builds the C loop
// (PTRACE_SYSCALL, PTRACE_O_TRACESYSGOOD) and strace is strace(1).
func available() error {
	for _, tool := range []string{"cc", "strace", "go", "taskset"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s: %v (make bench installs gcc and strace)", tool, err)
		}
	}
	return nil
}

// pin binds the calling thread (and what it forks) to cpu.
func pin(cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	return unix.SchedSetaffinity(0, &set)
}

// pinCommand runs a command on cpu: taskset(1).
func pinCommand(cpu int) []string { return []string{"taskset", "-c", strconv.Itoa(cpu)} }
