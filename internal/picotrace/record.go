package picotrace

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
)

// The events of picotrace.1, as records name them.
const (
	evArgv      = "ARGV"
	evEnv       = "ENV"
	evAuxv      = "AUXV"
	evSCE       = "SCE"
	evSCX       = "SCX"
	evSignaled  = "SIGNALED"
	evStopped   = "STOPPED"
	evContinued = "CONTINUED"
	evCrashed   = "CRASHED"
	evExec      = "EXEC"
	evForked    = "FORKED"
	evVforked   = "VFORKED"
	evVforkDone = "VFORK_DONE"
	evSpawned   = "SPAWNED"
	evLwpNew    = "LWP_CREATED"
	evLwpExit   = "LWP_EXITED"
	evExited    = "EXITED"
)

// record is one line of output.
type record struct {
	Pid   int    `json:"pid"`
	Lwp   int    `json:"lwp"` // 0: a whole-process event
	Exe   string `json:"exename"`
	Event string `json:"event"`
	Extra string `json:"extra"`
}

// recorder writes records as text or JSON lines, or, with count, only
// the per-syscall summary at the end.
type recorder struct {
	w     *bufio.Writer
	json  bool
	count bool
	flush bool // after every record (the records share stdout with the command)
	err   error
	extra []byte // scratch
	calls map[string]*tally
}

// tally is one system call's line of the summary.
type tally struct {
	calls, errors int
	time          time.Duration
}

func newRecorder(w io.Writer, json, count, flush bool) *recorder {
	return &recorder{w: bufio.NewWriterSize(w, 64<<10), json: json, count: count, flush: flush, calls: map[string]*tally{}}
}

// add writes one record (nothing with count).
func (r *recorder) add(pid, lwp int, exe, event, extra string) {
	r.addBytes(pid, lwp, exe, event, append(r.scratch(), extra...))
}

// scratch is the recorder's buffer for an extra column, emptied: a
// record built in it and written with addBytes costs no allocation.
func (r *recorder) scratch() []byte { return r.extra[:0] }

// addBytes writes one record whose extra column is extra (nothing with
// count).
func (r *recorder) addBytes(pid, lwp int, exe, event string, extra []byte) {
	r.extra = extra[:0] // kept for the next record, grown if it grew
	if r.count || r.err != nil {
		return
	}
	if r.json {
		b, err := json.Marshal(record{pid, lwp, exe, event, string(extra)})
		if err != nil {
			r.err = err
			return
		}
		r.w.Write(b)
		r.w.WriteByte('\n')
	} else {
		b := r.w.AvailableBuffer()
		b = strconv.AppendInt(b, int64(pid), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(lwp), 10)
		b = append(b, ' ')
		b = append(b, exe...)
		b = append(b, ' ')
		b = append(b, event...)
		if len(extra) != 0 {
			b = append(b, ' ')
			b = append(b, extra...)
		}
		b = append(b, '\n')
		r.w.Write(b)
	}
	if r.flush {
		r.err = r.w.Flush()
	}
}

// sync writes out what is buffered.
func (r *recorder) sync() {
	if r.err == nil {
		r.err = r.w.Flush()
	}
}

// call counts one system call entry; exited, its exit (with the time
// between the two stops, as the tracer saw them).
func (r *recorder) call(name string) {
	if !r.count {
		return
	}
	t := r.calls[name]
	if t == nil {
		t = &tally{}
		r.calls[name] = t
	}
	t.calls++
}

func (r *recorder) exited(name string, failed bool, d time.Duration) {
	if !r.count {
		return
	}
	t := r.calls[name]
	if t == nil {
		t = &tally{}
		r.calls[name] = t
	}
	if failed {
		t.errors++
	}
	t.time += d
}

// finish writes the summary (with count) and flushes.
func (r *recorder) finish() error {
	if r.count && r.err == nil {
		r.summary()
	}
	if err := r.w.Flush(); r.err == nil {
		r.err = err
	}
	return r.err
}

// summary is truss -c's table: each call's time between its entry and
// exit stops, its calls and its failures, by name, then the totals.
func (r *recorder) summary() {
	var names []string
	for n := range r.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	var total tally
	for _, n := range names {
		t := r.calls[n]
		total.calls += t.calls
		total.errors += t.errors
		total.time += t.time
	}
	if r.json {
		enc := json.NewEncoder(r.w)
		for _, n := range names {
			t := r.calls[n]
			enc.Encode(summaryLine{n, t.time.Seconds(), t.calls, t.errors})
		}
		enc.Encode(summaryLine{"total", total.time.Seconds(), total.calls, total.errors})
		return
	}
	fmt.Fprintf(r.w, "%-24s %14s %8s %8s\n", "syscall", "seconds", "calls", "errors")
	for _, n := range names {
		t := r.calls[n]
		fmt.Fprintf(r.w, "%-24s %14.9f %8d %8d\n", n, t.time.Seconds(), t.calls, t.errors)
	}
	fmt.Fprintf(r.w, "%-24s %14s %8s %8s\n", "", "--------------", "--------", "--------")
	fmt.Fprintf(r.w, "%-24s %14.9f %8d %8d\n", "total", total.time.Seconds(), total.calls, total.errors)
}

type summaryLine struct {
	Syscall string  `json:"syscall"`
	Seconds float64 `json:"seconds"`
	Calls   int     `json:"calls"`
	Errors  int     `json:"errors"`
}
