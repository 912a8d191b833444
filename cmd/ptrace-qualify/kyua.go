package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"ptracesuite/internal/atf"
)

// kyuaRunner runs the real kyua: always --config=none (a system or user
// kyua.conf does not change the qualification), an explicit --logfile and
// --results-file in the output directory, TMPDIR a directory of the output
// directory (kyua makes its work directories there; what is left is
// reported and removed, so nothing lands in /tmp), and HOME writable.
type kyuaRunner struct {
	kyua string // path of kyua
	out  string // output directory (absolute)
	tmp  string // kyua's TMPDIR
	env  []string
}

func newKyuaRunner(kyua, out string) (*kyuaRunner, error) {
	env := os.Environ()
	if home := os.Getenv("HOME"); home == "" || !writableDir(home) {
		// kyua writes under $HOME/.kyua (its default log, its default
		// results store); an unprivileged user such as nobody often has
		// no writable home. The cases get their own HOME from kyua.
		h := filepath.Join(out, "home")
		if err := os.MkdirAll(h, 0o755); err != nil {
			return nil, err
		}
		env = setEnv(env, "HOME", h)
	}
	tmp := filepath.Join(out, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	return &kyuaRunner{kyua: kyua, out: out, tmp: tmp, env: setEnv(env, "TMPDIR", tmp)}, nil
}

// close removes kyua's TMPDIR.
func (k *kyuaRunner) close() { os.RemoveAll(k.tmp) }

// leftovers names what is left in kyua's TMPDIR and empties it.
func (k *kyuaRunner) leftovers() []string {
	ents, _ := os.ReadDir(k.tmp)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
		os.RemoveAll(filepath.Join(k.tmp, e.Name()))
	}
	return names
}

// writableDir reports whether dir is a directory this process can create a
// file in.
func writableDir(dir string) bool {
	f, err := os.CreateTemp(dir, ".ptrace-qualify-probe-")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

func setEnv(env []string, name, value string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}

// command is `kyua --config=none --logfile=LOG [-v VAR...] SUB ARGS...`.
func (k *kyuaRunner) command(ctx context.Context, log string, vars []string, sub string, args ...string) *exec.Cmd {
	argv := []string{"--config=none", "--logfile=" + filepath.Join(k.out, log)}
	for _, v := range vars {
		argv = append(argv, "-v", v)
	}
	argv = append(argv, sub)
	argv = append(argv, args...)
	cmd := exec.CommandContext(ctx, k.kyua, argv...)
	cmd.Env = k.env
	// On an interrupt kyua gets SIGINT, as from a terminal: it stops the
	// running case and saves what ran.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 60 * time.Second
	return cmd
}

// kyuaError is kyua's own message for a failed command: its "kyua: E:"
// line, or its last line of stderr.
func kyuaError(sub string, err error, stderr []byte) error {
	msg := ""
	for _, l := range strings.Split(strings.TrimSpace(string(stderr)), "\n") {
		if strings.HasPrefix(l, "kyua: E: ") {
			msg = strings.TrimPrefix(l, "kyua: E: ")
			break
		}
		if l != "" {
			msg = l
		}
	}
	if msg == "" {
		return fmt.Errorf("kyua %s: %v", sub, err)
	}
	return fmt.Errorf("kyua %s: %s", sub, msg)
}

// listedCase is one case of `kyua list --verbose`.
type listedCase struct {
	Name    string // program:ident
	Program string
	Ident   string
	Suite   string
	Props   map[string]string
}

// parseKyuaList parses `kyua list --verbose`: a line "PROGRAM:IDENT (SUITE)"
// per case, then its metadata as "    NAME = VALUE" lines.
func parseKyuaList(out string) ([]listedCase, error) {
	var cases []listedCase
	for _, l := range strings.Split(out, "\n") {
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, " ") {
			if len(cases) == 0 {
				return nil, fmt.Errorf("kyua list: metadata before the first case: %q", l)
			}
			name, value, _ := strings.Cut(strings.TrimSpace(l), " = ")
			cases[len(cases)-1].Props[name] = value
			continue
		}
		name, suite := l, ""
		if i := strings.LastIndex(l, " ("); i >= 0 && strings.HasSuffix(l, ")") {
			name, suite = l[:i], l[i+2:len(l)-1]
		}
		prog, ident, ok := strings.Cut(name, ":")
		if !ok {
			return nil, fmt.Errorf("kyua list: not a case line: %q", l)
		}
		cases = append(cases, listedCase{Name: name, Program: prog, Ident: ident, Suite: suite, Props: map[string]string{}})
	}
	return cases, nil
}

