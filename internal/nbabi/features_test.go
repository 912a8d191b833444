package nbabi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"
)

func TestOSRevisionString(t *testing.T) {
	for rev, want := range map[uint32]string{
		899002500: "8.99.25", 999007700: "9.99.77", 900000000: "9.0", 1000000000: "10.0",
		902000000: "9.2", 1000000100: "10.0_PATCH1",
	} {
		if got := OSRevisionString(rev); got != want {
			t.Errorf("OSRevisionString(%d) = %q, want %q", rev, got, want)
		}
	}
}

// A feature is missing strictly below its revision, and the reason names
// the feature, both revisions and where the revision comes from.
func TestFeatureMissing(t *testing.T) {
	f := Feature{Name: "PT_STOP (request 23)", Since: 899004200, Source: "sys/sys/ptrace.h 1.70"}
	if why := f.Missing(899004200); why != "" {
		t.Errorf("Missing(Since) = %q, want none", why)
	}
	if why := f.Missing(1000000000); why != "" {
		t.Errorf("Missing(10.0) = %q, want none", why)
	}
	want := "PT_STOP (request 23): this kernel, NetBSD 8.99.25 (kern.osrevision 899002500), predates 8.99.42 " +
		"(899004200), the first revision known to have it (sys/sys/ptrace.h 1.70)"
	if got := f.Missing(899002500); got != want {
		t.Errorf("Missing(8.99.25) =\n %q\nwant\n %q", got, want)
	}
}

// Every request a newer revision gave its number is gated, and none that
// every known revision shares is.
func TestRequestGates(t *testing.T) {
	for _, r := range RequestHistory {
		if RequestMissing(r.Req, 0) == "" {
			t.Errorf("request %d (%s, once %q) is sent to any kernel", r.Req, r.Now, r.Then)
		}
		if why := RequestMissing(r.Req, 1000000000); why != "" {
			t.Errorf("request %d is withheld from NetBSD 10: %s", r.Req, why)
		}
	}
	for req := PT_TRACE_ME; req <= PT_GET_SIGINFO; req++ {
		if why := RequestMissing(req, 800000000); why != "" {
			t.Errorf("request %d (%s) withheld from NetBSD 8.0: %s", req, RequestName(req), why)
		}
	}
	for _, f := range []Feature{FeatureResumeSuspend21, FeatureStop, FeatureLwpStatus, FeatureSigPass,
		FeatureSpawnEvent, FeatureSyscallSiginfo, FeatureForkeeReport, FeatureCrashStopKeepsMask, FixSetSiginfoLwp, FixKillAtEventStop, FixVforkDoneStop, FixLwpEventStops, FixVforkChildCrash, FixBlockedSigcont, FixKillAfterLwpResume, FixKillArmedWatchpoint, FixSyscallEmuLwps, FixExitWithStoppedLwps, FixSignalSiginfoAfterSyscallStop, FeatureXState, FixContinueSignalDelivered, FixSigkillAtLwpSignalStop, FixKillAtExecStop, FixKillStoppedAfterRefusedAttach, FixPassedExitSignal} {
		if f.Name == "" || f.Source == "" || f.Before == "" || f.Since < 800000000 || strings.Contains(f.Missing(0), "\n") {
			t.Errorf("feature row incomplete: %+v", f)
		}
	}
}

// TestTableListsEveryFeature: every package-level Feature this package
// declares is in Table under its own identifier, once.
func TestTableListsEveryFeature(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for i, v := range vs.Values {
						cl, ok := v.(*ast.CompositeLit)
						if !ok {
							continue
						}
						if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "Feature" {
							declared[vs.Names[i].Name] = true
						}
						if vs.Names[i].Name == "Table" {
							// Each entry is {"X", X}: the name is the value's.
							for _, el := range cl.Elts {
								kv := el.(*ast.CompositeLit).Elts
								if lit, id := kv[0].(*ast.BasicLit), kv[1].(*ast.Ident); lit.Value != strconv.Quote(id.Name) {
									t.Errorf("Table entry {%s, %s}: the identifier is not the value's", lit.Value, id.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	listed := map[string]bool{}
	for _, e := range Table {
		if listed[e.Ident] {
			t.Errorf("Table lists %s twice", e.Ident)
		}
		listed[e.Ident] = true
		if !declared[e.Ident] {
			t.Errorf("Table lists %s, which is not a Feature declared in the package", e.Ident)
		}
	}
	for name := range declared {
		if !listed[name] {
			t.Errorf("%s is not in Table (docs/SEMANTICS.md would leave it out)", name)
		}
	}
	if len(declared) == 0 {
		t.Fatal("no Feature declaration found")
	}
}
