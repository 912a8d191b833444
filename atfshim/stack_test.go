package atfshim

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// dump is a goroutine dump in the runtime's format, with the variants it
// prints: gp=/m= fields (GOTRACEBACK=system), durations, locked threads,
// inlined frames without +0x, elided frames, -trimpath file names.
const dump = `goroutine 7 [running]:
ptracesuite/atfshim.(*T).overdue(0xc000100000)
	/src/atfshim/watchdog.go:120 +0x45
created by time.goFunc
	/usr/local/go/src/time/sleep.go:215 +0x2d

goroutine 21 gp=0xc000007c00 m=nil [chan receive, 2 minutes, locked to thread]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
	/usr/local/go/src/runtime/proc.go:435 +0xce
runtime.chanrecv1(0xc0000a0000?, 0x0?)
	/usr/local/go/src/runtime/chan.go:506 +0x12
ptracesuite/internal/tracer.(*Tracer).do(0xc000010000, 0xc000012000)
	/src/internal/tracer/tracer.go:137 +0x95
ptracesuite/internal/tracer.(*Tracer).Wait(...)
	/src/internal/tracer/wait.go:40
ptracesuite/tests/fork.TestFork.func1(0xc000100000)
	/src/tests/fork/fork_test.go:123 +0x6b
ptracesuite/atfshim.(*T).runBody(0xc000100000, 0x5b0880)
	/src/atfshim/t.go:105 +0xb6
created by ptracesuite/atfshim.run in goroutine 20
	/src/atfshim/t.go:96 +0x3e8

goroutine 22 [sync.WaitGroup.Wait]:
sync.runtime_SemacquireWaitGroup(0xc0000a4000?, 0x0?)
	/usr/local/go/src/runtime/sema.go:114 +0x2e
sync.(*WaitGroup).Wait(0xc0000a4000)
	/usr/local/go/src/sync/waitgroup.go:206 +0x85
ptracesuite/tests/fork_test.helper[...](0xc0000a4000)
	ptracesuite/tests/fork/helper_test.go:9 +0x1f
...additional frames elided...
created by ptracesuite/tests/fork.TestFork.func1 in goroutine 21
	/src/tests/fork/fork_test.go:120 +0x3e

goroutine 23 [runnable]:
ptracesuite/tests/fork.spin.func2()
	/src/tests/fork/spin_test.go:5 +0x9
created by ptracesuite/tests/fork.TestFork.func1.2 in goroutine 22
	/src/tests/fork/fork_test.go:121 +0x3e

goroutine 24 [select (no cases)]:
main.worker()
	/other/main.go:3 +0x9
created by main.main in goroutine 1
	/other/main.go:9 +0x3e

goroutine 25 [sleep]:
time.Sleep(0x3b9aca00)
	/usr/local/go/src/runtime/time.go:363 +0x165
golang.org/x/sys/unix.Nanosleep(...)
	/go/pkg/mod/golang.org/x/sys@v0.50.0/unix/zsyscall.go:10
`

var testCode = codeBase{module: "ptracesuite", shim: "ptracesuite/atfshim"}

