// Command bench measures the ptrace core and picotrace against references
// run in the same process, as ratios (make bench):
//
//   - the core (internal/ptrace) syscall-stepping a C program that makes
//     100,000 getpid calls, against c/cloop.c, the least a C tracer does for
//     the same (PTRACE_SYSCALL and waitpid, no decoding), the core doing the
//     same work (in Loop, WithChecks(false), WithSyscallInfo(false),
//     WithReusedReports(true)); and,
//     as information, the core decoding and checking every stop against
//     cloop -d;
//   - picotrace -i -o /dev/null against strace -f -o /dev/null on that
//     workload and on c/forkexec.c (200 fork+exec of /bin/true).
//
// Every tracer runs with its tracees on one CPU (-cpu): whether the
// scheduler puts the two on one CPU or two moves a time by tens of
// percent. Each of -runs runs times each side -reps times, interleaved with the
// side it is compared with, and takes its fastest time; the first run also
// measures what the gap is made of. The two last lines are the medians of
// the runs' ratios:
//
//	ratio tracer/c-loop R
//	ratio picotrace/strace R
//
// tracer/c-loop is the core's stop rate over the C loop's (higher is
// better; 1 is as fast as C). picotrace/strace is picotrace's added wall
// time over the untraced run divided by strace's (lower is better), the
// geometric mean of the two workloads' ratios.
// The C programs are built with the system cc, picotrace with go build,
// in a temporary directory that is removed.
package main

import (
	"embed"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ptracesuite/internal/ptrace"
)

//go:embed c/*.c
var csrc embed.FS

var (
	runs       = flag.Int("runs", 3, "measure everything this many times")
	reps       = flag.Int("reps", 3, "within a run, time each side this many times, interleaved, and take the fastest")
	cpu        = flag.Int("cpu", 0, "run every tracer and its tracees on this CPU (-1: wherever the scheduler puts them)")
	calls      = flag.Int("n", 100000, "getpid calls of the getpid workload")
	forks      = flag.Int("forks", 200, "fork+execs of the fork+exec workload")
	cpuprofile = flag.String("cpuprofile", "", "write a CPU profile of the core's stepping to this file")
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: bench [-runs N] [-reps N] [-cpu N] [-n CALLS] [-forks N] [-cpuprofile FILE]")
	}
	flag.Parse()
	if flag.NArg() != 0 {
		fail("unexpected argument %q", flag.Arg(0))
	}
	if *runs < 1 || *reps < 1 || *calls < 1 || *forks < 1 {
		fail("-runs, -reps, -n and -forks must be at least 1")
	}
	if *cpu < -1 {
		fail("-cpu %d: a CPU number, or -1 for wherever the scheduler puts them", *cpu)
	}
	if err := available(); err != nil {
		fail("%v", err)
	}
	dir, err := os.MkdirTemp("", "ptrace-bench-")
	if err != nil {
		fail("%v", err)
	}
	workDir = dir
	// Interrupted, it removes its directory too; a reader that goes away
	// (bench | head) makes its writes fail instead of killing it.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	go func() {
		for s := range sigs {
			if s != syscall.SIGPIPE {
				fail("%v", s)
			}
		}
	}()
	code := bench(dir)
	os.RemoveAll(dir)
	os.Exit(code)
}

// workDir is removed by fail too.
var workDir string

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	if workDir != "" {
		os.RemoveAll(workDir)
	}
	os.Exit(2)
}

