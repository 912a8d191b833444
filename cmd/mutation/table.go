package main

import "regexp"

// row: a kernel bug, the case that must catch it, and what its reason must
// name.
type row struct {
	mutant string
	bug    string
	pkg    string // the test package
	ident  string // ATF case ident, or a Go test name
	want   *regexp.Regexp
}

func r(mutant, bug, pkg, ident, want string) row {
	return row{mutant, bug, pkg, ident, regexp.MustCompile(want)}
}

// table is filled from surveys (mutation -survey MUTANT).
var table = []row{}
