package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"ptracesuite/internal/atf"
	"ptracesuite/internal/tracer"
)

// CaseResult is kyua's final verdict on one case.
type CaseResult struct {
	Name     string  `json:"name"`     // program:ident, as kyua names it
	Program  string  `json:"program"`  // the program's path relative to the Kyuafile
	Ident    string  `json:"ident"`    // the ATF ident
	Area     string  `json:"area"`     // see areaOf
	Result   string  `json:"result"`   // atf.Passed, Failed, Skipped, XFail or Broken
	Reason   string  `json:"reason"`   // empty for passed
	Duration float64 `json:"duration"` // seconds
	// Stdout is what the case printed (the Go test's log); kept for the
	// racy counts, not written to summary.json.
	Stdout string `json:"-"`
}

// Counts are the results of a set of cases.
type Counts struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	XFail   int `json:"xfail"`
	Broken  int `json:"broken"`
	Total   int `json:"total"`
}

func (c *Counts) add(result string) {
	c.Total++
	switch result {
	case atf.Passed:
		c.Passed++
	case atf.Failed:
		c.Failed++
	case atf.Skipped:
		c.Skipped++
	case atf.XFail:
		c.XFail++
	default:
		c.Broken++
	}
}

// AreaCounts are one area's results in one phase.
type AreaCounts struct {
	Area string `json:"area"`
	Counts
}

// areaOf names a program's area: the directory holding it
// (tests/fork/t_fork is "fork"), or the program itself when it sits next to
// the Kyuafile.
func areaOf(program string) string {
	if d := path.Dir(program); d != "." && d != "/" {
		return path.Base(d)
	}
	return path.Base(program)
}

// countByArea tallies results per area, areas in the order they first
// appear, and the total.
func countByArea(results []CaseResult) ([]AreaCounts, Counts) {
	var areas []AreaCounts
	index := map[string]int{}
	var total Counts
	for _, r := range results {
		i, ok := index[r.Area]
		if !ok {
			i = len(areas)
			index[r.Area] = i
			areas = append(areas, AreaCounts{Area: r.Area})
		}
		areas[i].add(r.Result)
		total.add(r.Result)
	}
	return areas, total
}

// nonPassOrder sorts the cases that did not pass: the ones that fail the
// qualification first.
var nonPassOrder = map[string]int{atf.Broken: 0, atf.Failed: 1, atf.XFail: 2, atf.Skipped: 3}

func nonPasses(results []CaseResult) []CaseResult {
	var out []CaseResult
	for _, r := range results {
		if r.Result != atf.Passed {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return nonPassOrder[out[i].Result] < nonPassOrder[out[j].Result] })
	return out
}

func failsQualification(result string) bool { return result == atf.Failed || result == atf.Broken }

// z95 is the standard normal quantile for a two-sided 95% interval.
const z95 = 1.959963984540054

