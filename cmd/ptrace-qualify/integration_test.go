package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ptracesuite/internal/atf"
	"ptracesuite/internal/tracer"
)

// tinyTree builds a small kyua tree in a temporary directory: the atfshim
// example program (whose row_fail fails on purpose and whose racy case is
// declared racy) next to the Kyuafile, and t_lwp under lwp/ for a racy
// case that reports its run counts.
func tinyTree(t *testing.T) (dir, kyuafile string) {
	t.Helper()
	if _, err := exec.LookPath("kyua"); err != nil {
		t.Skip("kyua not installed (make kyua)")
	}
	dir = t.TempDir()
	for _, b := range [][]string{
		{"-tags", "atfshim_example", "-o", filepath.Join(dir, "t_example"), "ptracesuite/atfshim/internal/example"},
		{"-o", filepath.Join(dir, "lwp", "t_lwp"), "ptracesuite/tests/lwp"},
	} {
		cmd := exec.Command("go", append([]string{"test", "-c"}, b...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go test -c %v: %v\n%s", b, err, out)
		}
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Kyuafile", "syntax(2)\ntest_suite('ptrace')\natf_test_program{name='t_example'}\ninclude('lwp/Kyuafile')\n")
	write("lwp/Kyuafile", "syntax(2)\ntest_suite('ptrace')\natf_test_program{name='t_lwp'}\n")
	// The wait-flavour matrix of lwp, as scripts/matrix-tree.sh makes it.
	if err := os.MkdirAll(filepath.Join(dir, "matrix", "lwp"), 0o755); err != nil {
		t.Fatal(err)
	}
	mk := "syntax(2)\ntest_suite('ptrace')\n"
	for _, f := range tracer.FlavourNames {
		if err := os.Symlink("../../lwp/t_lwp", filepath.Join(dir, "matrix", "lwp", "t_lwp_"+f)); err != nil {
			t.Fatal(err)
		}
		mk += "atf_test_program{name='t_lwp_" + f + "'}\n"
	}
	write("matrix/lwp/Kyuafile", mk)
	write("Kyuafile.matrix", "syntax(2)\ntest_suite('ptrace')\ninclude('matrix/lwp/Kyuafile')\n")
	return dir, filepath.Join(dir, "Kyuafile")
}

func TestQualifyTinyTree(t *testing.T) {
	dir, kf := tinyTree(t)
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-o", out, "-kyuafile", kf, "-matrix", filepath.Join(dir, "Kyuafile.matrix"), "-repeat", "20",
		"t_example:pass", "t_example:row_fail", "t_example:known_bug", "t_example:skip", "t_example:racy",
		"lwp/t_lwp:lwp_create_vs_detach", "lwp/t_lwp:lwpinfo1"}, &stdout, &stderr)
	if code != exitFailed {
		t.Errorf("exit %d, want %d (t_example:row_fail fails)\nstdout:\n%s\nstderr:\n%s", code, exitFailed, &stdout, &stderr)
	}
	for _, f := range []string{"tree.db", "tree.junit.xml", "html/tree/index.html", "tree.out", "kyua.tree.log",
		"racy.db", "racy.junit.xml", "html/racy/index.html", "matrix.db", "html/matrix/index.html", "summary.md", "summary.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("output: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "tmp")); err == nil {
		t.Errorf("kyua's TMPDIR %s/tmp left behind", out)
	}
	md, _ := os.ReadFile(filepath.Join(out, "summary.md"))
	for _, want := range []string{
		"**Verdict: FAILED**",
		"- `t_example:row_fail` (tree): **failed**: row failed",
		"| t_example | 1 | 1 | 2 | 1 | 0 | 5 |",
		"| lwp | 1 | 0 | 1 | 0 | 0 | 2 |",
		"| xfail | `t_example:known_bug` | PR kern/12345: demo: tracee lost |",
		"| `t_example:racy` | listing, skip reason | passed | — |",
		"| `lwp/t_lwp:lwp_create_vs_detach` | listing, skip reason |",
		"racy_repeat=20",
		"| wait | 1 | 0 | 1 | 0 | 0 | 2 |",
		"| wait6 | 0 | 0 | 2 | 0 | 0 | 2 |",
	} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("summary.md lacks %q:\n%s", want, md)
		}
	}
	var s Summary
	js, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(js, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if s.Verdict != "failed" || len(s.Failing) == 0 || s.Failing[0].Name != "t_example:row_fail" {
		t.Errorf("summary.json verdict %q, failing %+v", s.Verdict, s.Failing)
	}
	var lwp *RacyRate
	for i := range s.Racy {
		if s.Racy[i].Name == "lwp/t_lwp:lwp_create_vs_detach" {
			lwp = &s.Racy[i]
		}
	}
	if lwp == nil || !lwp.Measured || lwp.Runs != 20 || lwp.High <= lwp.Low || (lwp.Failures == 0) != (lwp.Result == atf.Passed) {
		t.Errorf("lwp_create_vs_detach not measured over 20 runs: %+v", lwp)
	}
	if s.Host.Uname == "" || s.Suite == "" || len(s.Phases) != 3 || s.Phases[0].Seconds <= 0 || s.Seconds < s.Phases[0].Seconds {
		t.Errorf("summary.json identity or times: host %+v suite %q phases %d total %v", s.Host, s.Suite, len(s.Phases), s.Seconds)
	}
	for _, want := range []string{"== phase 1/3 tree: 7 cases", "[tree] done: 7/7 cases", "[racy] done: 2/2 cases", "[matrix] done: 12/12 cases", "t_example:row_fail  ->  failed: row failed"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, &stdout)
		}
	}

	// Skips and expected failures pass; no racy case, no racy phase.
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-o", out, "-kyuafile", kf, "t_example:pass", "t_example:skip", "t_example:known_bug"}, &stdout, &stderr); code != exitOK {
		t.Errorf("passing subset: exit %d\n%s%s", code, &stdout, &stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "racy.db")); err == nil {
		t.Error("racy.db of the earlier run left in the output directory")
	}
	md, _ = os.ReadFile(filepath.Join(out, "summary.md"))
	if !bytes.Contains(md, []byte("**Verdict: passed**")) {
		t.Errorf("passing subset:\n%s", md)
	}
}

// TestQualifyBadInput: a one-line error and exit status 2, before any
// case runs.
func TestQualifyBadInput(t *testing.T) {
	dir, kf := tinyTree(t)
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", filepath.Join(file, "sub"), "-kyuafile", kf}, "ptrace-qualify: -o: mkdir "},
		{[]string{"-kyuafile", filepath.Join(dir, "nope")}, "ptrace-qualify: -kyuafile: stat "},
		{[]string{"-o", filepath.Join(dir, "o"), "-kyuafile", kf, "t_nothere"}, "ptrace-qualify: kyua list: No test cases matched by the filter 't_nothere'"},
		{[]string{"-repeat", "0"}, "ptrace-qualify: -repeat 0: out of range: want 1..1000000"},
		{[]string{"-kyua", "/nonexistent/kyua"}, "ptrace-qualify: -kyua /nonexistent/kyua: "},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
		if code != exitUsage || len(lines) != 1 || !strings.HasPrefix(lines[0], tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line starting %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}
