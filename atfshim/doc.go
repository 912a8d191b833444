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
// TestMain must not call flag.Parse before Main: in ATF mode argv holds ATF
// options that the flag package rejects.
//
// Comments cite the sections (§N) of the project's ATF protocol reference,
// shared/reference/atf-protocol.md, for the kyua rule each piece honours.
package atfshim
