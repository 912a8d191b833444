//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
)

// tailBytes bounds the output of one stream that a case's result carries to
// the host (kept from the end, cut at a line start).
const tailBytes = 8 << 10

// listingTimeout is kyua's fixed limit for PROG -l.
const listingTimeout = 300 * time.Second

// reapWait bounds how long init waits for the processes of a finished case to
// disappear after SIGKILL.
const reapWait = 10 * time.Second

// The values kyua's require.arch and require.machine are compared with on
// NetBSD/amd64 (kyua's architecture and platform settings there).
const (
	kyuaArchitecture = "x86_64"
	kyuaPlatform     = "amd64"
)

// Runner runs the cases of a plan as kyua runs ATF test cases.
type Runner struct {
	plan *bootproto.Plan
	root string // the control directory, like kyua's /tmp/kyua.XXXXXX
	n    int    // cases started, numbering their directories
	emit func(bootproto.Frame)
	vars map[string]string
	// IsInit: the runner is pid 1, so every process but itself belongs to the
	// case that just ran; after each case it kills them all and reaps them
	// (orphans are reparented to init, and a case may start processes in
	// sessions of their own, out of reach of its process group).
	IsInit bool
	stuck  map[int]bool // processes that survived SIGKILL, already reported

	// What reapLeftovers uses as init; tests replace them.
	reapWait time.Duration
	procDir  string
	killAll  func()
	say      func(string)
}

// NewRunner makes the control directory under tmp.
func NewRunner(plan *bootproto.Plan, tmp string, emit func(bootproto.Frame)) (*Runner, error) {
	root, err := os.MkdirTemp(tmp, "kyua.")
	if err != nil {
		return nil, err
	}
	r := &Runner{plan: plan, root: root, emit: emit, vars: map[string]string{},
		reapWait: reapWait, procDir: "/proc", say: writeLine,
		killAll: func() { syscall.Kill(-1, syscall.SIGKILL) }}
	for _, v := range plan.Vars {
		r.vars[v.Name] = v.Value
	}
	return r, nil
}

// RunPlan runs every program's cases in plan order.
func (r *Runner) RunPlan() {
	for _, p := range r.plan.Programs {
		r.runProgram(p)
	}
}

func (r *Runner) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * r.plan.TimeoutScale)
}

// varArgs are the -vNAME=VALUE arguments, attached and sorted, as kyua passes them.
func (r *Runner) varArgs() []string {
	var a []string
	for _, v := range r.plan.Vars {
		a = append(a, "-v"+v.Name+"="+v.Value)
	}
	return a
}

func (r *Runner) runProgram(p bootproto.Program) {
	cases, err := r.list(p)
	if err != nil {
		r.emit(bootproto.Frame{Kind: bootproto.KindListing, Program: p.Name, Listing: "failed", Reason: err.Error()})
		for _, id := range p.Cases {
			name := bootproto.CaseName(p.Name, id)
			r.emit(bootproto.Frame{Kind: bootproto.KindStart, Case: name, Timeout: 0})
			r.emit(bootproto.Frame{Kind: bootproto.KindResult, Case: name, Category: atf.Broken,
				Reason: "test program listing failed: " + err.Error()})
		}
		return
	}
	byIdent := map[string]atf.Case{}
	var idents []string
	for _, c := range cases {
		byIdent[c.Ident] = c
		idents = append(idents, c.Ident)
	}
	onlyGuest, onlyHost := diff(idents, p.Expected)
	if len(onlyGuest) == 0 && len(onlyHost) == 0 {
		r.emit(bootproto.Frame{Kind: bootproto.KindListing, Program: p.Name, Listing: "ok", Count: len(cases)})
	} else {
		r.emit(bootproto.Frame{Kind: bootproto.KindListing, Program: p.Name, Listing: "differs", Count: len(cases),
			OnlyGuest: onlyGuest, OnlyHost: onlyHost})
	}
	// The NetBSD listing counts: a planned case it lacks is not run (the
	// listing frame tells the host), and a case only it has runs when the
	// plan asks for such cases.
	run := []string{}
	planned := map[string]bool{}
	for _, id := range p.Cases {
		planned[id] = true
		if _, ok := byIdent[id]; ok {
			run = append(run, id)
		}
	}
	for _, id := range onlyGuest {
		if !planned[id] && bootproto.MatchAny(p.Unlisted, id) {
			run = append(run, id)
		}
	}
	for _, id := range run {
		r.runCase(p, byIdent[id])
	}
}

