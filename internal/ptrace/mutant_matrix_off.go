//go:build !(mutation && linux)

package ptrace

// The wait-flavour mutants (mutant_matrix_linux.go) wrap a flavour's call
// in a mutation build only; nothing here in any other build.