func bench(dir string) int {
	// As a tracer command runs the core (picotrace does the same): no
	// SIGCHLD to this process at each tracee stop.
	if err := ptrace.QuietStops(); err != nil {
		fail("SA_NOCLDSTOP on SIGCHLD: %v", err)
	}
	bin := build(dir)
	getpid := []string{bin["getpid"], strconv.Itoa(*calls)}
	forkexec := []string{bin["forkexec"], strconv.Itoa(*forks), "/bin/true"}
	where := fmt.Sprintf("every tracer and tracee on CPU %d", *cpu)
	if *cpu < 0 {
		where = "unpinned"
	}
	fmt.Printf("getpid workload: %d getpid calls; fork+exec workload: %d fork+exec of /bin/true; %d runs, the fastest of %d in each; %s\n", *calls, *forks, *runs, *reps, where)
	var loopRatios, straceRatios []float64
	for r := 1; r <= *runs; r++ {
		// Each side is measured -reps times, interleaved with the other,
		// and its fastest time taken: where the scheduler puts the tracer
		// and the tracee (one CPU or two) moves a time by tens of percent.
		var core, c time.Duration
		var stops, cstops int
		for i := 0; i < *reps; i++ {
			d, n := cLoop(bin["cloop"], getpid, false)
			c, cstops = fastest(c, d), n
			d, n = stepCore(getpid, bare, r == 1 && i == 0 && *cpuprofile != "")
			core, stops = fastest(core, d), n
		}
		// Stop rates, not times: higher is better.
		loopRatio := (float64(stops) / core.Seconds()) / (float64(cstops) / c.Seconds())
		loopRatios = append(loopRatios, loopRatio)
		fmt.Printf("run %d: core %.3f s (%d stops, %.0f stops/s), c-loop %.3f s (%d stops, %.0f stops/s): tracer/c-loop %.2f\n",
			r, core.Seconds(), stops, float64(stops)/core.Seconds(), c.Seconds(), cstops, float64(cstops)/c.Seconds(), loopRatio)
		if r == 1 {
			// What the gap is made of: the kernel's part of decoding,
			// and the hop a request from another goroutine takes.
			var cd, full, hop time.Duration
			for i := 0; i < *reps; i++ {
				d, _ := cLoop(bin["cloop"], getpid, true)
				cd = fastest(cd, d)
				d, _ = stepCore(getpid, decoding, false)
				full = fastest(full, d)
				d, _ = stepCore(getpid, hopping, false)
				hop = fastest(hop, d)
			}
			fmt.Printf("run %d: decoding every syscall stop (PTRACE_GET_SYSCALL_INFO) with the suite's checks on, the core %.3f s against c-loop -d %.3f s: tracer/c-loop %.2f\n",
				r, full.Seconds(), cd.Seconds(), cd.Seconds()/full.Seconds())
			fmt.Printf("run %d: the core driven from another goroutine (Tracer.Wait/Syscall, a hop to the tracer thread per request): %.3f s, stop rate %.2f of the core in Loop\n",
				r, hop.Seconds(), core.Seconds()/hop.Seconds())
		}
		var logSum float64
		for _, w := range []struct {
			name string
			argv []string
		}{{"getpid", getpid}, {"fork+exec", forkexec}} {
			// Each tracer's added wall time over the untraced run.
			var u, p, s time.Duration
			for i := 0; i < *reps; i++ {
				u = fastest(u, wall(w.argv))
				p = fastest(p, wall(append([]string{bin["picotrace"], "-i", "-o", os.DevNull}, w.argv...)))
				s = fastest(s, wall(append([]string{"strace", "-f", "-o", os.DevNull}, w.argv...)))
			}
			ratio := (p - u).Seconds() / (s - u).Seconds()
			logSum += math.Log(ratio)
			fmt.Printf("run %d: %s: untraced %.3f s, picotrace -i %.3f s (+%.3f), strace -f %.3f s (+%.3f): picotrace/strace %.2f\n",
				r, w.name, u.Seconds(), p.Seconds(), (p - u).Seconds(), s.Seconds(), (s - u).Seconds(), ratio)
		}
		straceRatios = append(straceRatios, math.Exp(logSum/2))
	}
	fmt.Printf("ratio tracer/c-loop %.2f\n", median(loopRatios))
	fmt.Printf("ratio picotrace/strace %.2f\n", median(straceRatios))
	return 0
}

// build compiles the C programs with cc and picotrace with go build.
func build(dir string) map[string]string {
	bin := map[string]string{}
	for _, name := range []string{"getpid", "forkexec", "cloop"} {
		src := filepath.Join(dir, name+".c")
		b, err := csrc.ReadFile("c/" + name + ".c")
		if err != nil {
			fail("%v", err)
		}
		if err := os.WriteFile(src, b, 0o644); err != nil {
			fail("%v", err)
		}
		bin[name] = filepath.Join(dir, name)
		if out, err := exec.Command("cc", "-O2", "-o", bin[name], src).CombinedOutput(); err != nil {
			fail("cc %s: %v: %s", name+".c", err, strings.Join(strings.Fields(string(out)), " "))
		}
	}
	bin["picotrace"] = filepath.Join(dir, "picotrace")
	cmd := exec.Command("go", "build", "-o", bin["picotrace"], "ptracesuite/cmd/picotrace")
	if out, err := cmd.CombinedOutput(); err != nil {
		fail("go build picotrace: %v: %s", err, strings.Join(strings.Fields(string(out)), " "))
	}
	return bin
}

