// Command netbsd-qemu runs the suite's ATF programs on a NetBSD/amd64 kernel
// under qemu, with nothing else in userland, and reports per case as kyua
// would. See docs/NETBSD-QEMU.md.
//
//	go run ./cmd/netbsd-qemu -kernel /path/to/netbsd.gz
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
	"ptracesuite/internal/tracer"
)

// Exit statuses.
const (
	exitOK      = 0 // every case passed, skipped or failed as expected
	exitFailed  = 1 // a case failed or broke (compare mode: the runs differ)
	exitUsage   = 2 // bad input: one line on stderr
	exitRunErr  = 3 // could not run: missing tool, build failure, kernel did not boot
	exitSignal  = 130
	programName = "netbsd-qemu"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) && ue.msg == "-h" {
			return exitUsage
		}
		fmt.Fprintf(stderr, "%s: %v\n", programName, err)
		return exitUsage
	}
	if cfg.compareA != "" {
		return compare(cfg, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := boot(ctx, cfg, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", programName, err)
	}
	return code
}

// boot is the main mode: build, boot, report.
func boot(ctx context.Context, cfg *config, stdout, stderr io.Writer) (int, error) {
	started := time.Now()
	// Bad input first, before anything slow: the kernel, then -o.
	if err := precheckKernel(cfg.kernel); err != nil {
		return exitUsage, err
	}
	if cfg.outDir != "" {
		if err := checkWritableDir(cfg.outDir); err != nil {
			return exitUsage, usagef("-o %s: %v", cfg.outDir, err)
		}
	}
	work, err := os.MkdirTemp("", "netbsd-qemu.")
	if err != nil {
		return exitRunErr, err
	}
	if cfg.keep {
		fmt.Fprintf(stderr, "%s: keeping the build directory %s\n", programName, work)
	} else {
		defer os.RemoveAll(work)
	}
	kernel, err := prepareKernel(cfg.kernel, work)
	if err != nil {
		return exitUsage, err
	}
	if err := checkTools(); err != nil {
		return exitRunErr, err
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return exitRunErr, err
	}
	if cfg.outDir == "" {
		cfg.outDir = filepath.Join(root, ".out", "netbsd-qemu", started.Format("20060102-150405"))
		if err := checkWritableDir(cfg.outDir); err != nil {
			return exitRunErr, fmt.Errorf("output directory %s: %v", cfg.outDir, err)
		}
	}
	if err := checkMknod(work); err != nil {
		return exitRunErr, err
	}
	names, err := areas(root)
	if err != nil {
		return exitRunErr, err
	}

	fmt.Fprintf(stderr, "%s: building guestinit and %d programs for netbsd/amd64 (and linux, for their listings)\n", programName, len(names))
	t0 := time.Now()
	guestinit, progs, err := buildAll(ctx, root, work, names, max(cfg.jobs, 2))
	if err != nil {
		return exitRunErr, err
	}
	buildTime := time.Since(t0)
	if cfg.matrix {
		progs = matrixPrograms(progs)
	}

	r := &runner{cfg: cfg, work: work, kernel: kernel, guestinit: guestinit, progs: map[string]*program{},
		expected: map[string][]string{}, order: map[string]int{}, stdout: stdout, stderr: stderr,
		unlisted: unlistedGlobs(progs, cfg.filters)}
	var all []item
	for _, p := range progs {
		r.progs[p.name] = p
		for _, c := range p.cases {
			r.expected[p.name] = append(r.expected[p.name], c.Ident)
			name := bootproto.CaseName(p.name, c.Ident)
			r.order[name] = len(all)
			all = append(all, item{prog: p.name, ident: c.Ident, order: len(all), est: defaultEstimate})
		}
	}
	items, err := selectCases(all, cfg.filters)
	if err != nil {
		return exitUsage, err
	}
	if cfg.history != "" {
		if err := applyHistory(items, cfg.history); err != nil {
			return exitUsage, usagef("-history: %v", err)
		}
	}
	fmt.Fprintf(stderr, "%s: built in %.1fs; %d cases on %d qemu instance(s); output in %s\n",
		programName, buildTime.Seconds(), len(items), min(cfg.jobs, len(items)), cfg.outDir)

	runErr := r.runAll(ctx, items)

	// Report what there is, also after an error or an interrupt.
	var rs []caseResult
	for _, res := range r.results {
		rs = append(rs, res)
	}
	sortResults(rs, r.order)
	sort.Slice(r.boots, func(i, j int) bool { return r.boots[i].Boot < r.boots[j].Boot })
	fmt.Fprintln(stdout)
	totals := summary(stdout, rs)
	recapFailures(stdout, rs)
	wall := time.Since(started)
	timing := timingSummary(r.boots, buildTime)
	fmt.Fprintf(stdout, "wall time %s; %s\n", wall.Round(100*time.Millisecond), timing["summary"])
	rf := resultsFile{Kernel: cfg.kernel, Started: started.Format(time.RFC3339), WallSeconds: wall.Seconds(),
		Jobs: cfg.jobs, TimeoutScale: cfg.timeoutScale, Vars: cfg.vars, Totals: totals, Boots: r.boots, Cases: rs, Timing: timing,
		NotInNetBSDListing: r.absent}
	if rs == nil {
		rf.Cases = []caseResult{}
	}
	if err := writeJSON(filepath.Join(cfg.outDir, "results.json"), rf); err != nil {
		return exitRunErr, err
	}
	x, err := junit(rs)
	if err != nil {
		return exitRunErr, err
	}
	if err := os.WriteFile(filepath.Join(cfg.outDir, "junit.xml"), x, 0o644); err != nil {
		return exitRunErr, err
	}
	fmt.Fprintf(stdout, "results: %s, %s\n", filepath.Join(cfg.outDir, "results.json"), filepath.Join(cfg.outDir, "junit.xml"))

	switch {
	case ctx.Err() != nil && runErr != nil && errors.Is(runErr, context.Canceled):
		return exitSignal, errors.New("interrupted; qemu stopped, partial results written")
	case runErr != nil:
		return exitRunErr, runErr
	}
	if cfg.wantFailed != nil {
		return wantFailedStatus(stdout, rs, cfg.wantFailed), nil
	}
	if totals[atf.Failed] > 0 || totals[atf.Broken] > 0 {
		return exitFailed, nil
	}
	return exitOK, nil
}

// wantFailedStatus is -want-failed: the run proves a kernel has exactly a
// known set of bugs when every case the list names failed and no other
// case failed or broke.
func wantFailedStatus(w io.Writer, rs []caseResult, want []caseFilter) int {
	bad := 0
	for _, r := range rs {
		listed := false
		for _, f := range want {
			if f.match(r.Program, r.Ident) {
				listed = true
			}
		}
		switch {
		case listed && r.Category != atf.Failed:
			fmt.Fprintf(w, "WANT-FAILED %s:%s is %s, want failed\n", r.Program, r.Ident, r.Category)
			bad++
		case !listed && (r.Category == atf.Failed || r.Category == atf.Broken):
			fmt.Fprintf(w, "WANT-FAILED %s:%s is %s and not listed\n", r.Program, r.Ident, r.Category)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(w, "%d case(s) break the -want-failed list\n", bad)
		return exitFailed
	}
	fmt.Fprintln(w, "every listed case failed, and no other case failed or broke")
	return exitOK
}

// selectCases keeps the cases that match a filter (all when there is none);
// a filter that matches no case is an error, as in kyua.
func selectCases(all []item, filters []caseFilter) ([]item, error) {
	if len(filters) == 0 {
		return all, nil
	}
	var out []item
	hit := make([]bool, len(filters))
	for _, it := range all {
		matched := false
		for k, f := range filters {
			if f.match(it.prog, it.ident) {
				hit[k], matched = true, true
			}
		}
		if matched {
			out = append(out, it)
		}
	}
	for k, f := range filters {
		if !hit[k] {
			return nil, usagef("-cases: %q matches no case", f.text)
		}
	}
	return out, nil
}

// unlistedGlobs gives, per program, the ident globs of the filters that
// select it ("*" without filters): a case only the NetBSD listing has runs
// when it matches one.
func unlistedGlobs(progs []*program, filters []caseFilter) map[string][]string {
	out := map[string][]string{}
	for _, p := range progs {
		if len(filters) == 0 {
			out[p.name] = []string{"*"}
			continue
		}
		for _, f := range filters {
			if ok, _ := path.Match(f.prog, p.name); ok {
				out[p.name] = append(out[p.name], f.ident)
			}
		}
	}
	return out
}

// applyHistory takes each case's time from an earlier results.json as its
// estimate (a case that hit a timeout is expected to hit it again).
func applyHistory(items []item, path string) error {
	rf, err := readResults(path)
	if err != nil {
		return err
	}
	secs := map[string]float64{}
	for _, c := range rf.Cases {
		secs[c.name()] = c.Seconds
	}
	for i := range items {
		if s, ok := secs[bootproto.CaseName(items[i].prog, items[i].ident)]; ok {
			items[i].est = max(s, 0.1)
		}
	}
	return nil
}

func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".probe")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// checkMknod fails early, with one line, where device nodes cannot be made.
func checkMknod(dir string) error {
	p := filepath.Join(dir, "probe-null")
	if err := unix.Mknod(p, unix.S_IFCHR|0o666, int(unix.Mkdev(2, 2))); err != nil {
		if errors.Is(err, unix.EPERM) {
			return errNeedRoot
		}
		return fmt.Errorf("mknod: %v", err)
	}
	return os.Remove(p)
}

// timingSummary says where the wall time went.
func timingSummary(boots []bootSummary, build time.Duration) map[string]string {
	var img, hello, wall float64
	for _, b := range boots {
		img += b.ImageSeconds
		hello += b.HelloSeconds
		wall += b.WallSeconds
	}
	n := float64(max(len(boots), 1))
	return map[string]string{
		"build":   fmt.Sprintf("%.1fs", build.Seconds()),
		"boots":   fmt.Sprint(len(boots)),
		"image":   fmt.Sprintf("%.1fs total, %.1fs per boot", img, img/n),
		"hello":   fmt.Sprintf("%.1fs per boot (qemu start to init)", hello/n),
		"qemu":    fmt.Sprintf("%.1fs total", wall),
		"summary": fmt.Sprintf("build %.1fs, %d boot(s), image %.1fs/boot, boot to init %.1fs/boot, qemu %.1fs total", build.Seconds(), len(boots), img/n, hello/n, wall),
	}
}

// matrixPrograms adds, for every program, its wait-flavour twins: the same
// build as /tests/<area>/t_<area>_<flavour>, which waits with the flavour
// its name ends in (tracer.ProgramFlavour), as tests/matrix/ links do
// under kyua (scripts/matrix-tree.sh).
func matrixPrograms(progs []*program) []*program {
	out := progs
	for _, p := range progs {
		if p.area == "picotrace" {
			continue // it waits as picotrace does, not through the harness's flavours (Makefile matrix-tree)
		}
		for _, f := range tracer.FlavourNames {
			out = append(out, &program{area: p.area, name: p.name + "_" + f, netbsd: p.netbsd, cases: p.cases})
		}
	}
	return out
}
