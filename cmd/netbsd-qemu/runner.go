package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
	"ptracesuite/internal/atf"
)

// runner runs the scheduled cases on -j qemu instances.
type runner struct {
	cfg       *config
	work      string // temporary build directory
	kernel    string // plain ELF kernel
	guestinit string
	progs     map[string]*program
	expected  map[string][]string // program → idents of the host's listing
	order     map[string]int      // case name → suite order
	stdout    io.Writer
	stderr    io.Writer
	tools     map[string]string // test fakes for host programs

	mu        sync.Mutex
	nextBoot  int
	results   map[string]caseResult
	boots     []bootSummary
	absent    []string            // planned cases the NetBSD listing lacks (not run)
	listed    map[string]bool     // programs whose NetBSD listing has been seen
	claimed   map[string]int      // program → boot asked to run the cases only its NetBSD listing has
	unlisted  map[string][]string // program → ident globs of -cases that select it
	fatal     error
	cancelRun context.CancelFunc

	// the job queue
	cond    *sync.Cond
	queue   [][]item
	idle    int
	workers int
}

// bootSummary is what results.json says about one boot.
type bootSummary struct {
	Boot         int     `json:"boot"`
	Console      string  `json:"console"`
	Cases        int     `json:"cases_planned"`
	Results      int     `json:"results"`
	End          string  `json:"end"` // done, panic, hang, exit, interrupted
	Panic        string  `json:"panic,omitempty"`
	ImageSeconds float64 `json:"image_seconds"`
	HelloSeconds float64 `json:"hello_seconds"`
	WallSeconds  float64 `json:"wall_seconds"`
}

// runAll schedules every item in shards and runs them; it returns the first
// fatal error (a kernel that does not boot, a boot that makes no progress).
func (r *runner) runAll(ctx context.Context, items []item) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.cancelRun = cancel
	r.results = map[string]caseResult{}
	r.listed, r.claimed = map[string]bool{}, map[string]int{}
	r.cond = sync.NewCond(&r.mu)
	r.workers = min(r.cfg.jobs, len(items))
	r.queue = shard(items, r.workers)
	var wg sync.WaitGroup
	for w := 0; w < r.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				job := r.take()
				if job == nil {
					return
				}
				if err := r.runJob(ctx, job); err != nil {
					r.fail(err)
				}
			}
		}()
	}
	go func() { // wake every worker when the run is cancelled
		<-ctx.Done()
		r.mu.Lock()
		r.cond.Broadcast()
		r.mu.Unlock()
	}()
	wg.Wait()
	if r.fatal != nil {
		return r.fatal
	}
	return ctx.Err()
}

// take returns the next job, or nil when there is none and none can come
// (every worker idle) or the run failed.
func (r *runner) take() []item {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.idle++
	for len(r.queue) == 0 && r.idle < r.workers && r.fatal == nil {
		r.cond.Wait()
	}
	if len(r.queue) == 0 || r.fatal != nil {
		r.cond.Broadcast()
		return nil
	}
	r.idle--
	j := r.queue[0]
	r.queue = r.queue[1:]
	return j
}

func (r *runner) fail(err error) {
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
	}
	r.cond.Broadcast()
	r.mu.Unlock()
	r.cancelRun()
}

// giveAway splits what a boot left over between this worker and the idle
// ones, so that a panic late in one job does not leave the others idle.
func (r *runner) giveAway(rest []item) []item {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.idle == 0 || len(rest) < 2 {
		return rest
	}
	parts := shard(rest, min(r.idle+1, len(rest)))
	r.queue = append(r.queue, parts[1:]...)
	r.cond.Broadcast()
	return parts[0]
}

func (r *runner) newBoot() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nextBoot++
	return r.nextBoot
}

