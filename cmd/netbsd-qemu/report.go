package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
)

// resultsFile is results.json.
type resultsFile struct {
	Kernel       string            `json:"kernel"`
	Started      string            `json:"started"`
	WallSeconds  float64           `json:"wall_seconds"`
	Jobs         int               `json:"jobs"`
	TimeoutScale float64           `json:"timeout_scale"`
	Vars         []bootproto.Var   `json:"vars,omitempty"`
	Totals       map[string]int    `json:"totals"`
	Boots        []bootSummary     `json:"boots"`
	Cases        []caseResult      `json:"cases"`
	Timing       map[string]string `json:"timing,omitempty"`
	// NotInNetBSDListing are selected cases of the host's (linux) listing that
	// the NetBSD build does not declare: not run.
	NotInNetBSDListing []string `json:"not_in_netbsd_listing,omitempty"`
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readResults(path string) (*resultsFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rf resultsFile
	if err := json.Unmarshal(b, &rf); err != nil {
		return nil, fmt.Errorf("%s: not a results.json: %v", path, err)
	}
	for _, c := range rf.Cases {
		if c.Program == "" || c.Ident == "" || !bootproto.ValidCategory(c.Category) {
			return nil, fmt.Errorf("%s: not a results.json: case %q:%q has category %q", path, c.Program, c.Ident, c.Category)
		}
	}
	return &rf, nil
}

// sortResults orders results by program, then ident.
func sortResults(rs []caseResult, order map[string]int) {
	sort.Slice(rs, func(i, j int) bool {
		oi, iok := order[rs[i].name()]
		oj, jok := order[rs[j].name()]
		if iok && jok && oi != oj {
			return oi < oj
		}
		if rs[i].Program != rs[j].Program {
			return rs[i].Program < rs[j].Program
		}
		return rs[i].Ident < rs[j].Ident
	})
}

// summary prints per program passed/failed/skipped/xfail/broken and the total.
func summary(w io.Writer, rs []caseResult) map[string]int {
	type counts map[string]int
	per := map[string]counts{}
	var progs []string
	total := counts{}
	for _, r := range rs {
		if per[r.Program] == nil {
			per[r.Program] = counts{}
			progs = append(progs, r.Program)
		}
		per[r.Program][r.Category]++
		total[r.Category]++
	}
	sort.Strings(progs)
	fmt.Fprintf(w, "%-12s %6s %7s %7s %8s %6s %7s\n", "program", "cases", "passed", "failed", "skipped", "xfail", "broken")
	row := func(name string, c counts) {
		n := 0
		for _, v := range c {
			n += v
		}
		fmt.Fprintf(w, "%-12s %6d %7d %7d %8d %6d %7d\n", name, n, c[atf.Passed], c[atf.Failed],
			c[atf.Skipped], c[atf.XFail], c[atf.Broken])
	}
	for _, p := range progs {
		row(p, per[p])
	}
	row("total", total)
	return total
}

// recapFailures repeats, after the table, every case that failed or
// broke with its whole reason and the tail of its stderr: the lines a log
// shows last are the ones a reader of a CI tail sees.
func recapFailures(w io.Writer, rs []caseResult) {
	for _, r := range rs {
		if r.Category != atf.Failed && r.Category != atf.Broken {
			continue
		}
		fmt.Fprintf(w, "%s %s:%s: %s\n", strings.ToUpper(r.Category), r.Program, r.Ident, r.Reason)
		tail := r.Stderr
		if len(tail) > recapLines {
			tail = tail[len(tail)-recapLines:]
		}
		for _, l := range tail {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
}

// recapLines bounds the stderr lines recapFailures repeats per case.
const recapLines = 20

// xmlSafe replaces what XML 1.0 cannot carry at all (control characters other
// than tab, LF, CR; invalid UTF-8) with visible escapes; encoding/xml escapes
// the rest.
func xmlSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xfffe, r == 0xffff:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func junit(rs []caseResult) ([]byte, error) {
	var out atf.JUnitSuites
	idx := map[string]int{}
	for _, r := range rs {
		k, ok := idx[r.Program]
		if !ok {
			k = len(out.Suites)
			idx[r.Program] = k
			out.Suites = append(out.Suites, atf.JUnitSuite{Name: r.Program})
		}
		s := &out.Suites[k]
		c := atf.JUnitCase{Classname: r.Program, Name: r.Ident, Time: fmt.Sprintf("%.3f", r.Seconds),
			SystemOut: xmlSafe(strings.Join(r.Stdout, "\n")), SystemErr: xmlSafe(strings.Join(r.Stderr, "\n"))}
		msg := &atf.JUnitMessage{Message: xmlSafe(r.Reason)}
		switch r.Category {
		case atf.Broken:
			c.Error = msg
			s.Errors++
		case atf.Failed:
			c.Failure = msg
			s.Failures++
		case atf.Skipped:
			c.Skipped = msg
			s.Skipped++
		case atf.XFail:
			c.SystemErr = xmlSafe(atf.XFailDetails + "\n-------------------------------\n\n" + r.Reason +
				"\n\n" + strings.Join(r.Stderr, "\n"))
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	for i := range out.Suites {
		t := 0.0
		for _, r := range rs {
			if r.Program == out.Suites[i].Name {
				t += r.Seconds
			}
		}
		out.Suites[i].Time = fmt.Sprintf("%.3f", t)
	}
	b, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