// wilson is the Wilson score interval for k successes in n trials at the
// given z: the interval of rates p for which k/n is within z standard
// errors of p. Unlike the normal approximation it stays inside [0, 1] and
// is not empty at k = 0 (0 failures in 1000 runs still bounds the rate
// above by 0.38%).
func wilson(k, n int, z float64) (lo, hi float64) {
	if n <= 0 || k < 0 || k > n {
		return math.NaN(), math.NaN()
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / denom
	lo, hi = math.Max(0, center-half), math.Min(1, center+half)
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// Racy counts, as tests/lwp's repeatRacy prints them: a failing case's
// reason is "WHAT in F/N runs[; only N of K runs fit in the case's time
// budget of D] (first: MSG)", a passing case logs "WHAT in 0/N runs (D)[;
// only …]". N is the number of runs made, K the number asked for.
var (
	runsRe = regexp.MustCompile(`\bin (\d+)/(\d+) runs\b`)
	cutRe  = regexp.MustCompile(`only (\d+) of (\d+) runs fit`)
)

// RacyRate is the failure rate measured for one racy case.
type RacyRate struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
	// Found says how the case was found racy: "listing" (custom.racy in
	// kyua's listing, from the program's X-racy), "skip" (phase 1 skipped
	// it with "racy: set racy=true"), or both.
	Found    string `json:"found"`
	Measured bool   `json:"measured"`
	// Failures of Runs; Rate and the Wilson 95% interval only when Measured.
	Failures  int     `json:"failures"`
	Runs      int     `json:"runs"`
	Asked     int     `json:"asked"` // racy_repeat
	Rate      float64 `json:"rate"`
	Low       float64 `json:"ci95_low"`
	High      float64 `json:"ci95_high"`
	Truncated bool    `json:"truncated,omitempty"` // fewer runs than asked fitted in the case's budget
	Note      string  `json:"note,omitempty"`      // why it is not measured, or what it says
}

// measureRacy reads a racy case's counts from its reason (a failure) or its
// log (a pass). A case that prints no counts is not measured: it ran once
// whatever racy_repeat says, or it did not run to its end.
func measureRacy(r CaseResult, asked int) RacyRate {
	m := RacyRate{Name: r.Name, Result: r.Result, Reason: r.Reason, Asked: asked}
	src := ""
	switch r.Result {
	case atf.Failed:
		src = r.Reason
	case atf.Passed:
		// The last count the log has: repeatRacy logs it once, at the end.
		for _, l := range strings.Split(r.Stdout, "\n") {
			if runsRe.MatchString(l) {
				src = l
			}
		}
	}
	sm := runsRe.FindStringSubmatch(src)
	if sm == nil {
		switch r.Result {
		case atf.Passed, atf.Failed:
			m.Note = fmt.Sprintf("not measured: the case reports no run counts (it runs once whatever racy_repeat says); its one run %s", r.Result)
		default:
			m.Note = fmt.Sprintf("not measured: %s", r.Result)
		}
		return m
	}
	f, _ := strconv.Atoi(sm[1])
	n, _ := strconv.Atoi(sm[2])
	if n == 0 || f > n || (r.Result == atf.Passed) != (f == 0) {
		m.Note = fmt.Sprintf("not measured: counts %d/%d do not fit the result %s", f, n, r.Result)
		return m
	}
	m.Measured, m.Failures, m.Runs = true, f, n
	m.Rate = float64(f) / float64(n)
	m.Low, m.High = wilson(f, n, z95)
	if cm := cutRe.FindStringSubmatch(src); cm != nil {
		m.Truncated = true
		m.Note = fmt.Sprintf("only %s of %s runs fitted in the case's time budget", cm[1], cm[2])
	} else if n < asked {
		m.Truncated = true
		m.Note = fmt.Sprintf("%d of %d runs", n, asked)
	}
	return m
}

// flavourRe matches a case of the wait-flavour matrix: any case named
// <case>_wait_<flavour> for a wait flavour the tracer knows.
var flavourRe = regexp.MustCompile(`^(.+)_wait_(` + strings.Join(tracer.FlavourNames, "|") + `)$`)

// WaitFlavour is one case of the wait-flavour matrix.
type WaitFlavour struct {
	Name    string `json:"name"`
	Base    string `json:"base"` // the case collected with each flavour
	Flavour string `json:"flavour"`
	Result  string `json:"result"`
	Reason  string `json:"reason,omitempty"`
}

// waitFlavours are the matrix's cases, each base case's flavours in the
// tracer's order (NetBSD's).
func waitFlavours(results []CaseResult) []WaitFlavour {
	var out []WaitFlavour
	for _, r := range results {
		if m := flavourRe.FindStringSubmatch(r.Ident); m != nil {
			out = append(out, WaitFlavour{Name: r.Name, Base: m[1], Flavour: m[2], Result: r.Result, Reason: r.Reason})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if pa, pb := strings.Split(a.Name, ":")[0], strings.Split(b.Name, ":")[0]; pa != pb || a.Base != b.Base {
			return pa+":"+a.Base < pb+":"+b.Base
		}
		return slices.Index(tracer.FlavourNames, a.Flavour) < slices.Index(tracer.FlavourNames, b.Flavour)
	})
	return out
}

// countByFlavour tallies the matrix's results per wait flavour (the one
// its program's name ends in), in the tracer's order.
func countByFlavour(results []CaseResult) []AreaCounts {
	by := map[string]*Counts{}
	for _, r := range results {
		f := tracer.ProgramFlavour(r.Program)
		if by[f] == nil {
			by[f] = &Counts{}
		}
		by[f].add(r.Result)
	}
	var out []AreaCounts
	for _, f := range append(slices.Clone(tracer.FlavourNames), "") {
		if c := by[f]; c != nil {
			name := f
			if name == "" {
				name = "(no flavour in the program's name)"
			}
			out = append(out, AreaCounts{Area: name, Counts: *c})
		}
	}
	return out
}

// Host is the kernel and machine the qualification ran on.
type Host struct {
	Uname       string `json:"uname"`                  // uname -srvm
	ProcVersion string `json:"proc_version,omitempty"` // Linux /proc/version
	OSRevision  string `json:"kern_osrevision,omitempty"`
	CPU         string `json:"cpu"`
	CPUs        int    `json:"cpus"`
}

// Phase is one kyua run of the qualification.
type Phase struct {
	Name     string       `json:"name"`
	What     string       `json:"what"`
	Vars     []string     `json:"vars"` // kyua -v arguments
	Cases    int          `json:"cases"`
	Seconds  float64      `json:"seconds"`
	Results  string       `json:"results_file,omitempty"`
	JUnit    string       `json:"junit,omitempty"`
	HTML     string       `json:"html,omitempty"`
	Areas    []AreaCounts `json:"areas"`
	Totals   Counts       `json:"totals"`
	NonPass  []CaseResult `json:"non_passes"`
	Note     string       `json:"note,omitempty"`
	Leftover []string     `json:"tmpdir_leftovers,omitempty"`
	results  []CaseResult
}

// Failing is a case that makes the qualification fail.
type Failing struct {
	Phase  string `json:"phase"`
	Name   string `json:"name"`
	Result string `json:"result"`
	Reason string `json:"reason"`
}

// Summary is summary.json; summary.md says the same.
type Summary struct {
	Verdict      string        `json:"verdict"` // "passed" or "failed"
	Failing      []Failing     `json:"failing"`
	Started      time.Time     `json:"started"`
	Host         Host          `json:"host"`
	Suite        string        `json:"suite_version"`
	Kyua         string        `json:"kyua_version"`
	User         string        `json:"user"`
	Kyuafile     string        `json:"kyuafile"`
	Filters      []string      `json:"filters,omitempty"`
	Repeat       int           `json:"racy_repeat"`
	Phases       []*Phase      `json:"phases"`
	WaitNote     string        `json:"wait_flavours_note"`
	WaitMatrix   []AreaCounts  `json:"wait_matrix"` // per flavour ("area" is the flavour)
	WaitFlavours []WaitFlavour `json:"wait_flavours"`
	RacyNote     string        `json:"racy_note"`
	Racy         []RacyRate    `json:"racy"`
	Seconds      float64       `json:"total_seconds"`
	Interrupted  bool          `json:"interrupted,omitempty"`
}

// finish fills the phase's counts and the verdict.
func (s *Summary) finish() {
	s.Failing = nil
	for _, p := range s.Phases {
		p.Areas, p.Totals = countByArea(p.results)
		p.NonPass = nonPasses(p.results)
		for _, r := range p.NonPass {
			if failsQualification(r.Result) {
				s.Failing = append(s.Failing, Failing{Phase: p.Name, Name: r.Name, Result: r.Result, Reason: r.Reason})
			}
		}
	}
	s.Verdict = "passed"
	if len(s.Failing) > 0 || s.Interrupted {
		s.Verdict = "failed"
	}
}

func (s *Summary) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

func secs(f float64) string {
	d := time.Duration(f * float64(time.Second))
	if d < time.Minute {
		return fmt.Sprintf("%.1f s", f)
	}
	return fmt.Sprintf("%.0f s (%s)", f, d.Round(time.Second))
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'g', 3, 64) + "%" }

