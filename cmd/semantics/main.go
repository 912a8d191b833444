// Command semantics writes docs/SEMANTICS.md, the cross-kernel ptrace(2)
// semantics table, from the suite's own data: it builds every test
// program (go test -c of each tests/<area>), runs each with
// PTRACESUITE_SEMANTICS=json (internal/semantics: the program prints the
// rows it links in and runs no case), merges the rows and renders them by
// the directory whose data they come from. The output depends only on the
// tree: rows sorted, no timestamps, no pids, paths relative to the module.
//
//	go run ./cmd/semantics -o docs/SEMANTICS.md    (make semantics)
//
// make semantics-check writes a temporary copy and diffs it against
// docs/SEMANTICS.md.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"ptracesuite/internal/semantics"
)

// module is the module path, the prefix -trimpath gives every file.
const module = "ptracesuite/"

// sections are the directories whose rows the page shows, in its order,
// with their headings. A row from a directory not listed here fails the
// command: every row has its place.
var sections = []struct{ dir, title string }{
	{"tests/fork", "fork and posix_spawn (`t_fork`)"},
	{"tests/vfork", "vfork (`t_vfork`)"},
	{"tests/clone", "clone (`t_clone`)"},
	{"internal/expect", "shared by the creation areas (`internal/expect`)"},
	{"tests/ptio", "memory transfers and resume addresses (`t_ptio`)"},
	{"tests/siginfo", "siginfo, syscall stops, signals, crashes, cores, exec (`t_siginfo`)"},
	{"tests/lwp", "LWPs (`t_lwp`)"},
	{"tests/regs", "registers, register notes of cores, PT_DUMPCORE (`t_regs`)"},
	{"tests/kill", "killing a tracee (`t_kill`)"},
	{"tests/topology", "who may trace whom: PT_ATTACH and PT_TRACE_ME permissions (`t_topology`)"},
	{"tests/step", "single step, system call emulation, debug registers (`t_step`)"},
	{"tests/picotrace", "picotrace, a tracer on the core (`t_picotrace`)"},
	{"internal/ptrace", "names and unsupported event bits, every area (`internal/ptrace`)"},
	{"internal/nbabi", "NetBSD revisions: features and fixes (`internal/nbabi/features.go`)"},
}

func main() {
	out := flag.String("o", "docs/SEMANTICS.md", "the page to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintf(os.Stderr, "semantics: %v\n", err)
		os.Exit(1)
	}
}

func run(out string) error {
	areas, err := filepath.Glob("tests/*/Kyuafile")
	if err != nil {
		return err
	}
	if len(areas) == 0 {
		return fmt.Errorf("no tests/*/Kyuafile: run from the top of the tree")
	}
	for i, k := range areas {
		areas[i] = filepath.Dir(k)
	}
	if err := os.MkdirAll(".out", 0o755); err != nil {
		return err
	}
	bin, err := os.MkdirTemp(".out", "semantics-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	args := []string{"test", "-c", "-trimpath", "-o", bin + "/"}
	for _, a := range areas {
		args = append(args, "./"+a)
	}
	build := exec.Command("go", args...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	var all []semantics.Row
	for _, a := range areas {
		rows, err := dump(filepath.Join(bin, filepath.Base(a)+".test"))
		if err != nil {
			return fmt.Errorf("%s: %v", a, err)
		}
		own := 0
		for i := range rows {
			f, ok := strings.CutPrefix(rows[i].File, module)
			if !ok {
				return fmt.Errorf("%s: row %q / %q: file %q is not in module %s", a, rows[i].Cases, rows[i].Topic, rows[i].File, module)
			}
			rows[i].File = f
			if filepath.Dir(f) == a {
				own++
			}
		}
		if own == 0 {
			return fmt.Errorf("%s adds no semantics row next to its per-kernel data", a)
		}
		all = append(all, rows...)
	}
	rows, err := merge(all)
	if err != nil {
		return err
	}
	page, err := render(rows)
	if err != nil {
		return err
	}
	return os.WriteFile(out, page, 0o644)
}

// dump runs one test program in dump mode and returns its rows.
func dump(prog string) ([]semantics.Row, error) {
	cmd := exec.Command(prog)
	cmd.Env = append(os.Environ(), semantics.EnvDump+"=json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", prog, err, strings.TrimSpace(stderr.String()))
	}
	var rows []semantics.Row
	if err := json.Unmarshal(stdout.Bytes(), &rows); err != nil {
		return nil, fmt.Errorf("%s: its rows: %v", prog, err)
	}
	return rows, nil
}

// merge keeps one copy of the rows that several programs link in (the
// shared packages') and fails on two different rows under one key.
func merge(all []semantics.Row) ([]semantics.Row, error) {
	byKey := map[string]semantics.Row{}
	var rows []semantics.Row
	for _, r := range all {
		if prev, ok := byKey[r.Key()]; ok {
			if prev != r {
				return nil, fmt.Errorf("%s: two different rows for %q / %q", r.File, r.Cases, r.Topic)
			}
			continue
		}
		byKey[r.Key()] = r
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b semantics.Row) int { return strings.Compare(a.Key(), b.Key()) })
	return rows, semantics.Check(rows)
}

