// Command gensysnames writes the ptrace core's system call name tables
// (internal/ptrace/zsysnames_*.go) from each kernel's syscall list as the
// module's golang.org/x/sys has it, so that every name has a provenance:
//
//   - Linux: unix/zsysnum_linux_<arch>.go, x/sys's mksysnum output of the
//     kernel's asm/unistd.h; SYS_FOO is the kernel's __NR_foo, and the
//     kernel's names are lower case, so the name is "foo".
//   - NetBSD: unix/zsysnum_netbsd_<arch>.go, x/sys's mksysnum output of
//     sys/kern/syscalls.master, whose comment keeps each entry of the
//     master, "{ ret|sys|compat|name(args); }" (without the alias the
//     master may give after it, which x/sys makes the constant's name
//     instead: SYS_GETPID for "getpid_with_ppid(void); } getpid"). The
//     kernel's own name (syscallnames[] in sys/kern/syscalls.c) is the
//     alias if there is one, else name, or "__" name compat for a
//     versioned entry ("__wait450", "__vfork14"). The numbers are
//     machine-independent; the four files must agree. x/sys leaves out
//     some versioned entries (its mksysnum keeps the "", "13", "30" and
//     "50" versions only); those the suite uses come from
//     internal/nbabi/syscalls.go, each constant SYS_FOO naming "foo", and
//     must not contradict x/sys.
//
// Run by go generate in internal/ptrace (it reads the x/sys version of
// go.mod from the module cache: go list -m).
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// notCalls are SYS_ constants x/sys took from asm/unistd.h macros that
// name no system call (arm's __NR_SYSCALL_MASK, the number's mask).
var notCalls = map[string]bool{"SYS_SYSCALL_MASK": true, "SYS_SYSCALL_BASE": true, "SYS_OABI_SYSCALL_BASE": true}

var linuxArches = []string{"386", "amd64", "arm", "arm64"}
var netbsdArches = []string{"386", "amd64", "arm", "arm64"}

func main() {
	if len(os.Args) != 1 {
		fail("usage: gensysnames (run by go generate in internal/ptrace)")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", "golang.org/x/sys").Output()
	if err != nil {
		fail("go list -m golang.org/x/sys: %v", err)
	}
	dir, version, ok := strings.Cut(strings.TrimSpace(string(out)), " ")
	if !ok || dir == "" {
		fail("go list -m golang.org/x/sys: no module directory in %q (go mod download golang.org/x/sys)", out)
	}
	for _, arch := range linuxArches {
		file := "zsysnum_linux_" + arch + ".go"
		consts, first := readConsts(filepath.Join(dir, "unix", file))
		names := map[int]string{}
		for _, c := range consts {
			if notCalls[c.name] {
				continue
			}
			name := strings.ToLower(strings.TrimPrefix(c.name, "SYS_"))
			if old, dup := names[c.value]; dup {
				fail("%s: %d is both %s and %s", file, c.value, old, name)
			}
			names[c.value] = name
		}
		src := fmt.Sprintf("golang.org/x/sys %s unix/%s\n// (%s), each SYS_FOO named \"foo\"", version, file, first)
		write("zsysnames_linux_"+arch+".go", "linux && "+arch, src, names)
	}
	var netbsd map[int]string
	var src string
	for _, arch := range netbsdArches {
		file := "zsysnum_netbsd_" + arch + ".go"
		consts, first := readConsts(filepath.Join(dir, "unix", file))
		names := map[int]string{}
		for _, c := range consts {
			name, err := masterName(c.name, c.comment)
			if err != nil {
				fail("%s: %s: %v", file, c.name, err)
			}
			if old, dup := names[c.value]; dup && old != name {
				fail("%s: %d is both %s and %s", file, c.value, old, name)
			}
			names[c.value] = name
		}
		if netbsd == nil {
			netbsd = names
			src = fmt.Sprintf("golang.org/x/sys %s unix/zsysnum_netbsd_{%s}.go\n// (%s; the four agree), each named as sys/kern/syscalls.c names it", version, strings.Join(netbsdArches, ","), first)
			continue
		}
		if fmt.Sprint(names) != fmt.Sprint(netbsd) {
			fail("%s differs from zsysnum_netbsd_%s.go: the numbers are machine-independent", file, netbsdArches[0])
		}
	}
	extra, _ := readConsts(filepath.Join("..", "nbabi", "syscalls.go"))
	var added []string
	for _, c := range extra {
		name := strings.ToLower(strings.TrimPrefix(c.name, "SYS_"))
		if old, ok := netbsd[c.value]; ok {
			if old != name {
				fail("internal/nbabi/syscalls.go: %s is %d, which x/sys names %s", c.name, c.value, old)
			}
			continue
		}
		netbsd[c.value] = name
		added = append(added, name)
	}
	src += fmt.Sprintf(",\n// and from internal/nbabi/syscalls.go the entries x/sys lacks: %s", strings.Join(added, ", "))
	write("zsysnames_netbsd.go", "netbsd", src, netbsd)
}

type constant struct {
	name    string
	value   int
	comment string
}

// readConsts reads the SYS_* integer constants of a Go file, with their
// line comments, and the file's first line (x/sys's generating command).
func readConsts(path string) ([]constant, string) {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	f, err := parser.ParseFile(token.NewFileSet(), path, b, parser.ParseComments)
	if err != nil {
		fail("%v", err)
	}
	var out []constant
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if len(v.Names) != 1 || len(v.Values) != 1 || !strings.HasPrefix(v.Names[0].Name, "SYS_") {
				continue
			}
			lit, ok := v.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.INT {
				fail("%s: %s is not an integer literal", path, v.Names[0].Name)
			}
			n, err := strconv.ParseInt(lit.Value, 0, 64)
			if err != nil {
				fail("%s: %s: %v", path, v.Names[0].Name, err)
			}
			c := constant{name: v.Names[0].Name, value: int(n)}
			if v.Comment != nil {
				c.comment = strings.TrimSpace(v.Comment.Text())
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		fail("%s: no SYS_ constants", path)
	}
	return out, strings.TrimPrefix(first, "// ")
}

// masterEntry is a syscalls.master entry as x/sys's comment keeps it:
// "{ int|sys|50|wait4(pid_t pid, ...); }".
var masterEntry = regexp.MustCompile(`^\{ *[^|]*\|[^|]*\|([0-9]*)\|([A-Za-z0-9_]+)\(`)

func masterName(constName, comment string) (string, error) {
	m := masterEntry.FindStringSubmatch(comment)
	if m == nil {
		return "", fmt.Errorf("comment %q is not a syscalls.master entry", comment)
	}
	if alias := strings.ToLower(strings.TrimPrefix(constName, "SYS_")); alias != m[2] {
		return alias, nil
	}
	if m[1] != "" {
		return "__" + m[2] + m[1], nil
	}
	return m[2], nil
}

func write(file, build, src string, names map[int]string) {
	var nums []int
	for n := range names {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by gensysnames (go generate); DO NOT EDIT.\n\n//go:build %s\n\npackage ptrace\n\n", build)
	fmt.Fprintf(&b, "// syscallNames are this kernel's system call names by number, from\n// %s.\n", src)
	fmt.Fprintf(&b, "var syscallNames = [...]string{\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "\t%d: %q,\n", n, names[n])
	}
	fmt.Fprintf(&b, "}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		fail("%s: %v", file, err)
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gensysnames: "+format+"\n", args...)
	os.Exit(1)
}