func TestParseGoroutines(t *testing.T) {
	gs := parseGoroutines(dump)
	var got []string
	for _, g := range gs {
		var fns []string
		for _, f := range g.frames {
			fns = append(fns, fmt.Sprintf("%s@%s:%d", f.fn, f.file, f.line))
		}
		got = append(got, fmt.Sprintf("%d [%s] by %d: %s", g.id, g.state, g.creator, strings.Join(fns, " ")))
	}
	want := []string{
		"7 [running] by 0: ptracesuite/atfshim.(*T).overdue@/src/atfshim/watchdog.go:120",
		"21 [chan receive] by 20: runtime.gopark@/usr/local/go/src/runtime/proc.go:435 runtime.chanrecv1@/usr/local/go/src/runtime/chan.go:506 " +
			"ptracesuite/internal/tracer.(*Tracer).do@/src/internal/tracer/tracer.go:137 ptracesuite/internal/tracer.(*Tracer).Wait@/src/internal/tracer/wait.go:40 " +
			"ptracesuite/tests/fork.TestFork.func1@/src/tests/fork/fork_test.go:123 ptracesuite/atfshim.(*T).runBody@/src/atfshim/t.go:105",
		"22 [sync.WaitGroup.Wait] by 21: sync.runtime_SemacquireWaitGroup@/usr/local/go/src/runtime/sema.go:114 sync.(*WaitGroup).Wait@/usr/local/go/src/sync/waitgroup.go:206 " +
			"ptracesuite/tests/fork_test.helper[...]@ptracesuite/tests/fork/helper_test.go:9",
		"23 [runnable] by 22: ptracesuite/tests/fork.spin.func2@/src/tests/fork/spin_test.go:5",
		"24 [select (no cases)] by 1: main.worker@/other/main.go:3",
		"25 [sleep] by 0: time.Sleep@/usr/local/go/src/runtime/time.go:363 golang.org/x/sys/unix.Nanosleep@/go/pkg/mod/golang.org/x/sys@v0.50.0/unix/zsyscall.go:10",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parsed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWhere(t *testing.T) {
	gs := parseGoroutines(dump)
	for _, tt := range []struct {
		id      int64
		testPkg string
		want    string
	}{
		// Stuck in the tracer: its line, and the case's line that called it.
		{21, "ptracesuite/tests/fork", "blocked in chan receive at internal/tracer/tracer.go:137 (called from tests/fork/fork_test.go:123)"},
		// Below the std library's frames; -trimpath names; an external test package.
		{22, "ptracesuite/tests/fork_test", "blocked in sync.WaitGroup.Wait at tests/fork/helper_test.go:9"},
		{23, "ptracesuite/tests/fork", "runnable at tests/fork/spin_test.go:5"},
		// No frame in the suite: the first outside runtime, testing, atfshim.
		{24, "ptracesuite/tests/fork", "blocked in select (no cases) at /other/main.go:3"},
		{25, "ptracesuite/tests/fork", "blocked in sleep at /usr/local/go/src/runtime/time.go:363"},
		{7, "ptracesuite/tests/fork", "running at /src/atfshim/watchdog.go:120"},
	} {
		if got := testCode.where(findGoroutine(gs, tt.id), tt.testPkg); got != tt.want {
			t.Errorf("goroutine %d: %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestFamily(t *testing.T) {
	gs := parseGoroutines(dump)
	ids := func(s string) (out []string) {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "goroutine ") {
				out = append(out, strings.Fields(l)[1])
			}
		}
		return out
	}
	if got := fmt.Sprint(ids(family(gs, 21))); got != "[21 22 23]" {
		t.Errorf("family(21) = %s, want [21 22 23]", got)
	}
	if got := len(ids(family(gs, 99))); got != len(gs) {
		t.Errorf("family of a goroutine not in the dump has %d goroutines, want the whole dump (%d)", got, len(gs))
	}
}

func TestPkgOf(t *testing.T) {
	for fn, want := range map[string]string{
		"ptracesuite/atfshim.(*T).run.func1":          "ptracesuite/atfshim",
		"ptracesuite/tests/fork.TestFork":             "ptracesuite/tests/fork",
		"sync.(*WaitGroup).Wait":                      "sync",
		"golang.org/x/sys/unix.Syscall":               "golang.org/x/sys/unix",
		"main.main":                                   "main",
		"ptracesuite/internal/expect.Run[...].func2":  "ptracesuite/internal/expect",
		"ptracesuite/atfshim_test.TestX":              "ptracesuite/atfshim_test",
		"gopkg.in/yaml%2ev3.(*parser).parse":          "gopkg.in/yaml%2ev3",
		"ptracesuite/internal/tracer.(*Tracer).do-fm": "ptracesuite/internal/tracer",
	} {
		if got := pkgOf(fn); got != want {
			t.Errorf("pkgOf(%q) = %q, want %q", fn, got, want)
		}
	}
}

// The real runtime's dump of a goroutine blocked on a channel here names
// this line (atfshim's own frames count as the suite's for the test).
func TestWhereLive(t *testing.T) {
	ready, block := make(chan int64), make(chan struct{})
	_, file, line, _ := runtime.Caller(0)
	go func() {
		ready <- goroutineID()
		<-block // line+3
	}()
	id := <-ready
	defer close(block)
	if id == 0 || id == goroutineID() {
		t.Fatalf("goroutineID() = %d here and %d there", goroutineID(), id)
	}
	cb := codeBase{module: testCode.module, shim: "ptracesuite/none"}
	want := fmt.Sprintf("blocked in chan receive at atfshim/%s:%d", file[strings.LastIndex(file, "/")+1:], line+3)
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		g := findGoroutine(allGoroutines(), id)
		if g == nil {
			t.Fatalf("goroutine %d not in the dump", id)
		}
		if got = cb.where(g, "ptracesuite/atfshim"); got == want {
			return
		}
	}
	t.Errorf("where = %q, want %q", got, want)
}

// What an abandoned body reports once its Go test is over goes to stderr:
// testing would panic on it and crash the program. Its FailNow and
// SkipNow end its goroutine.
func TestAbandonedBodyAfterItsGoTest(t *testing.T) {
	var late *T
	t.Run("case", func(tt *testing.T) {
		late = &T{T: tt, c: &tcase{ident: "case"}, watchdog: time.AfterFunc(time.Hour, func() {})}
		late.abandoned.Store(true)
		tt.Cleanup(late.record)
	})
	if !late.detached {
		t.Fatal("the recorder of an abandoned case did not detach it")
	}
	var buf bytes.Buffer
	lateMu.Lock()
	lateOut = &buf
	lateMu.Unlock()
	defer func() {
		lateMu.Lock()
		lateOut = os.Stderr
		lateMu.Unlock()
	}()
	late.Logf("log %d", 1)
	late.Errorf("error\nsecond line")
	late.Log("plain")
	var wg sync.WaitGroup
	for _, end := range []func(){
		func() { late.Fatalf("fatal") },
		func() { late.FailNow() },
		func() { late.Skip("skip") },
		func() { late.SkipNow() },
	} {
		wg.Go(func() {
			end()
			t.Error("FailNow/SkipNow returned")
		})
	}
	wg.Wait()
	prefix := "atfshim: " + t.Name() + "/case: after the Go test ended (its body was abandoned at the timeout): "
	for _, msg := range []string{"log 1", "error\n    second line", "plain", "fatal", "skip"} {
		if !strings.Contains(buf.String(), prefix+msg+"\n") {
			t.Errorf("stderr lacks %q:\n%s", prefix+msg, buf.String())
		}
	}
}
