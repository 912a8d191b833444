//go:build linux && !(386 || amd64 || arm || arm64)

package ptrace

// syscallNames: gensysnames writes tables for the suite's four Linux
// machines only; elsewhere a system call is named by its number.
var syscallNames [0]string
