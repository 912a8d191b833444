package main

import (
	"fmt"
	"testing"
)

func TestShard(t *testing.T) {
	var items []item
	for i := 0; i < 10; i++ {
		items = append(items, item{prog: "t_a", ident: fmt.Sprint("a", i), order: i, est: 2})
	}
	for i := 0; i < 4; i++ {
		items = append(items, item{prog: "t_lwp", ident: fmt.Sprint("slow", i), order: 10 + i, est: 30})
	}
	jobs := shard(items, 2)
	if len(jobs) != 2 {
		t.Fatalf("%d jobs", len(jobs))
	}
	total := 0
	for _, j := range jobs {
		load, slow := 0.0, 0
		for k, it := range j {
			load += it.est
			if it.est == 30 {
				slow++
			}
			if k > 0 && j[k-1].order > it.order {
				t.Errorf("job not in suite order: %v", j)
			}
		}
		if slow != 2 || load != 70 {
			t.Errorf("job load %v with %d slow cases, want 70 and 2: %v", load, slow, j)
		}
		total += len(j)
	}
	if total != len(items) {
		t.Errorf("%d items sharded, want %d", total, len(items))
	}
	if got := shard(items[:1], 4); len(got) != 1 {
		t.Errorf("more jobs than cases: %d", len(got))
	}
	if got := shard(nil, 2); got != nil {
		t.Errorf("no items: %v", got)
	}
}

func TestPlanFor(t *testing.T) {
	job := []item{{prog: "t_a", ident: "x"}, {prog: "t_b", ident: "y"}, {prog: "t_a", ident: "z"}}
	ps := planFor(job, map[string][]string{"t_a": {"x", "z", "w"}}, func(p string) string { return "/tests/" + p })
	if len(ps) != 2 || ps[0].Name != "t_a" || len(ps[0].Cases) != 2 || ps[0].Path != "/tests/t_a" || len(ps[0].Expected) != 3 {
		t.Errorf("plan %+v", ps)
	}
}
