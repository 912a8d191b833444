// Package semantics is the registry behind docs/SEMANTICS.md, the page of
// cross-kernel ptrace(2) semantics: wherever an expectation that differs
// per kernel is written down as data, the code next to that data adds rows
// that state the NetBSD rule and the Linux rule in the kernel's words,
// built from that very data (Add). Each test program prints the rows it
// links in when asked (DumpIfRequested in its TestMain) without running a
// case; cmd/semantics collects them into the page.
//
// The package knows nothing of kernels or ptrace: it only holds, checks
// and prints rows, so every package with such data can import it.
package semantics

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Row is one line of docs/SEMANTICS.md: one case or family of cases, and
// what each kernel promises for it.
type Row struct {
	// Cases are the ATF cases (idents, ranges like fork1..fork16, or
	// globs like clone_vm*) whose expectation the row states.
	Cases string `json:"cases"`
	// Topic says what the row is about, in a few words.
	Topic string `json:"topic"`
	// NetBSD and Linux are each kernel's rule, in its words.
	NetBSD string `json:"netbsd"`
	Linux  string `json:"linux"`
	// Data names the identifiers (maps, rules, tables) the row is built
	// from.
	Data string `json:"data"`
	// File is the source file that added the row, next to the data: set
	// by Add from its caller.
	File string `json:"file"`
}

// Both is a row whose two rules one function states, given the kernel's
// runtime.GOOS name ("netbsd", "linux"): the form of a row built from a map
// keyed by runtime.GOOS.
func Both(cases, topic, data string, rule func(goos string) string) Row {
	return Row{Cases: cases, Topic: topic, NetBSD: rule("netbsd"), Linux: rule("linux"), Data: data}
}

// Key identifies a row: no two rows of one file may share it.
func (r Row) Key() string { return r.File + "\x00" + r.Cases + "\x00" + r.Topic }

type source struct {
	file string
	rows func() []Row
}

var reg struct {
	mu      sync.Mutex
	sources []source
}

// Add registers rows, a function that builds them from the data next to the
// call; the file of the call becomes each row's File. The function runs only
// when the rows are asked for (Rows), never in a case. Add returns true so
// that it can initialize a package-level blank variable:
//
//	var _ = semantics.Add(func() []semantics.Row { ... })
func Add(rows func() []Row) bool {
	_, file, _, ok := runtime.Caller(1)
	if !ok {
		file = "(unknown file)"
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.sources = append(reg.sources, source{file, rows})
	return true
}

// Rows builds every registered row, sorted by file, cases and topic. It
// fails naming every row with an empty field and every key used twice.
func Rows() ([]Row, error) {
	reg.mu.Lock()
	srcs := slices.Clone(reg.sources)
	reg.mu.Unlock()
	var rows []Row
	for _, s := range srcs {
		for _, r := range s.rows() {
			r.File = s.file
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Cases, b.Cases), cmp.Compare(a.Topic, b.Topic))
	})
	return rows, Check(rows)
}

// Check reports every row with an empty field and every key used twice.
func Check(rows []Row) error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range rows {
		for _, f := range []struct{ name, v string }{
			{"cases", r.Cases}, {"topic", r.Topic}, {"netbsd", r.NetBSD}, {"linux", r.Linux}, {"data", r.Data}, {"file", r.File},
		} {
			if strings.TrimSpace(f.v) == "" {
				errs = append(errs, fmt.Errorf("%s: row %q / %q has no %s", r.File, r.Cases, r.Topic, f.name))
			}
		}
		if seen[r.Key()] {
			errs = append(errs, fmt.Errorf("%s: two rows for %q / %q", r.File, r.Cases, r.Topic))
		}
		seen[r.Key()] = true
	}
	return errors.Join(errs...)
}

// EnvDump is the environment variable that makes DumpIfRequested print the
// rows; its one value is "json".
const EnvDump = "PTRACESUITE_SEMANTICS"

// DumpIfRequested, first in a test program's TestMain after the tracee
// bootstrap, prints the program's rows as a JSON array on stdout and exits
// 0 when EnvDump is "json"; it exits 1 with one line on stderr when a row
// is invalid, and 2 for any other value of EnvDump. Without EnvDump it
// returns at once and the program runs as it would have.
func DumpIfRequested() {
	v, ok := os.LookupEnv(EnvDump)
	if !ok {
		return
	}
	os.Exit(dump(v))
}

func dump(v string) int {
	if v != "json" {
		fmt.Fprintf(os.Stderr, "%s=%q: want json\n", EnvDump, v)
		return 2
	}
	rows, err := Rows()
	if err != nil {
		fmt.Fprintf(os.Stderr, "semantics rows: %s\n", strings.ReplaceAll(err.Error(), "\n", "; "))
		return 1
	}
	b, err := json.MarshalIndent(rows, "", "\t")
	if err == nil {
		_, err = os.Stdout.Write(append(b, '\n'))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "semantics rows: %v\n", err)
		return 1
	}
	return 0
}
