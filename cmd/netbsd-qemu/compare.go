package main

import (
	"fmt"
	"io"
	"sort"
)

// compare prints every case whose category differs between two results files
// (or that only one of them has) and exits 1 if any differs outside
// -allow-diff.
func compare(cfg *config, stdout, stderr io.Writer) int {
	a, err := readResults(cfg.compareA)
	if err != nil {
		fmt.Fprintf(stderr, "%s: -compare: %v\n", programName, err)
		return exitUsage
	}
	b, err := readResults(cfg.compareB)
	if err != nil {
		fmt.Fprintf(stderr, "%s: -compare: %v\n", programName, err)
		return exitUsage
	}
	diffs := compareResults(a.Cases, b.Cases)
	unexpected := 0
	for _, d := range diffs {
		allowed := false
		for _, f := range cfg.allowDiff {
			if f.match(d.prog, d.ident) {
				allowed = true
			}
		}
		mark := "DIFF "
		if allowed {
			mark = "allow"
		} else {
			unexpected++
		}
		fmt.Fprintf(stdout, "%s %s:%s  %s -> %s\n", mark, d.prog, d.ident, d.a, d.b)
	}
	fmt.Fprintf(stdout, "%d case(s) differ, %d of them not allowed (A=%s, B=%s)\n", len(diffs), unexpected, cfg.compareA, cfg.compareB)
	if unexpected > 0 {
		return exitFailed
	}
	return exitOK
}

type caseDiff struct {
	prog, ident string
	a, b        string // categories; "-" when the case is missing
}

func compareResults(a, b []caseResult) []caseDiff {
	type key struct{ p, i string }
	ma, mb := map[key]string{}, map[key]string{}
	for _, c := range a {
		ma[key{c.Program, c.Ident}] = c.Category
	}
	for _, c := range b {
		mb[key{c.Program, c.Ident}] = c.Category
	}
	var out []caseDiff
	for k, ca := range ma {
		cb, ok := mb[k]
		if !ok {
			cb = "-"
		}
		if ca != cb {
			out = append(out, caseDiff{k.p, k.i, ca, cb})
		}
	}
	for k, cb := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, caseDiff{k.p, k.i, "-", cb})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].prog != out[j].prog {
			return out[i].prog < out[j].prog
		}
		return out[i].ident < out[j].ident
	})
	return out
}