// coreMode is how stepCore drives the core.
type coreMode int

const (
	// bare: in Loop, with neither the suite's checks nor syscall
	// decoding: the work of c/cloop.c (PTRACE_SYSCALL and waitpid).
	bare coreMode = iota
	// decoding: in Loop, every syscall stop decoded and checked, as the
	// suite's cases and picotrace run it: the work of cloop -d and more.
	decoding
	// hopping: as decoding, driven from another goroutine.
	hopping
)

// stepCore syscall-steps argv with the ptrace core to its exit and returns
// the time from the spawn to the exit and the stops seen, driven as m says.
func stepCore(argv []string, m coreMode, profile bool) (time.Duration, int) {
	opts := []ptrace.Option{ptrace.WithSafetyNets(true)}
	if m == bare {
		opts = append(opts, ptrace.WithChecks(false), ptrace.WithSyscallInfo(false), ptrace.WithReusedReports(true))
	}
	c, err := ptrace.New(opts...)
	if err != nil {
		fail("%v", err)
	}
	defer c.Close()
	if profile {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail("-cpuprofile: %v", err)
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var took time.Duration
	var stops int
	if *cpu >= 0 {
		// The tracer thread, and so the tracee it forks, on the CPU.
		c.Do(func() {
			if err := pin(*cpu); err != nil {
				fail("-cpu %d: %v", *cpu, err)
			}
		})
	}
	// wait and resume are the loop's requests: in Loop as a Thread's,
	// otherwise as the Tracer's, each hopping to the tracer thread.
	loop := func(wait func(int) (ptrace.Event, error), resume func(int, syscall.Signal) error) {
		start := time.Now()
		pid, _, err := c.Spawn(ptrace.Cmd{Path: argv[0], Argv: argv, What: "workload"})
		if err != nil {
			fail("spawn %s: %v", argv[0], err)
		}
		for {
			if err := resume(pid, 0); err != nil {
				fail("%s: %v", ptrace.ReqSyscall, err)
			}
			ev, err := wait(pid)
			if err != nil {
				fail("wait: %v", err)
			}
			if ev.Terminal() {
				if ev.Kind != ptrace.Exited || ev.Status != 0 {
					fail("the workload ended %v", ev)
				}
				break
			}
			stops++
		}
		took = time.Since(start)
	}
	if m == hopping {
		loop(c.Wait, c.Syscall)
	} else {
		c.Loop(func(t ptrace.Thread) { loop(t.Wait, t.Syscall) })
	}
	return took, stops
}

// cLoop runs the C reference tracer on argv (decode: with -d) and returns
// the time and the stops it reports.
func cLoop(cloop string, argv []string, decode bool) (time.Duration, int) {
	if decode {
		argv = append([]string{"-d"}, argv...)
	}
	argv = append([]string{cloop}, argv...)
	out, err := exec.Command(pinned(argv)[0], pinned(argv)[1:]...).Output()
	if err != nil {
		fail("cloop: %v", err)
	}
	var stops int
	var secs float64
	if _, err := fmt.Sscanf(string(out), "stops %d seconds %g", &stops, &secs); err != nil {
		fail("cloop said %q: %v", out, err)
	}
	return time.Duration(secs * float64(time.Second)), stops
}

// pinned is argv run on the -cpu CPU.
func pinned(argv []string) []string {
	if *cpu < 0 {
		return argv
	}
	return append(pinCommand(*cpu), argv...)
}

// wall runs argv (on the -cpu CPU) and returns its wall time; it must
// exit 0.
func wall(argv []string) time.Duration {
	argv = pinned(argv)
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		fail("%s: %v: %s", strings.Join(argv, " "), err, strings.Join(strings.Fields(string(out)), " "))
	}
	return took
}

func fastest(best, d time.Duration) time.Duration {
	if best == 0 || d < best {
		return d
	}
	return best
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
