//go:build atfshim_example && atfshim_example_bad

package example

import "ptracesuite/atfshim"

// Programming errors: Main must report them in one stderr line, exit 1.
var (
	_ = atfshim.Declare(TestPass, atfshim.Meta{})
	_ = atfshim.Declare(TestSkip, atfshim.Meta{RequireUser: "nobody"})
)