// list runs kyua list on the Kyuafile with the filters.
func (k *kyuaRunner) list(ctx context.Context, kyuafile string, filters []string) ([]listedCase, error) {
	var stdout, stderr bytes.Buffer
	cmd := k.command(ctx, "kyua.list.log", nil, "list", append([]string{"--verbose", "--kyuafile=" + kyuafile}, filters...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		// A filter that matches nothing is a warning and exit status 1.
		for _, l := range strings.Split(stderr.String(), "\n") {
			if w, ok := strings.CutPrefix(l, "kyua: W: "); ok {
				return nil, fmt.Errorf("kyua list: %s", strings.TrimSuffix(w, "."))
			}
		}
		return nil, kyuaError("list", err, stderr.Bytes())
	}
	cases, err := parseKyuaList(stdout.String())
	if err == nil && len(cases) == 0 {
		err = fmt.Errorf("kyua list: %s has no test case", kyuafile)
	}
	return cases, err
}

// version is the first line of `kyua about`.
func (k *kyuaRunner) version(ctx context.Context) string {
	out, err := k.command(ctx, "kyua.list.log", nil, "about").Output()
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return first
}

// resultLine is a line of kyua test's output for a case that ended.
var resultLine = regexp.MustCompile(`^(\S+):(\S+)  ->  (\w+)`)

// test runs one phase's kyua test, following its output for the progress
// line, then exports the results file as JUnit and HTML and reads them
// back. Cases listed but without a result are broken.
func (k *kyuaRunner) test(ctx context.Context, ph *Phase, kyuafile string, filters []string, cases []listedCase, prog *progress) error {
	db := ph.Name + ".db"
	ph.Results, ph.JUnit, ph.HTML = db, ph.Name+".junit.xml", filepath.Join("html", ph.Name)
	logName := "kyua." + ph.Name + ".log"
	if err := os.MkdirAll(filepath.Join(k.out, "html"), 0o755); err != nil {
		return err
	}

	cmd := k.command(ctx, logName, ph.Vars, "test", append([]string{"--kyuafile=" + kyuafile, "--results-file=" + filepath.Join(k.out, db)}, filters...)...)
	transcript, err := os.Create(filepath.Join(k.out, ph.Name+".out"))
	if err != nil {
		return err
	}
	defer transcript.Close()
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	var stderr bytes.Buffer
	cmd.Stderr = io.MultiWriter(&stderr, transcript)
	prog.start(ph, len(cases))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("kyua test: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
		for sc.Scan() {
			l := sc.Text()
			fmt.Fprintln(transcript, l)
			if m := resultLine.FindStringSubmatch(l); m != nil {
				prog.caseDone(m[1], m[3], l)
			}
		}
		io.Copy(io.Discard, pr)
	}()
	runErr := cmd.Wait()
	pw.Close()
	wg.Wait()
	prog.end()
	ph.Leftover = k.leftovers()

	// kyua test exits 1 when a case failed or broke; anything else with
	// no results file is kyua failing to run.
	var exit *exec.ExitError
	if runErr != nil && !(errors.As(runErr, &exit) && exit.ExitCode() == 1) {
		if _, err := os.Stat(filepath.Join(k.out, db)); err != nil {
			return kyuaError("test", runErr, stderr.Bytes())
		}
		ph.Note = kyuaError("test", runErr, stderr.Bytes()).Error()
	}

	// The reports run even when interrupted: they read what was saved.
	rctx := context.WithoutCancel(ctx)
	var rerr bytes.Buffer
	junit := k.command(rctx, logName, nil, "report-junit", "--results-file="+filepath.Join(k.out, db), "--output="+filepath.Join(k.out, ph.JUnit))
	junit.Stderr = &rerr
	if err := junit.Run(); err != nil {
		return kyuaError("report-junit", err, rerr.Bytes())
	}
	rerr.Reset()
	html := k.command(rctx, logName, nil, "report-html", "--force", "--results-file="+filepath.Join(k.out, db), "--output="+filepath.Join(k.out, ph.HTML))
	html.Stderr = &rerr // its stdout names every file it writes
	if err := html.Run(); err != nil {
		return kyuaError("report-html", err, rerr.Bytes())
	}
	data, err := os.ReadFile(filepath.Join(k.out, ph.JUnit))
	if err != nil {
		return err
	}
	classOf := map[string]string{}
	for _, c := range cases {
		classOf[c.Program] = junitClass(c.Program)
	}
	results, err := parseJUnit(data, classOf)
	if err != nil {
		return err
	}
	ph.results = complete(cases, results, ph.Note)
	ph.Cases = len(ph.results)
	return nil
}

// complete returns the results in listing order, a listed case without a
// result as broken, and any result kyua had that was not listed at the end.
func complete(cases []listedCase, results []CaseResult, why string) []CaseResult {
	byName := map[string]CaseResult{}
	for _, r := range results {
		byName[r.Name] = r
	}
	if why == "" {
		why = "kyua saved no result for it"
	}
	out := make([]CaseResult, 0, len(cases))
	for _, c := range cases {
		r, ok := byName[c.Name]
		if !ok {
			r = CaseResult{Name: c.Name, Program: c.Program, Ident: c.Ident, Area: areaOf(c.Program), Result: atf.Broken, Reason: "no result: " + why}
		}
		delete(byName, c.Name)
		out = append(out, r)
	}
	for _, r := range results {
		if _, left := byName[r.Name]; left {
			out = append(out, r)
		}
	}
	return out
}

// progress is the terminal's view of a running phase: on a terminal one
// status line redrawn every second, otherwise a line when the program
// changes and every 15 s. A case that fails or breaks is printed in full
// as it ends.
type progress struct {
	w     io.Writer
	tty   bool
	begin time.Time // the qualification's start

	mu      sync.Mutex
	ph      *Phase
	num     string // "1/3"
	total   int
	done    int
	program string
	started time.Time
	printed time.Time
	stop    chan struct{}
	stopped chan struct{}
}

func (p *progress) start(ph *Phase, total int) {
	p.mu.Lock()
	p.ph, p.total, p.done, p.program, p.started = ph, total, 0, "", time.Now()
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	p.mu.Unlock()
	every := 15 * time.Second
	if p.tty {
		every = time.Second
	}
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.mu.Lock()
				p.status(false)
				p.mu.Unlock()
			}
		}
	}()
	p.mu.Lock()
	p.status(true)
	p.mu.Unlock()
}

