package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
)

// The test binary doubles as fake grub-mkrescue and fake qemu (by the name
// it is started under), so that the boot loop, the reboot after a panic and
// the hang watchdog are tested on Linux without a kernel.
func TestMain(m *testing.M) {
	switch filepath.Base(os.Args[0]) {
	case "grub-mkrescue":
		os.Exit(fakeMkrescue(os.Args[1:]))
	case "qemu-system-x86_64":
		os.Exit(fakeQemu(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeMkrescue "builds" the ISO by copying the tree's plan into it.
func fakeMkrescue(args []string) int {
	var out string
	for i := 0; i < len(args); i++ {
		if args[i] == "-o" {
			out = args[i+1]
		}
	}
	plan, err := os.ReadFile(filepath.Join(args[len(args)-1], "plan.json"))
	if err != nil || os.WriteFile(out, plan, 0o644) != nil {
		return 1
	}
	return 0
}

// fakeQemu plays a kernel and guestinit from the plan in its -cdrom file:
// cases named panic* panic the kernel, hang* hang it, fail* fail, others pass.
func fakeQemu(args []string) int {
	var iso string
	for i := range args {
		if args[i] == "-cdrom" {
			iso = args[i+1]
		}
	}
	b, err := os.ReadFile(iso)
	if err != nil {
		return 1
	}
	plan, err := bootproto.DecodePlan(b)
	if err != nil {
		return 1
	}
	say := func(s string) { os.Stdout.WriteString(s + "\r\n") }
	say("NetBSD 8.99.25 (FAKE)")
	if os.Getenv("FAKE_NO_BOOT") == "1" {
		say("cannot mount root, error = 6")
		return 0
	}
	say(bootproto.Frame{Kind: bootproto.KindHello, Boot: plan.Boot, Cases: plan.NumCases()}.Line())
	for _, p := range plan.Programs {
		say(bootproto.Frame{Kind: bootproto.KindListing, Program: p.Name, Listing: "ok", Count: len(p.Expected)}.Line())
		for _, id := range p.Cases {
			name := bootproto.CaseName(p.Name, id)
			say(bootproto.Frame{Kind: bootproto.KindStart, Case: name, Timeout: time.Second}.Line())
			switch {
			case strings.HasPrefix(id, "panic"):
				say("panic: lock error: Mutex: mutex_vector_enter,564: locking against myself")
				say("rebooting...")
				return 0
			case strings.HasPrefix(id, "hang"):
				time.Sleep(time.Hour)
			case strings.HasPrefix(id, "fail"):
				say(bootproto.Frame{Kind: bootproto.KindOut, Case: name, Stream: "stderr", Text: "why\x01 <&>"}.Line())
				say(bootproto.Frame{Kind: bootproto.KindResult, Case: name, Category: atf.Failed, Elapsed: time.Second, Reason: "it failed"}.Line())
			default:
				say(bootproto.Frame{Kind: bootproto.KindResult, Case: name, Category: atf.Passed, Elapsed: 100 * time.Millisecond}.Line())
			}
		}
	}
	say(bootproto.Frame{Kind: bootproto.KindDone}.Line())
	return 0
}

func fakeRunner(t *testing.T, idents []string, jobs int) (*runner, []item, *bytes.Buffer) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the image tree has device nodes: needs root")
	}
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tools := map[string]string{}
	for _, name := range []string{"grub-mkrescue", "qemu-system-x86_64"} {
		p := filepath.Join(dir, name)
		if err := os.Symlink(self, p); err != nil {
			t.Fatal(err)
		}
		tools[name] = p
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o755)
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	var stdout bytes.Buffer
	cfg := &config{jobs: jobs, timeoutScale: 0.01, outDir: out}
	r := &runner{cfg: cfg, work: dir, kernel: file, guestinit: file, tools: tools,
		progs:    map[string]*program{"t_x": {area: "x", name: "t_x", netbsd: file}},
		expected: map[string][]string{"t_x": idents}, order: map[string]int{}, stdout: &stdout, stderr: &stdout,
		unlisted: map[string][]string{}}
	var items []item
	for i, id := range idents {
		items = append(items, item{prog: "t_x", ident: id, order: i, est: 1})
	}
	return r, items, &stdout
}

func TestBootLoopPanicAndHang(t *testing.T) {
	idents := []string{"a", "panic1", "b", "hang1", "fail1", "c", "panic2", "d"}
	r, items, stdout := fakeRunner(t, idents, 1)
	if err := r.runAll(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a": "passed", "b": "passed", "c": "passed", "d": "passed", "fail1": "failed",
		"panic1": "broken", "panic2": "broken", "hang1": "broken",
	}
	for id, cat := range want {
		res, ok := r.results["t_x:"+id]
		if !ok || res.Category != cat {
			t.Errorf("%s: got %+v, want %s", id, res, cat)
		}
	}
	if got := r.results["t_x:panic1"].Reason; got != "kernel panic: lock error: Mutex: mutex_vector_enter,564: locking against myself" {
		t.Errorf("panic reason %q", got)
	}
	if got := r.results["t_x:hang1"].Reason; !strings.HasPrefix(got, "kernel hang: no result within ") {
		t.Errorf("hang reason %q", got)
	}
	if got := r.results["t_x:fail1"].Stderr; len(got) != 1 || got[0] != `why\x01 <&>` {
		t.Errorf("fail1 stderr %q", got)
	}
	if len(r.boots) != 4 { // panic1, hang1, panic2 end a boot each
		t.Errorf("%d boots, want 4: %+v", len(r.boots), r.boots)
	}
	if n := strings.Count(stdout.String(), "\n"); n != len(idents) {
		t.Errorf("%d result lines, want %d:\n%s", n, len(idents), stdout)
	}
	x, err := junit(sortedResults(r))
	if err != nil {
		t.Fatal(err)
	}
	checkJUnit(t, x, len(idents))
}

// A panic in one job while the other worker is idle: what is left is split.
func TestBootLoopParallel(t *testing.T) {
	var idents []string
	for i := 0; i < 12; i++ {
		idents = append(idents, fmt.Sprintf("c%02d", i))
	}
	idents[1] = "panic1"
	r, items, _ := fakeRunner(t, idents, 2)
	if err := r.runAll(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	if len(r.results) != len(idents) {
		t.Fatalf("%d results, want %d", len(r.results), len(idents))
	}
	boots := map[int]bool{}
	for _, res := range r.results {
		boots[res.Boot] = true
	}
	if len(boots) < 3 {
		t.Errorf("results came from %d boots, want ≥ 3", len(boots))
	}
}

func TestKernelDidNotBoot(t *testing.T) {
	r, items, _ := fakeRunner(t, []string{"a", "b"}, 1)
	t.Setenv("FAKE_NO_BOOT", "1")
	err := r.runAll(context.Background(), items)
	if err == nil || !strings.Contains(err.Error(), "did not start init") || !strings.Contains(err.Error(), "console-boot-1.log") {
		t.Errorf("got %v", err)
	}
}

func sortedResults(r *runner) []caseResult {
	var rs []caseResult
	for _, res := range r.results {
		rs = append(rs, res)
	}
	sortResults(rs, r.order)
	return rs
}
