// Command netbsd-cases writes docs/NETBSD-CASES.md: every ATF case NetBSD's
// own ptrace(2) suite registers (inventory.go, with the file and revision
// it was read from) and this suite's counterpart, program and ident, or
// the reason there is none (rules.go). It builds every test program (go
// test -c of each tests/<area>) and reads its case list (-l), so a
// counterpart that names a case no program declares fails the command, as
// does a NetBSD case that no rule maps and no case of the same name
// answers.
//
//	go run ./cmd/netbsd-cases -o docs/NETBSD-CASES.md    (make netbsd-cases)
//
// make netbsd-cases-check writes a temporary copy and diffs it against
// docs/NETBSD-CASES.md.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"ptracesuite/internal/atf"
)

// group is one registration line shape of one NetBSD file: its cases,
// all registered by the same macro under the same condition.
type group struct {
	file, rev, macro, cond string
	disabled               string // "" when registered; else NetBSD's reason it is not
	names                  string // space-separated
}

// counterpart is this suite's answer to one NetBSD case.
type counterpart struct {
	cases []string // program:ident
	how   string   // what differs ("" for the same case under the same name)
	none  string   // why there is no counterpart (cases empty)
}

func main() {
	out := flag.String("o", "", "write the page to this file (required)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: netbsd-cases -o FILE (from the top of the tree)\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "netbsd-cases:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	ours, err := listCases()
	if err != nil {
		return err
	}
	page, err := render(ours)
	if err != nil {
		return err
	}
	return os.WriteFile(out, page, 0o644)
}

// listCases builds every test program and returns its cases as
// "program:ident" (program = the area, t_<area>) → true.
func listCases() (map[string]bool, error) {
	areas, err := filepath.Glob("tests/*/Kyuafile")
	if err != nil {
		return nil, err
	}
	if len(areas) == 0 {
		return nil, fmt.Errorf("no tests/*/Kyuafile: run from the top of the tree")
	}
	if err := os.MkdirAll(".out", 0o755); err != nil {
		return nil, err
	}
	bin, err := os.MkdirTemp(".out", "netbsd-cases-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(bin)
	args := []string{"test", "-c", "-o", bin + "/"}
	for _, k := range areas {
		args = append(args, "./"+filepath.Dir(k))
	}
	build := exec.Command("go", args...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	ours := map[string]bool{}
	for _, k := range areas {
		area := filepath.Base(filepath.Dir(k))
		prog := filepath.Join(bin, area+".test")
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(prog, "-l")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s -l: %v: %s", prog, err, strings.TrimSpace(stderr.String()))
		}
		list, err := atf.ParseListing(stdout.String())
		if err != nil {
			return nil, fmt.Errorf("%s -l: %v", prog, err)
		}
		for _, c := range list {
			ours["t_"+area+":"+c.Ident] = true
		}
	}
	return ours, nil
}

// answer finds a NetBSD case's counterpart: the first rule that matches
// it, else a case of the same name in any program.
func answer(g group, name string, ours map[string]bool) (counterpart, error) {
	for _, r := range rules {
		if r.file != "" && r.file != g.file {
			continue
		}
		m := r.re.FindStringSubmatchIndex(name)
		if m == nil {
			continue
		}
		if r.none != "" {
			return counterpart{none: r.none}, nil
		}
		var c counterpart
		c.how = r.how
		for _, t := range r.to(name, m) {
			if !ours[t] {
				return c, fmt.Errorf("%s %s: rule /%s/ names %s, which no program declares", g.file, name, r.re, t)
			}
			c.cases = append(c.cases, t)
		}
		return c, nil
	}
	var c counterpart
	for k := range ours {
		if _, ident, _ := strings.Cut(k, ":"); ident == name {
			c.cases = append(c.cases, k)
		}
	}
	sort.Strings(c.cases)
	if len(c.cases) == 0 {
		return c, fmt.Errorf("%s %s: no rule maps it and no case of that name exists: add the case, or a rule with its counterpart or the reason there is none", g.file, name)
	}
	return c, nil
}

func render(ours map[string]bool) ([]byte, error) {
	var b strings.Builder
	type row struct {
		name, macro string
		c           counterpart
	}
	files := map[string][]row{}
	var order []string
	revs := map[string]string{}
	var same, renamed, without, disabled, total int
	claimed := map[string]bool{}
	for _, g := range inventory {
		if _, ok := files[g.file]; !ok {
			order = append(order, g.file)
			files[g.file] = nil
		}
		revs[g.file] = g.rev
		for _, name := range strings.Fields(g.names) {
			macro := strings.TrimPrefix(g.macro, "ATF_TP_ADD_TC")
			macro = strings.TrimPrefix(macro, "_")
			if g.cond != "-" {
				macro = strings.TrimSpace(macro + " " + g.cond)
			}
			if g.disabled != "" {
				// Written in NetBSD's file but not registered: a
				// counterpart is listed where this suite has one.
				disabled++
				c, err := answer(g, name, ours)
				if err != nil || len(c.cases) == 0 {
					c = counterpart{none: "NetBSD does not run it (" + g.disabled + ")"}
				} else {
					c.how = strings.TrimSpace("NetBSD does not run its case (" + g.disabled + "); this one runs. " + c.how)
					for _, k := range c.cases {
						claimed[k] = true
					}
				}
				files[g.file] = append(files[g.file], row{name, macro, c})
				continue
			}
			total++
			c, err := answer(g, name, ours)
			if err != nil {
				return nil, err
			}
			switch {
			case len(c.cases) == 0:
				without++
			case c.how == "":
				same++
			default:
				renamed++
			}
			for _, k := range c.cases {
				claimed[k] = true
			}
			files[g.file] = append(files[g.file], row{name, macro, c})
		}
	}
	fmt.Fprintf(&b, `# NetBSD's ptrace(2) cases and this suite's counterparts

Generated by `+"`make netbsd-cases`"+` (cmd/netbsd-cases) from the NetBSD case
inventory (cmd/netbsd-cases/inventory.go: the ATF_TP_ADD_TC* lines of
NetBSD/src tests/lib/libc/sys, read on 2026-12-01 at the revisions below),
the rules that map each case to this suite's (cmd/netbsd-cases/rules.go)
and the case lists of the built programs; do not edit: `+"`make check`"+` fails
when this page differs from what they say, or when a rule names a case no
program declares (`+"`make netbsd-cases-check`"+`).

A counterpart is program:ident, what `+"`kyua test`"+` runs; "how" says what
differs where the case is not the same case under the same name. NetBSD
runs each case of t_ptrace_wait.c under six wait flavours (t_ptrace_wait,
_waitpid, _waitid, _wait3, _wait4, _wait6); here every case runs under
every flavour in tests/Kyuafile.matrix (README "Wait-flavour matrix").
The macro column is NetBSD's registration condition (HAVE_PID: a wait
flavour with a pid; HAVE_STATUS: one with a status; GPREGS, FPREGS,
DBREGS, PT_STEP: the machine has the request; x86, amd64, i386: the
architecture).

%d NetBSD cases registered (amd64 and i386 together; %d more written but
not run by NetBSD): %d have a case of the same name here, %d a
counterpart under another name or shape, %d none (the reason is given).
%d cases of this suite answer one or more of them; the other %d are this
suite's own.

`, total, disabled, same, renamed, without, len(claimed), len(ours)-len(claimed))
	for _, f := range order {
		fmt.Fprintf(&b, "## %s %s\n\n| NetBSD case | macro | counterpart | how |\n|---|---|---|---|\n", f, revs[f])
		for _, r := range files[f] {
			cp, how := "—", r.c.how
			if len(r.c.cases) > 0 {
				cp = strings.Join(r.c.cases, "<br>")
			} else {
				how = "none: " + r.c.none
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.name, r.macro, cp, strings.ReplaceAll(how, "|", `\|`))
		}
		b.WriteString("\n")
	}
	return []byte(b.String()), nil
}

// rule maps the NetBSD cases its expression matches (the whole name) to
// this suite's: to expands the counterparts, or none says why there is
// none. file limits it to one NetBSD file ("" any).
type rule struct {
	file string
	re   *regexp.Regexp
	to   func(name string, m []int) []string
	how  string
	none string
}