func (p *progress) caseDone(program, result, line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	changed := program != p.program
	p.program = program
	if result == "failed" || result == "broken" {
		p.clear()
		fmt.Fprintf(p.w, "  %s\n", line)
		changed = true
	}
	p.status(changed || p.tty)
}

func (p *progress) end() {
	close(p.stop)
	<-p.stopped
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fmt.Fprintf(p.w, "[%s] done: %d/%d cases in %s; total %s\n", p.ph.Name, p.done, p.total,
		time.Since(p.started).Round(time.Second), time.Since(p.begin).Round(time.Second))
}

func (p *progress) line() string {
	where := "starting"
	if p.program != "" {
		where = "in " + p.program + " (area " + areaOf(p.program) + ")"
	}
	now := time.Now()
	return fmt.Sprintf("[%s] %d/%d cases done, %s; phase %s, total %s", p.ph.Name, p.done, p.total, where,
		now.Sub(p.started).Round(time.Second), now.Sub(p.begin).Round(time.Second))
}

// status prints the status line: redrawn in place on a terminal; elsewhere
// only when forced or 15 s after the last.
func (p *progress) status(force bool) {
	if p.ph == nil {
		return
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", p.line())
		return
	}
	if force || time.Since(p.printed) >= 15*time.Second {
		fmt.Fprintln(p.w, p.line())
		p.printed = time.Now()
	}
}

func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func (p *progress) say(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}