// diff returns the idents only in a and only in b, sorted.
func diff(a, b []string) (onlyA, onlyB []string) {
	in := func(s []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	for x := range ma {
		if !mb[x] {
			onlyA = append(onlyA, x)
		}
	}
	for x := range mb {
		if !ma[x] {
			onlyB = append(onlyB, x)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	return onlyA, onlyB
}

// list runs PROG -vK=V... -l as kyua does and parses the listing; like kyua it
// rejects a listing that wrote to stderr or did not exit 0.
func (r *Runner) list(p bootproto.Program) ([]atf.Case, error) {
	dir := filepath.Join(r.root, "list."+p.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(p.Path, append(r.varArgs(), "-l")...)
	cmd.Dir = dir
	cmd.Env = r.env(dir)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	term, err := r.runGroup(cmd, r.scaled(listingTimeout))
	if err != nil {
		return nil, err
	}
	switch {
	case term.TimedOut:
		return nil, errors.New("Test case list timed out")
	case term.Signaled:
		return nil, fmt.Errorf("Test program received signal %d", term.Signal)
	case term.Code != 0:
		return nil, fmt.Errorf("Test program did not exit cleanly (exit %d): %s", term.Code, firstLine(stderr.String()))
	case stderr.Len() > 0:
		return nil, fmt.Errorf("Test case list wrote to stderr: %s", firstLine(stderr.String()))
	}
	return atf.ParseListing(stdout.String())
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// env is the environment of a listing, body or cleanup run in work: init's
// own environment (kyua passes its own on) without the locale, with HOME and
// TMPDIR the work directory, TZ=UTC and the marker atf-c looks for. PATH is
// set because init starts without one.
func (r *Runner) env(work string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "LANG" || strings.HasPrefix(k, "LC_"),
			k == "HOME", k == "TMPDIR", k == "TZ", k == "PATH", k == "__RUNNING_INSIDE_ATF_RUN":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PATH=/bin:/sbin", "HOME="+work, "TMPDIR="+work, "TZ=UTC",
		"__RUNNING_INSIDE_ATF_RUN=internal-yes-value")
}

// runCase runs one case: requirements, body, cleanup, final result, then the
// output tail for a result that is not good.
func (r *Runner) runCase(p bootproto.Program, c atf.Case) {
	name := bootproto.CaseName(p.Name, c.Ident)
	timeout := r.scaled(c.Timeout)
	start := bootproto.Frame{Kind: bootproto.KindStart, Case: name, Timeout: timeout}
	if c.HasCleanup {
		start.Cleanup = r.scaled(bootproto.CleanupTimeout * time.Second)
	}
	r.emit(start)
	began := time.Now()
	res, dir := r.execute(p, c, timeout)
	elapsed := time.Since(began)
	if res.Category != atf.Passed && res.Category != atf.Skipped && dir != "" {
		for _, stream := range []string{"stdout", "stderr"} {
			for _, l := range tailLines(filepath.Join(dir, stream), tailBytes) {
				r.emit(bootproto.Frame{Kind: bootproto.KindOut, Case: name, Stream: stream, Text: l})
			}
		}
	}
	r.emit(bootproto.Frame{Kind: bootproto.KindResult, Case: name, Category: res.Category,
		Elapsed: elapsed, Reason: res.Reason})
}

// execute returns the final result and the case's control directory (empty
// when nothing ran).
func (r *Runner) execute(p bootproto.Program, c atf.Case, timeout time.Duration) (atf.Result, string) {
	if why := r.unmetRequirement(c); why != "" {
		return atf.Result{Category: atf.Skipped, Reason: why}, ""
	}
	r.n++
	dir := filepath.Join(r.root, strconv.Itoa(r.n))
	work := filepath.Join(dir, "work")
	resultFile := filepath.Join(dir, "result.atf")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return atf.Result{Category: atf.Broken, Reason: "runner: " + err.Error()}, ""
	}
	stdout, err1 := os.OpenFile(filepath.Join(dir, "stdout"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	stderr, err2 := os.OpenFile(filepath.Join(dir, "stderr"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err := errors.Join(err1, err2); err != nil {
		return atf.Result{Category: atf.Broken, Reason: "runner: " + err.Error()}, ""
	}
	defer stdout.Close()
	defer stderr.Close()

	run := func(args []string, limit time.Duration) (atf.Termination, error) {
		cmd := exec.Command(p.Path, args...)
		cmd.Dir = work
		cmd.Env = r.env(work)
		cmd.Stdin = nil // os/exec opens /dev/null
		cmd.Stdout, cmd.Stderr = stdout, stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		return r.runGroup(cmd, limit)
	}

	args := append(r.varArgs(), "-r"+resultFile, c.Ident)
	term, err := run(args, timeout)
	if err != nil {
		return atf.Result{Category: atf.Broken, Reason: "runner: " + err.Error()}, dir
	}
	var raw *atf.RawResult
	if b, err := os.ReadFile(resultFile); err == nil {
		rr := atf.ParseResultFile(string(b))
		raw = &rr
	}
	res := atf.Apply(raw, term)
	if c.HasCleanup {
		cterm, err := run(append(r.varArgs(), c.Ident+":cleanup"), r.scaled(bootproto.CleanupTimeout*time.Second))
		if err != nil {
			return atf.Result{Category: atf.Broken, Reason: "runner: " + err.Error()}, dir
		}
		res = atf.ApplyCleanup(res, cterm)
	}
	return res, dir
}

// unmetRequirement checks require.* in kyua's order (config, arch, machine,
// user, files, progs; memory is not checked) and returns kyua's skip reason.
func (r *Runner) unmetRequirement(c atf.Case) string {
	for _, v := range c.RequireConfig {
		if v == "unprivileged-user" || v == "unprivileged_user" {
			if _, ok := r.vars["unprivileged-user"]; !ok {
				return "Required configuration property 'unprivileged-user' not defined"
			}
			continue
		}
		if _, ok := r.vars[v]; !ok {
			return fmt.Sprintf("Required configuration property '%s' not defined", v)
		}
	}
	if a, ok := c.Props["require.arch"]; ok && !contains(strings.Fields(a), kyuaArchitecture) {
		return fmt.Sprintf("Current architecture '%s' not supported", kyuaArchitecture)
	}
	if m, ok := c.Props["require.machine"]; ok && !contains(strings.Fields(m), kyuaPlatform) {
		return fmt.Sprintf("Current platform '%s' not supported", kyuaPlatform)
	}
	switch c.RequireUser {
	case "root":
		if os.Geteuid() != 0 {
			return "Requires root privileges"
		}
	case "unprivileged":
		if os.Geteuid() == 0 {
			// init runs as root and has no unprivileged_user to switch to.
			return "Requires an unprivileged user but the unprivileged-user configuration variable is not defined"
		}
	}
	for _, f := range c.RequireFiles {
		if _, err := os.Stat(f); err != nil {
			return fmt.Sprintf("Required file '%s' not found", f)
		}
	}
	for _, prog := range c.RequireProgs {
		if filepath.IsAbs(prog) {
			if _, err := os.Stat(prog); err != nil {
				return fmt.Sprintf("Required program '%s' not found", prog)
			}
			continue
		}
		found := false
		for _, d := range []string{"/bin", "/sbin"} {
			if _, err := os.Stat(filepath.Join(d, prog)); err == nil {
				found = true
			}
		}
		if !found {
			return fmt.Sprintf("Required program '%s' not found in PATH", prog)
		}
	}
	return ""
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// runGroup starts cmd (a session and process group of its own), SIGKILLs the
// whole group when limit passes, waits for it, and then kills and reaps
// whatever the run left behind, as kyua kills a case's process group.
func (r *Runner) runGroup(cmd *exec.Cmd, limit time.Duration) (atf.Termination, error) {
	if err := cmd.Start(); err != nil {
		return atf.Termination{}, err
	}
	pgid := cmd.Process.Pid
	var timedOut atomic.Bool
	timer := time.AfterFunc(limit, func() {
		timedOut.Store(true)
		syscall.Kill(-pgid, syscall.SIGKILL)
	})
	err := cmd.Wait()
	timer.Stop()
	syscall.Kill(-pgid, syscall.SIGKILL)
	r.reapLeftovers(pgid)

	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return atf.Termination{}, err
	}
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok {
		return atf.Termination{}, errors.New("no wait status")
	}
	t := atf.Termination{TimedOut: timedOut.Load()}
	switch {
	case ws.Signaled():
		t.Signaled, t.Signal, t.Core = true, int(ws.Signal()), ws.CoreDump()
	default:
		t.Code = ws.ExitStatus()
	}
	return t, nil
}

// reapLeftovers: as init, SIGKILL every other process (kill(-1) spares the
// caller and pid 1) and reap until none is left; otherwise wait until the
// case's process group is gone.
//
// A process that survives SIGKILL for reapWait (a kernel that cannot end a
// traced process, say) is named on the console once and ignored from then
// on, so that it does not cost every later case the same wait.
func (r *Runner) reapLeftovers(pgid int) {
	deadline := time.Now().Add(r.reapWait)
	if !r.IsInit {
		for time.Now().Before(deadline) {
			if err := syscall.Kill(-pgid, 0); err != nil {
				return
			}
			syscall.Kill(-pgid, syscall.SIGKILL)
			time.Sleep(10 * time.Millisecond)
		}
		return
	}
	for {
		r.killAll()
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.ECHILD {
			return
		}
		if err == nil && pid > 0 {
			continue // reaped one; look again at once
		}
		alive, known := r.otherProcesses()
		if known && len(alive) == 0 {
			return // only survivors already named are left
		}
		if !time.Now().Before(deadline) {
			if r.stuck == nil {
				r.stuck = map[int]bool{}
			}
			for _, p := range alive {
				r.stuck[p] = true
			}
			r.say(fmt.Sprintf("guestinit: processes still alive %s after SIGKILL (ignored from now on): %v", r.reapWait, alive))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// otherProcesses lists, from /proc, the processes other than init and those
// already known to be stuck; known is false when /proc cannot be read.
func (r *Runner) otherProcesses() (pids []int, known bool) {
	ents, err := os.ReadDir(r.procDir)
	if err != nil {
		return nil, false
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 1 || pid == os.Getpid() || r.stuck[pid] {
			continue
		}
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	return pids, true
}

// tailLines returns at most max bytes from the end of a file, as lines,
// starting at a line boundary when the file was cut.
func tailLines(path string, max int64) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return nil
	}
	off := int64(0)
	if fi.Size() > max {
		off = fi.Size() - max
	}
	b, err := io.ReadAll(io.NewSectionReader(f, off, fi.Size()-off))
	if err != nil {
		return nil
	}
	s := string(b)
	if off > 0 {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
		s = fmt.Sprintf("[... %d bytes cut ...]\n", off) + s
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
