package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/atf"
)

// runCover proves, case by case, that every case of the named test
// packages that runs on this kernel can fail: each case that passes
// unmutated is run under each mutant of the set (by default every mutant
// the table names for those packages), and a case no mutant makes fail
// is a case that cannot fail, reported and counted against the run.
// A mutant that only makes a case hang does not count: the case must fail
// with a reason.
func runCover(dir string, pkgs []string, mutants *regexp.Regexp, jobs int, limit time.Duration, md string) int {
	set := map[string]bool{}
	for _, r := range table {
		for _, p := range pkgs {
			if r.pkg == p {
				set[r.mutant] = true
			}
		}
	}
	if mutants != nil {
		for _, r := range table {
			if mutants.MatchString(r.mutant) {
				set[r.mutant] = true
			}
		}
	}
	var names []string
	for m := range set {
		names = append(names, m)
	}
	sort.Strings(names)
	if len(names) == 0 {
		fail("-cover: no mutant of the table applies to %s", strings.Join(pkgs, ", "))
	}

	type cas struct {
		pkg, prog, ident string
		clean            outcome
		caught           map[string]outcome // mutant → its failing run
		hung             []string           // mutants under which it only hung
	}
	var all []*cas
	for _, pkg := range pkgs {
		prog, idents := buildListed(dir, pkg)
		for _, id := range idents {
			all = append(all, &cas{pkg: pkg, prog: prog, ident: id, caught: map[string]outcome{}})
		}
	}

	// One job per (case, mutant), the unmutated run ("") first: a case that
	// does not pass unmutated is run under no mutant.
	type job struct {
		c      *cas
		mutant string
	}
	var mu sync.Mutex
	work := func(ch <-chan job) {
		for j := range ch {
			if interrupted.Err() != nil {
				continue
			}
			o := runCase(dir, j.c.prog, j.c.ident, j.mutant, nil, limit)
			mu.Lock()
			switch {
			case j.mutant == "":
				j.c.clean = o
			case o.result.Category == atf.Failed:
				j.c.caught[j.mutant] = o
			case o.result.Category == atf.Broken:
				j.c.hung = append(j.c.hung, j.mutant)
			}
			mu.Unlock()
		}
	}
	pool := func(jobsList []job) {
		ch := make(chan job)
		var wg sync.WaitGroup
		for i := 0; i < jobs; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); work(ch) }()
		}
		for _, j := range jobsList {
			ch <- j
		}
		close(ch)
		wg.Wait()
	}
	var first []job
	for _, c := range all {
		first = append(first, job{c, ""})
	}
	pool(first)
	var second []job
	for _, c := range all {
		if c.clean.result.Category == atf.Passed {
			for _, m := range names {
				second = append(second, job{c, m})
			}
		}
	}
	pool(second)
	if interrupted.Err() != nil {
		return 130
	}

	var b strings.Builder
	var uts unix.Utsname
	unix.Uname(&uts)
	fmt.Fprintf(&b, "# Every case can fail: %s\n\n", strings.Join(pkgs, ", "))
	fmt.Fprintf(&b, "Written by `make mutation-cover` (cmd/mutation -cover) on %s %s: each case of\n"+
		"these programs that passes unmutated here was run once under each mutant of the set;\n"+
		"a case that no mutant makes fail (a hang does not count) fails the command. The\n"+
		"reason shown is the first mutant's, in the case's own words. Skipped cases say why.\n\n",
		unix.ByteSliceToString(uts.Sysname[:]), unix.ByteSliceToString(uts.Release[:]))
	fmt.Fprintf(&b, "Mutants: %s.\n\n", "`"+strings.Join(names, "`, `")+"`")
	fmt.Fprintf(&b, "| case | result unmutated | mutants that make it fail | one of the reasons |\n|---|---|---|---|\n")
	ran, covered, bad := 0, 0, 0
	for _, c := range all {
		id := filepath.Base(c.pkg) + ":" + c.ident
		cat := c.clean.result.Category
		if cat != atf.Passed {
			line := fmt.Sprintf("%s: %s", cat, c.clean.result.Reason)
			fmt.Fprintf(&b, "| %s | %s | — | — |\n", id, mdCell(line))
			if cat != atf.Skipped {
				bad++
				fmt.Fprintf(os.Stderr, "FAIL %s does not pass unmutated: %s\n", id, line)
			}
			continue
		}
		ran++
		var got []string
		for m := range c.caught {
			got = append(got, m)
		}
		sort.Strings(got)
		if len(got) == 0 {
			bad++
			hung := ""
			if len(c.hung) > 0 {
				sort.Strings(c.hung)
				hung = " (only hung under " + strings.Join(c.hung, ", ") + ")"
			}
			fmt.Fprintf(os.Stderr, "FAIL %s: no mutant of the set makes it fail%s\n", id, hung)
			fmt.Fprintf(&b, "| %s | passed | **none**%s | — |\n", id, hung)
			continue
		}
		covered++
		o := c.caught[got[0]]
		fmt.Fprintf(&b, "| %s | passed | %s | %s: %s |\n", id, "`"+strings.Join(got, "`, `")+"`", got[0], mdCell(o.result.Reason))
		fmt.Printf("%-60s caught by %s\n", id, strings.Join(got, ", "))
	}
	fmt.Fprintf(&b, "\n%d cases; %d pass unmutated here, %d of them fail under at least one mutant.\n", len(all), ran, covered)
	fmt.Printf("%d cases, %d pass unmutated, %d of them caught by a mutant, %d problems\n", len(all), ran, covered, bad)
	if md != "" {
		if err := os.WriteFile(md, []byte(b.String()), 0o644); err != nil {
			fail("%v", err)
		}
	}
	if bad > 0 {
		return 1
	}
	return 0
}

// mdCell makes a reason one markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}
