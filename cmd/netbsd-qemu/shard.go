package main

import (
	"sort"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

// defaultEstimate is the expected time of a case with no history: most cases
// take well under a second under TCG, the rest run into their timeouts, which
// cannot be known in advance.
const defaultEstimate = 2.0

// item is one case to schedule.
type item struct {
	prog, ident string
	order       int     // position in the suite (program order, then listing order)
	est         float64 // expected seconds
}

// shard splits items into at most n jobs of about equal expected time:
// longest expected first, each to the job with the least expected time so
// far (LPT). Cases of equal estimate are dealt round-robin in suite order, so
// a slow program is spread over every job. Each job then runs in suite order,
// which keeps a program's cases together (one listing per program per boot).
func shard(items []item, n int) [][]item {
	if n > len(items) {
		n = len(items)
	}
	if n <= 0 {
		return nil
	}
	sorted := append([]item(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].est != sorted[j].est {
			return sorted[i].est > sorted[j].est
		}
		return sorted[i].order < sorted[j].order
	})
	jobs := make([][]item, n)
	load := make([]float64, n)
	for _, it := range sorted {
		best := 0
		for k := 1; k < n; k++ {
			if load[k] < load[best] {
				best = k
			}
		}
		jobs[best] = append(jobs[best], it)
		load[best] += it.est
	}
	for _, j := range jobs {
		sort.Slice(j, func(a, b int) bool { return j[a].order < j[b].order })
	}
	return jobs
}

// planFor turns a job into the programs of a plan, in suite order.
func planFor(job []item, expected map[string][]string, path func(string) string) []bootproto.Program {
	var progs []bootproto.Program
	idx := map[string]int{}
	for _, it := range job {
		k, ok := idx[it.prog]
		if !ok {
			k = len(progs)
			idx[it.prog] = k
			progs = append(progs, bootproto.Program{Name: it.prog, Path: path(it.prog), Expected: expected[it.prog]})
		}
		progs[k].Cases = append(progs[k].Cases, it.ident)
	}
	return progs
}