// runJob boots until every case of job has a result: after a panic or a hang
// the next boot runs the cases that had not started (a case never runs twice).
func (r *runner) runJob(ctx context.Context, job []item) error {
	byName := map[string]item{}
	for _, it := range job {
		byName[bootproto.CaseName(it.prog, it.ident)] = it
	}
	for len(job) > 0 {
		plan := r.newPlan(job)
		br, err := r.bootOnce(ctx, plan, r.report)
		if br != nil {
			r.addBoot(br)
		}
		if err != nil {
			return err
		}
		s := br.sess
		r.applyListings(s)
		switch {
		case s.frames == 0:
			return fmt.Errorf("boot %d: the kernel did not start init: no frame on the console (see %s)%s",
				plan.Boot, br.consoleLog, qemuSays(br))
		case len(s.results) == 0:
			why := "no case ran"
			switch {
			case s.guestErr != "":
				why = "init failed: " + s.guestErr
			case s.panicMsg != "":
				why = "kernel panic before any case ran: " + s.panicMsg
			case br.end == endHang:
				why = "kernel hang before any case ran"
			}
			return fmt.Errorf("boot %d: %s (see %s)", plan.Boot, why, br.consoleLog)
		}
		var rest []item
		for _, p := range s.remaining(plan) {
			for _, id := range p.Cases {
				it, ok := byName[bootproto.CaseName(p.Name, id)]
				if !ok { // a case only the NetBSD listing has
					it = item{prog: p.Name, ident: id, order: 1 << 30, est: defaultEstimate}
					byName[bootproto.CaseName(p.Name, id)] = it
				}
				rest = append(rest, it)
			}
		}
		if s.done && len(rest) > 0 {
			// init said done, yet frames are missing: never run a case twice.
			for _, it := range rest {
				r.report(caseResult{Program: it.prog, Ident: it.ident, Category: atf.Broken, Boot: plan.Boot,
					Reason: "runner: no result frame on the console although init finished (see " + br.consoleLog + ")"})
			}
			rest = nil
		}
		job = r.giveAway(rest)
	}
	return nil
}

func qemuSays(br *bootResult) string {
	if br.qemuStderr == "" {
		return ""
	}
	return "; qemu: " + firstLineOf(br.qemuStderr)
}

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func (r *runner) addBoot(br *bootResult) {
	s := br.sess
	end := map[endKind]string{endExited: "exit", endHang: "hang", endPanicked: "panic", endKilled: "interrupted"}[br.end]
	if s.done {
		end = "done"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.boots = append(r.boots, bootSummary{Boot: br.plan.Boot, Console: br.consoleLog, Cases: br.plan.NumCases(),
		Results: len(s.results), End: end, Panic: s.panicMsg, ImageSeconds: br.imageTime.Seconds(),
		HelloSeconds: br.helloTime.Seconds(), WallSeconds: br.wallTime.Seconds()})
}

// newPlan makes the plan of the next boot of a job. A program whose NetBSD
// listing has not been seen yet is asked, in exactly one boot, to also run
// the cases that only its NetBSD listing has.
func (r *runner) newPlan(job []item) *bootproto.Plan {
	boot := r.newBoot()
	r.mu.Lock()
	defer r.mu.Unlock()
	plan := &bootproto.Plan{Boot: boot, Vars: r.cfg.vars, TimeoutScale: r.cfg.timeoutScale,
		Programs: planFor(job, r.expected, func(p string) string { return r.progs[p].imagePath() })}
	for i := range plan.Programs {
		p := &plan.Programs[i]
		if !r.listed[p.Name] && r.claimed[p.Name] == 0 {
			r.claimed[p.Name] = boot
			p.Unlisted = r.unlisted[p.Name]
		}
	}
	return plan
}

// applyListings takes in what a boot's listing frames said: the NetBSD
// listing becomes the expected one for later plans, planned cases it lacks are
// noted as absent, and a claim to run NetBSD-only cases is released when the
// boot ended before listing that program.
func (r *runner) applyListings(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	for _, n := range s.listings {
		seen[n.Program] = true
		if n.Failed != "" {
			continue
		}
		drop := map[string]bool{}
		for _, id := range n.OnlyHost {
			drop[id] = true
		}
		var exp []string
		for _, id := range r.expected[n.Program] {
			if !drop[id] {
				exp = append(exp, id)
			}
		}
		r.expected[n.Program] = append(exp, n.OnlyGuest...)
	}
	for prog, ids := range s.absent {
		for _, id := range ids {
			r.absent = append(r.absent, bootproto.CaseName(prog, id))
			fmt.Fprintf(r.stderr, "%s: %s: not in the NetBSD build's listing (only the linux listing has it): not run\n",
				programName, bootproto.CaseName(prog, id))
		}
	}
	for _, p := range s.plan.Programs {
		if s.listedOK[p.Name] {
			r.listed[p.Name] = true
		}
		if r.claimed[p.Name] == s.boot && !seen[p.Name] && !s.listedOK[p.Name] {
			r.claimed[p.Name] = 0
		}
	}
}

// report records a result (once per case) and prints its line.
func (r *runner) report(res caseResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	name := res.name()
	if _, dup := r.results[name]; dup {
		return
	}
	r.results[name] = res
	line := fmt.Sprintf("%-50s %-7s %6.1fs", name, res.Category, res.Seconds)
	if res.Reason != "" {
		line += "  " + shorten(res.Reason, maxReasonOnLine)
	}
	fmt.Fprintln(r.stdout, line)
}

// maxReasonOnLine bounds the reason on a case's progress line; results.json
// and junit.xml have it whole.
const maxReasonOnLine = 240

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " […]"
}
