package main

import "errors"

// available: the references (strace, the C loop's PTRACE_* requests) are
// Linux's; make bench runs on Linux.
func available() error {
	return errors.New("make bench runs on Linux: its references, strace(1) and a PTRACE_SYSCALL loop in C, are Linux's")
}

func pin(int) error { return errors.New("no CPU pinning here") }

func pinCommand(int) []string { return nil }