// cell makes a reason safe in a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

func (s *Summary) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# ptrace suite release qualification\n\n")
	if s.Verdict == "passed" {
		p("**Verdict: passed** — no case failed or broke (expected failures and skips are fine).\n\n")
	} else {
		p("**Verdict: FAILED** — %s failed or broke", plural(len(s.Failing), "case"))
		if s.Interrupted {
			p("; the run was interrupted")
		}
		p(":\n\n")
		for _, f := range s.Failing {
			p("- `%s` (%s): **%s**: %s\n", f.Name, f.Phase, f.Result, cell(f.Reason))
		}
		p("\n")
	}
	p("| | |\n|---|---|\n")
	p("| kernel | `%s` |\n", cell(s.Host.Uname))
	if s.Host.ProcVersion != "" {
		p("| /proc/version | `%s` |\n", cell(s.Host.ProcVersion))
	}
	if s.Host.OSRevision != "" {
		p("| kern.osrevision | %s |\n", s.Host.OSRevision)
	}
	p("| CPU | %s (%d CPUs) |\n", cell(s.Host.CPU), s.Host.CPUs)
	p("| suite version | `%s` |\n", cell(s.Suite))
	p("| kyua | %s |\n", cell(s.Kyua))
	p("| user | %s |\n", cell(s.User))
	p("| Kyuafile | `%s`%s |\n", s.Kyuafile, filterText(s.Filters))
	p("| started | %s |\n", s.Started.UTC().Format(time.RFC3339))
	var times []string
	for _, ph := range s.Phases {
		times = append(times, ph.Name+" "+secs(ph.Seconds))
	}
	p("| wall time | %s; total %s |\n\n", strings.Join(times, ", "), secs(s.Seconds))

	p("## Phases\n\n| phase | what | config | cases | wall time |\n|---|---|---|---|---|\n")
	ran := map[string]*Phase{}
	for _, ph := range s.Phases {
		ran[ph.Name] = ph
	}
	row := func(num int, ph *Phase) {
		vars := "default (`--config=none`)"
		if len(ph.Vars) > 0 {
			vars = "`" + strings.Join(ph.Vars, "` `") + "`"
		}
		p("| %d %s | %s | %s | %d | %s |\n", num, ph.Name, cell(ph.What), vars, ph.Cases, secs(ph.Seconds))
	}
	if ph := ran["tree"]; ph != nil {
		row(1, ph)
	}
	if ph := ran["matrix"]; ph != nil {
		row(2, ph)
	} else {
		p("| 2 matrix | %s | — | 0 | — |\n", cell(s.WaitNote))
	}
	if ph := ran["racy"]; ph != nil {
		row(3, ph)
	} else {
		p("| 3 racy | %s | — | 0 | — |\n", cell(s.RacyNote))
	}
	p("\n")

	for _, ph := range s.Phases {
		if ph.Cases == 0 {
			continue
		}
		p("## Results per area: %s\n\n| area | passed | failed | skipped | xfail | broken | total |\n|---|---|---|---|---|---|---|\n", ph.Name)
		for _, a := range append(ph.Areas, AreaCounts{Area: "**all**", Counts: ph.Totals}) {
			p("| %s | %d | %d | %d | %d | %d | %d |\n", a.Area, a.Passed, a.Failed, a.Skipped, a.XFail, a.Broken, a.Total)
		}
		p("\nkyua results file `%s`, JUnit `%s`, HTML `%s`.", ph.Results, ph.JUnit, ph.HTML)
		if len(ph.Leftover) > 0 {
			p(" Left behind in kyua's TMPDIR (removed): %s.", strings.Join(ph.Leftover, ", "))
		}
		p("\n\n")
	}

	p("## Racy cases: measured failure rates\n\n%s\n\n", s.RacyNote)
	if len(s.Racy) > 0 {
		p("| case | found by | result | failed runs | rate | 95%% CI (Wilson) | note |\n|---|---|---|---|---|---|---|\n")
		for _, r := range s.Racy {
			if r.Measured {
				p("| `%s` | %s | %s | %d/%d | %s | %s – %s | %s |\n", r.Name, r.Found, r.Result, r.Failures, r.Runs, pct(r.Rate), pct(r.Low), pct(r.High), cell(r.Note))
			} else {
				p("| `%s` | %s | %s | — | — | — | %s |\n", r.Name, r.Found, r.Result, cell(r.Note))
			}
		}
		p("\n")
	}

	p("## Wait flavours\n\n%s\n\n", s.WaitNote)
	if len(s.WaitMatrix) > 0 {
		p("| flavour | passed | failed | skipped | xfail | broken | total |\n|---|---|---|---|---|---|---|\n")
		for _, f := range s.WaitMatrix {
			p("| %s | %d | %d | %d | %d | %d | %d |\n", f.Area, f.Passed, f.Failed, f.Skipped, f.XFail, f.Broken, f.Total)
		}
		p("\n")
	}
	if len(s.WaitFlavours) > 0 {
		p("| case of the tree | flavour | result | reason |\n|---|---|---|---|\n")
		for _, f := range s.WaitFlavours {
			p("| `%s` | %s | %s | %s |\n", f.Name, f.Flavour, f.Result, cell(f.Reason))
		}
		p("\n")
	}

	for _, ph := range s.Phases {
		if len(ph.NonPass) == 0 {
			continue
		}
		p("## Not passed: %s (%d)\n\n| result | case | reason |\n|---|---|---|\n", ph.Name, len(ph.NonPass))
		for _, r := range ph.NonPass {
			p("| %s | `%s` | %s |\n", r.Result, r.Name, cell(r.Reason))
		}
		p("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func filterText(filters []string) string {
	if len(filters) == 0 {
		return ""
	}
	return ", filters `" + strings.Join(filters, "` `") + "`"
}

// racyFound merges the two ways a case is found racy into the Found words.
func racyFound(listed, skipped bool) string {
	var how []string
	if listed {
		how = append(how, "listing")
	}
	if skipped {
		how = append(how, "skip reason")
	}
	return strings.Join(how, ", ")
}

// racySkipPrefix starts the skip reason of a racy case run without
// racy=true (atfshim: Meta.Racy and T.RacyHere).
const racySkipPrefix = "racy: set racy=true"

// racyCases are the racy cases, in listing order: declared racy in the
// listing (custom.racy) or skipped by phase 1 as racy.
func racyCases(listed []listedCase, tree []CaseResult) (names []string, found map[string]string) {
	skipped := map[string]bool{}
	for _, r := range tree {
		if r.Result == atf.Skipped && strings.HasPrefix(r.Reason, racySkipPrefix) {
			skipped[r.Name] = true
		}
	}
	found = map[string]string{}
	for _, c := range listed {
		_, isRacy := c.Props["custom.racy"]
		if isRacy || skipped[c.Name] {
			names = append(names, c.Name)
			found[c.Name] = racyFound(isRacy, skipped[c.Name])
		}
	}
	// A racy skip of a case the listing did not have cannot happen (kyua
	// runs what it lists), but would still be a racy case.
	for _, r := range tree {
		if skipped[r.Name] && found[r.Name] == "" {
			names = append(names, r.Name)
			found[r.Name] = racyFound(false, true)
		}
	}
	return slices.Clip(names), found
}
