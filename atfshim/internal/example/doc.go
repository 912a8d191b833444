// Package example is a small ATF test program built from atfshim for
// atfshim's integration test; its tests only exist with the build tag
// atfshim_example, because several of its cases fail on purpose.
//
// Build it with
//
//	go test -c -tags atfshim_example -o t_example ./atfshim/internal/example
//
// and run it as `./t_example -l`, `./t_example -r result pass`, under kyua,
// or with go test flags.
package example
