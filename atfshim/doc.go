// Package atfshim makes a `go test -c` binary an ATF test program that kyua
// runs as `atf_test_program`, while `go test` keeps running the same tests.
//
// A test package declares its ATF cases and routes TestMain through Main:
//
//	func TestMain(m *testing.M) { atfshim.Main(m) }
//
//	var _ = atfshim.Declare(TestForkDetach, atfshim.Meta{Descr: "...", Timeout: 30 * time.Second})
//	func TestForkDetach(t *testing.T) { atfshim.Run(t, func(t *atfshim.T) { ... }) }
//
// Main decides the mode from argv alone: when every argument starts with
// "-test." (which is all `go test` ever passes) the binary is a plain Go test
// binary; anything else, including no arguments, is the ATF protocol of
// atf-test-program(1): `PROG [-v var=value]... -l` lists the cases,
// `PROG [-r resfile] [-s srcdir] [-v var=value]... case[:body|:cleanup]` runs
// one part of one case.
//
// In ATF mode a body is run by re-entering the testing package with
// -test.run selecting exactly the case's Go test (or subtest), so both modes
// execute the very same code; atfshim.Run records the outcome and Main turns
// it into the one-line result file and the exit status kyua insists on.
//
// Timeouts work the same in both modes. The body runs on a goroutine of
// its own while the test goroutine waits for it. At Meta.Timeout the case
// fails ("timed out after 30s") and the OnTimeout hooks run (the tracer
// kills its tracees there, so that waits return). If the body still runs
// 10 s later, the case's result names where it is stuck, found in the
// goroutine dump, whose part for the body goes to the log:
//
//	body still running after its 30s timeout: blocked in chan receive at tests/fork/fork_test.go:123 (goroutine dump in the log)
//
// In ATF mode the result is then written and the process exits. Under
// go test the Go test returns without the body, so that its cleanups run
// and the next test starts; a cleanup or hook that does not return (or
// an abandoned body's cleanups, after another 10 s) makes the program
// print the failure and exit 1 instead. watchdog.go has the details.
//
// Log and failure lines name the test's own file:line: every wrapper is a
// t.Helper, prepare's skip and failure and the watchdog's lines (while the
// body runs) are reported from the test goroutine, at the case's
// atfshim.Run. Only a timeout that expires during the cleanups is logged
// at atfshim's own line.
//
// TestMain must not call flag.Parse before Main: in ATF mode argv holds ATF
// options that the flag package rejects.
//
// Comments cite the sections (§N) of docs/ATF-PROTOCOL.md, the protocol as
// kyua enforces it, for the kyua rule each piece honours.
package atfshim