const intro = `# Cross-kernel ptrace(2) semantics: NetBSD and Linux

Generated by ` + "`make semantics`" + ` (cmd/semantics) from the suite's own data; do not
edit: ` + "`make check`" + ` fails when this page differs from what the data say
(` + "`make semantics-check`" + `). Every row is built, next to the data the cases
assert, from that data (internal/semantics): the same maps keyed by
runtime.GOOS, the same rules and tables, formatted in each kernel's words
(errnos, si_codes, event stops and event-mask bits by name). A row names the
cases it governs (ATF idents; ` + "`1..16`" + ` ranges are NetBSD's numbered event masks,
` + "`*`" + ` a glob), the data it is built from and the file that holds it.

Where the data is a flag, the row says it in words written next to it; where
it is a function (the clone rule, the core rule, the LWP rules), the row
states what the function returns for each setting the row lists. The tracer's
own per-kernel tables (request and event names, missing requests and wait
flavours, event bits a kernel cannot report, PT_STEP per machine) live in
portable maps keyed by runtime.GOOS (internal/ptrace/kernels.go, and the
si_code tables sicodelinux.go, sicodenetbsd.go), so one Linux build shows both
kernels: no row repeats by hand what a _linux.go or _netbsd.go file says.

For debugger authors: the NetBSD column is the contract the suite holds
NetBSD to (NetBSD 10 unless a revision is named; older revisions are in the
last section), the Linux column what Linux does instead, as the suite checks
it on Linux.
`

func render(rows []semantics.Row) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(intro)
	files := map[string]bool{}
	for _, r := range rows {
		files[r.File] = true
	}
	fmt.Fprintf(&b, "\n%d rows, from the data in %d files.\n", len(rows), len(files))
	placed := 0
	for _, s := range sections {
		var in []semantics.Row
		for _, r := range rows {
			if filepath.Dir(r.File) == s.dir {
				in = append(in, r)
			}
		}
		if len(in) == 0 {
			continue
		}
		placed += len(in)
		fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		b.WriteString("| cases | topic | NetBSD | Linux | data |\n|---|---|---|---|---|\n")
		for _, r := range in {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | `%s` in [%s](../%s) |\n", cell(r.Cases), cell(r.Topic), cell(r.NetBSD), cell(r.Linux),
				strings.ReplaceAll(r.Data, "|", `\|`), filepath.Base(r.File), r.File)
		}
	}
	if placed != len(rows) {
		for _, r := range rows {
			if !slices.ContainsFunc(sections, func(s struct{ dir, title string }) bool { return s.dir == filepath.Dir(r.File) }) {
				return nil, fmt.Errorf("%s: rows from a directory cmd/semantics has no section for", r.File)
			}
		}
	}
	return b.Bytes(), nil
}

// cell is text as one Markdown table cell: "|" escaped, lines as <br>.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", "<br>")
}
