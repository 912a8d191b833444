package main

// The wait-flavour matrix's rows (internal/ptrace/mutant_matrix_linux.go):
// a bug of one wait(2) flavour, caught by an ordinary case run as one cell
// of the matrix (-v wait=FLAVOUR, as t_<area>_<flavour> does), which the
// default tree (wait4) would not see.
func init() {
	w := r("waitid-event-lost", "waitid(2) loses a ptrace event that wait4(2) reports (only the matrix's waitid programs see it)",
		"tests/fork", "fork2", `want \[Fork\(other \d+\).*got \[Stopped\(SIGTRAP`)
	w.vars = []string{"wait=waitid"}
	table = append(table, w)
}
