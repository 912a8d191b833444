// Command picotrace traces the system calls, signals and process events of
// a command or of a running process, one record a line (picotrace.1):
//
//	picotrace [-i] [-o OUTPUT] [-j] [-c] [-k] [-p PID | command [arg ...]]
//
// It is internal/picotrace; tests/picotrace is its ATF test program.
package main

import (
	"os"

	"ptracesuite/internal/picotrace"
)

func main() { os.Exit(picotrace.Run(os.Args[1:], os.Stdout, os.Stderr)) }
