package atfshim_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// suiteVars are the config variables the suite's programs declare
// (atfshim.DeclareVar), each with bad values and the one-line reason every
// case of the program must fail with. TestSuiteConfigChecked checks this
// table against the DeclareVar calls in the tree.
var suiteVars = map[string][]struct{ name, value, reason string }{
	"clone": {
		{"clone_stress_iterations", "-5", "out of range: want 1..10000000"},
		{"clone_stress_iterations", "0", "out of range: want 1..10000000"},
		{"clone_stress_iterations", "10000001", "out of range: want 1..10000000"},
		{"clone_stress_iterations", "many", "not an integer: want 1..10000000"},
		{"clone_stress_seed", "-1", "not a decimal unsigned integer: want 0..18446744073709551615"},
	},
	"siginfo": {
		{"send_panicking", "maybe", "not a boolean: want true/false, yes/no or 1/0"},
		{"send_panicking", "2", "not a boolean: want true/false, yes/no or 1/0"},
	},
	"lwp": {
		{"racy_repeat", "0", "out of range: want 1..1000000"},
		{"racy_repeat", "-5", "out of range: want 1..1000000"},
	},
}

// racyBad is checked in every program.
var racyBad = struct{ name, value, reason string }{"racy", "maybe", "not a boolean: want true/false, yes/no or 1/0"}

// everyVars are declared by internal/tracer, which every program imports,
// and checked in every program as racy is.
var everyVars = []struct{ name, value, reason string }{
	{"wait", "wait5", "not a wait flavour: want one of wait, waitpid, waitid, wait3, wait4, wait6"},
}

// everyArea is declaredInTree's key for internal/tracer's variables.
const everyArea = "*"

// TestSuiteConfigChecked builds every ATF program of the suite and runs
// it with each bad value of a variable it declares, and with racy=maybe:
// every case fails, the racy, skipped and root-only ones included, with
// `config variable NAME="VALUE": <what the values may be>`, in ATF mode
// (-v NAME=VALUE; the cases share the values out, one run each) and under
// go test (PTRACE_NAME, one full run per value). No case reaches its
// body, so nothing is traced.
func TestSuiteConfigChecked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the suite's test binaries")
	}
	t.Parallel() // with the other program builds: they mostly wait
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	declared := declaredInTree(t, root)
	areas, err := filepath.Glob(filepath.Join(root, "tests", "*", "Kyuafile"))
	if err != nil || len(areas) == 0 {
		t.Fatalf("no tests/*/Kyuafile under %s (%v)", root, err)
	}
	for i, a := range areas {
		areas[i] = filepath.Base(filepath.Dir(a))
	}
	for area, names := range declared {
		var want []string
		vars := suiteVars[area]
		if area == everyArea {
			vars = everyVars
		}
		for _, v := range vars {
			if len(want) == 0 || want[len(want)-1] != v.name {
				want = append(want, v.name)
			}
		}
		sort.Strings(want)
		if fmt.Sprint(names) != fmt.Sprint(want) {
			t.Errorf("tests/%s declares config variables %v; suiteVars (everyVars for internal/tracer, %q) checks %v: update it", area, names, everyArea, want)
		}
	}
	for area := range suiteVars {
		if declared[area] == nil {
			t.Errorf("suiteVars has tests/%s, which declares no config variable", area)
		}
	}

	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, len(areas))
	for i, area := range areas {
		wg.Go(func() {
			cmd := exec.Command("go", "test", "-c", "-o", filepath.Join(dir, "t_"+area), "./tests/"+area)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("go test -c ./tests/%s: %v\n%s", area, err, out)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	for _, area := range areas {
		t.Run(area, func(t *testing.T) {
			t.Parallel()
			prog := filepath.Join(dir, "t_"+area)
			r := runProg(t, t.TempDir(), nil, prog, "-l")
			idents := regexp.MustCompile(`(?m)^ident: (\S+)$`).FindAllStringSubmatch(r.stdout, -1)
			if r.code != 0 || len(idents) == 0 {
				t.Fatalf("t_%s -l: exit %d, %d cases, stderr %q", area, r.code, len(idents), r.stderr)
			}
			bad := append(append(slices.Clone(suiteVars[area]), everyVars...), racyBad)
			for i, id := range idents {
				b := bad[i%len(bad)]
				t.Run(id[1], func(t *testing.T) {
					wd := t.TempDir()
					res := filepath.Join(wd, "result")
					r := runProg(t, wd, nil, prog, "-v", b.name+"="+b.value, "-r", res, id[1])
					checkResultFile(t, res, r, fmt.Sprintf("failed: config variable %s=%q: %s", b.name, b.value, b.reason))
				})
			}
			for _, b := range bad {
				env := []string{"PTRACE_" + strings.ToUpper(b.name) + "=" + b.value}
				r := runProg(t, t.TempDir(), env, prog, append(goTestFlags, "-test.v=true", "-test.count=1")...)
				for _, m := range regexp.MustCompile(`--- (PASS|SKIP): (\S+)`).FindAllStringSubmatch(r.stdout, -1) {
					t.Errorf("%s: %s %s", env, m[1], m[2])
				}
				msg := fmt.Sprintf(": config variable %s=%q: %s\n", b.name, b.value, b.reason)
				if got := strings.Count(r.stdout, msg); got != len(idents) || r.code != 1 {
					t.Errorf("%s t_%s: exit %d, %d of %d cases failed with %q; stderr %q", env, area, r.code, got, len(idents), msg, r.stderr)
				}
			}
		})
	}
}

// declaredInTree maps each tests/<area> to the sorted names of the config
// variables its files declare. A declaration anywhere else fails the test:
// it would apply to every program that imports it, which this test does
// not model.
func declaredInTree(t *testing.T, root string) map[string][]string {
	t.Helper()
	call := regexp.MustCompile(`atfshim\.DeclareVar\(\s*("[^"]*"|\w+)`)
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || path == filepath.Join(root, "atfshim")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			name := strings.Trim(m[1], `"`)
			if !strings.HasPrefix(m[1], `"`) {
				name = constValue(t, filepath.Dir(path), m[1])
			}
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			if filepath.ToSlash(rel) == "internal/tracer" {
				out[everyArea] = append(out[everyArea], name)
				continue
			}
			area, ok := strings.CutPrefix(filepath.ToSlash(rel), "tests/")
			if !ok || strings.Contains(area, "/") {
				t.Errorf("%s declares config variable %s outside tests/<area>; TestSuiteConfigChecked does not cover it", path, name)
				continue
			}
			out[area] = append(out[area], name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, names := range out {
		sort.Strings(names)
	}
	return out
}

// constValue is the string constant ident of the package in dir.
func constValue(t *testing.T, dir, ident string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	def := regexp.MustCompile(`\b` + regexp.QuoteMeta(ident) + `\s*=\s*"([^"]*)"`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := def.FindSubmatch(src); m != nil {
			return string(m[1])
		}
	}
	t.Errorf("%s: cannot find the string constant %s", dir, ident)
	return ident
}
