//go:build atfshim_example

package example

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"ptracesuite/atfshim"
)

func TestMain(m *testing.M) { atfshim.Main(m) }

// Every case checks it before its body: answer=0 fails them all.
var _ = atfshim.DeclareVar("answer", atfshim.IntRange(1, 100))

var _ = atfshim.Declare(TestPass, atfshim.Meta{Descr: "passes", Timeout: 5 * time.Second})

func TestPass(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if got := t.Ident(); got != "pass" {
			t.Errorf("Ident() = %q, want pass", got)
		}
		t.Logf("ident %s", t.Ident()) // @logf
	})
}

var _ = atfshim.Declare(TestRootOnly, atfshim.Meta{Descr: "requires root", RequireUser: "root"})

func TestRootOnly(t *testing.T) { atfshim.Run(t, func(*atfshim.T) {}) }

var _ = atfshim.Declare(TestFailMultiline, atfshim.Meta{Descr: "fails with a two-line message"})

func TestFailMultiline(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		t.Errorf("first line\nsecond line") // @errorf
		t.Errorf("later failure")
	})
}

var _ = atfshim.Declare(TestSkip, atfshim.Meta{})

func TestSkip(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) { t.Skip("not", "today") })
}

var _ = atfshim.Declare(TestPanic, atfshim.Meta{Descr: "panics"})

func TestPanic(t *testing.T) {
	atfshim.Run(t, func(*atfshim.T) { panic("boom") }) // @panic
}

var _ = atfshim.Declare(TestKnownBug, atfshim.Meta{ExpectFail: "PR kern/12345: demo"})

func TestKnownBug(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) { t.Fatalf("tracee lost") })
}

var _ = atfshim.Declare(TestKnownBugNonFatal, atfshim.Meta{})

func TestKnownBugNonFatal(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		t.ExpectFail("PR kern/2: nonfatal")
		t.Error("first")
		t.Error("second")
	})
}

var _ = atfshim.Declare(TestKnownBugFixed, atfshim.Meta{ExpectFail: "PR kern/3: fixed"})

func TestKnownBugFixed(t *testing.T) { atfshim.Run(t, func(*atfshim.T) {}) } // @fixed

var _ = atfshim.Declare(TestRacy, atfshim.Meta{Racy: "PR kern/4 wakeup race"})

func TestRacy(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) { // @racy
		if !atfshim.Racy() {
			t.Error("running although racy is off")
		}
	})
}

// The body leaves a state file in the work directory; the cleanup, a
// separate process under kyua, needs it there.
var _ = atfshim.Declare(TestCleanup, atfshim.Meta{
	Descr:      "cleanup finds the body's state file",
	HasCleanup: true,
	Cleanup: func() error {
		if _, err := os.Stat("state"); err != nil {
			return errors.New("state file missing:\nnot in the work directory")
		}
		return os.Remove("state")
	},
})

func TestCleanup(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if err := os.WriteFile("state", []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
}

func init() {
	for _, r := range table {
		atfshim.DeclareSub(TestTable, r.name, atfshim.Meta{Descr: "row " + r.name})
	}
}

var table = []struct {
	name string
	fail bool
}{{"row_pass", false}, {"row_fail", true}}

func TestTable(t *testing.T) {
	for _, r := range table {
		atfshim.RunSub(t, r.name, func(t *atfshim.T) {
			if r.fail {
				t.Fatal("row failed")
			}
		})
	}
}

var _ = atfshim.Declare(TestTimeout, atfshim.Meta{Descr: "unblocked by its OnTimeout hooks", Timeout: time.Second})

func TestTimeout(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) { // @timeout
		var order []int
		done := make(chan struct{})
		t.OnTimeout(func() { order = append(order, 1) })
		t.OnTimeout(func() { order = append(order, 2); close(done) })
		<-done
		if len(order) != 2 || order[0] != 1 {
			t.Errorf("hooks ran in order %v", order)
		}
	})
}

var _ = atfshim.Declare(TestHang, atfshim.Meta{Timeout: time.Second})

func TestHang(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if !t.ConfigBool("hang", true) {
			t.Skip("hang=false")
		}
		time.Sleep(time.Hour) // @hang
	})
}

var _ = atfshim.Declare(TestStuck, atfshim.Meta{Descr: "blocked until its Go test ends; its OnTimeout hook does not help", Timeout: time.Second})

// TestStuck is left behind at its timeout under go test, which then ends
// the Go test, and t.Context with it, before the cleanups: the body wakes
// up and reports while its cleanup waits for it.
func TestStuck(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) { // @stuckrun
		t.OnTimeout(func() { t.Log("OnTimeout hook ran") }) // @hook
		woke := make(chan struct{})
		t.Cleanup(func() {
			select {
			case <-woke:
			case <-time.After(5 * time.Second):
			}
		})
		defer close(woke)
		<-t.Context().Done()                       // @stuck
		t.Errorf("woke up when its Go test ended") // @woke
		t.Fatal("then FailNow")
	})
}

var _ = atfshim.Declare(TestCleanupHang, atfshim.Meta{Descr: "its body returns, a cleanup of its own does not", Timeout: time.Second})

// TestCleanupHang cannot end: testing runs the cleanup on the test
// goroutine. Under go test the program reports it and exits.
func TestCleanupHang(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		hang := t.ConfigBool("hang", true)
		t.Cleanup(func() {
			if hang {
				select {} // @cleanuphang
			}
		})
	})
}

var _ = atfshim.Declare(TestGoexit, atfshim.Meta{})

func TestGoexit(t *testing.T) {
	atfshim.Run(t, func(*atfshim.T) { runtime.Goexit() })
}

var _ = atfshim.Declare(TestConfig, atfshim.Meta{})

func TestConfig(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		if got := t.ConfigInt("answer", 0); got != 42 {
			t.Errorf("answer = %d, want 42", got)
		}
		if v, ok := t.Config("greeting"); ok && v != "a b=c" {
			t.Errorf("greeting = %q, want %q", v, "a b=c")
		}
	})
}

var _ = atfshim.Declare(TestTB, atfshim.Meta{Descr: "fails through testing.TB"})

func TestTB(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		t.SetFailureContext("[seed 7]") // ends failures raised in helpers too
		failVia(t)                      // @via
	})
}

func failVia(tb testing.TB) {
	tb.Helper()
	tb.Errorf("via TB")
	tb.Fatal("second")
}

var _ = atfshim.Declare(TestCleanupPanic, atfshim.Meta{})

func TestCleanupPanic(t *testing.T) {
	atfshim.Run(t, func(t *atfshim.T) {
		var tb testing.TB = t
		tb.Cleanup(func() { panic("cleanup boom") }) // @cleanuppanic
	})
}

var _ = atfshim.Declare(TestNeverRuns, atfshim.Meta{Descr: "forgets atfshim.Run"})

func TestNeverRuns(t *testing.T) {}
