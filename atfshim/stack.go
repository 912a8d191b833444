package atfshim

import (
	"fmt"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// This file reads the runtime's goroutine dump (runtime.Stack with all set)
// to say where a case that outlived its timeout is stuck: the goroutine's
// state ("chan receive") and its innermost frame in the suite's own code.

// goroutineID is the calling goroutine's ID, from the header of its own
// stack trace ("goroutine 7 [running]:"); 0 if that cannot be read.
func goroutineID() int64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.ParseInt(s[:max(strings.IndexByte(s, ' '), 0)], 10, 64)
	return id
}

// frame is one call in a goroutine's trace.
type frame struct {
	fn   string // "ptracesuite/tests/fork.TestFork.func1"
	file string // as the runtime prints it: absolute, or module-relative under -trimpath
	line int
}

// goroutine is one block of the dump.
type goroutine struct {
	id      int64
	state   string  // "chan receive", without ", 2 minutes" or ", locked to thread"
	frames  []frame // innermost first
	creator int64   // the goroutine that started it; 0 if none is printed
	text    string  // the block as printed
}

// maxDump bounds the buffer for the dump; a larger one is cut short.
const maxDump = 64 << 20

// allGoroutines is the current dump of every goroutine.
func allGoroutines() []goroutine {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= maxDump {
			return parseGoroutines(string(buf[:n]))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// header matches a block's first line; GOTRACEBACK=system adds fields such
// as gp= and m= between the ID and the state.
var header = regexp.MustCompile(`^goroutine (\d+)(?: [^\[]*)? \[([^\]]*)\]:$`)

var createdBy = regexp.MustCompile(`^created by .* in goroutine (\d+)$`)

// parseGoroutines splits a dump into its goroutines; blocks it cannot read
// are skipped.
func parseGoroutines(dump string) []goroutine {
	var gs []goroutine
	for _, block := range strings.Split(strings.TrimSpace(dump), "\n\n") {
		lines := strings.Split(block, "\n")
		m := header.FindStringSubmatch(lines[0])
		if m == nil {
			continue
		}
		g := goroutine{text: block}
		g.id, _ = strconv.ParseInt(m[1], 10, 64)
		g.state, _, _ = strings.Cut(m[2], ", ")
		inCreator := false
		for _, l := range lines[1:] {
			switch {
			case strings.HasPrefix(l, "\t"):
				if inCreator || len(g.frames) == 0 {
					continue
				}
				f := &g.frames[len(g.frames)-1]
				f.file, f.line = parseLocation(l)
			case strings.HasPrefix(l, "created by "):
				inCreator = true
				if c := createdBy.FindStringSubmatch(l); c != nil {
					g.creator, _ = strconv.ParseInt(c[1], 10, 64)
				}
			case strings.HasSuffix(l, ")"):
				inCreator = false
				fn := l
				if i := strings.LastIndexByte(l, '('); i > 0 {
					fn = l[:i]
				}
				g.frames = append(g.frames, frame{fn: fn})
			}
		}
		gs = append(gs, g)
	}
	return gs
}

// parseLocation reads "\t/path/file.go:123 +0x1d".
func parseLocation(l string) (file string, line int) {
	l = strings.TrimPrefix(l, "\t")
	if i := strings.LastIndex(l, " +0x"); i >= 0 {
		l = l[:i]
	}
	i := strings.LastIndexByte(l, ':')
	if i < 0 {
		return l, 0
	}
	line, _ = strconv.Atoi(l[i+1:])
	return l[:i], line
}

// family is the text of goroutine id and of every goroutine it started,
// directly or not, in dump order; the whole dump if id is not in it.
func family(gs []goroutine, id int64) string {
	in := map[int64]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, g := range gs {
			if !in[g.id] && in[g.creator] && g.creator != 0 {
				in[g.id], grew = true, true
			}
		}
	}
	var parts []string
	for _, g := range gs {
		if in[g.id] {
			parts = append(parts, g.text)
		}
	}
	if findGoroutine(gs, id) == nil {
		parts = parts[:0]
		for _, g := range gs {
			parts = append(parts, g.text)
		}
	}
	return strings.Join(parts, "\n\n")
}

func findGoroutine(gs []goroutine, id int64) *goroutine {
	for i := range gs {
		if gs[i].id == id {
			return &gs[i]
		}
	}
	return nil
}

// codeBase says which functions are the suite's own code and how to name
// their files: module is the main module's path, shim atfshim's own
// package, whose frames are never the place a case is stuck at.
type codeBase struct{ module, shim string }

// thisCode is the code base of the running program.
var thisCode = sync.OnceValue(func() codeBase {
	shim := pkgOf(runtime.FuncForPC(reflect.ValueOf(goroutineID).Pointer()).Name())
	mod := strings.TrimSuffix(shim, "/atfshim")
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path != "" {
		mod = bi.Main.Path
	}
	return codeBase{module: mod, shim: shim}
})

// pkgOf is the import path of a function name as the runtime prints it:
// "ptracesuite/atfshim.(*T).run.func1" → "ptracesuite/atfshim".
func pkgOf(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}

// own reports whether pkg is the suite's code: the main module's, atfshim
// excepted.
func (cb codeBase) own(pkg string) bool {
	return pkg != cb.shim && (pkg == cb.module || strings.HasPrefix(pkg, cb.module+"/"))
}

// infrastructure reports whether pkg is the runtime, testing or atfshim,
// which only run the case.
func (cb codeBase) infrastructure(pkg string) bool {
	return pkg == "runtime" || strings.HasPrefix(pkg, "runtime/") || strings.HasPrefix(pkg, "internal/") ||
		pkg == "testing" || pkg == cb.shim
}

// loc names a frame as file:line, the file relative to the module root
// for the suite's own code ("tests/fork/fork_test.go:123").
func (cb codeBase) loc(f frame) string {
	file := filepath.ToSlash(f.file)
	if pkg := pkgOf(f.fn); cb.own(pkg) {
		rel := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSuffix(pkg, "_test"), cb.module), "/")
		dir, base := path.Split(file)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case rel == "":
			file = base
		case dir == rel || strings.HasSuffix(dir, "/"+rel):
			file = rel + "/" + base
		}
	}
	return fmt.Sprintf("%s:%d", file, f.line)
}

// where says what g is doing and at which line: "blocked in chan receive
// at tests/fork/fork_test.go:123". The line is the innermost frame in the
// suite's own code (failing that, the innermost outside the runtime,
// testing and atfshim); when that frame is outside testPkg, the package
// of the case, the innermost frame in testPkg follows as "called from".
func (cb codeBase) where(g *goroutine, testPkg string) string {
	top := g.innermost(cb.own)
	if top < 0 {
		top = g.innermost(func(pkg string) bool { return !cb.infrastructure(pkg) })
	}
	var s string
	switch g.state {
	case "running", "runnable":
		s = g.state
	default:
		s = "blocked in " + g.state
	}
	if top < 0 {
		if len(g.frames) == 0 {
			return s + " (no frames in the dump)"
		}
		top = 0
	}
	s += " at " + cb.loc(g.frames[top])
	if pkgOf(g.frames[top].fn) == testPkg || testPkg == cb.shim {
		return s
	}
	for _, f := range g.frames[top+1:] {
		if pkgOf(f.fn) == testPkg {
			return s + " (called from " + cb.loc(f) + ")"
		}
	}
	return s
}

// innermost is the index of g's innermost frame in a package that is
// wanted; -1 if there is none.
func (g *goroutine) innermost(wanted func(pkg string) bool) int {
	for i, f := range g.frames {
		if wanted(pkgOf(f.fn)) {
			return i
		}
	}
	return -1
}

// funcPkg is the package of a function value.
func funcPkg(f any) string {
	return pkgOf(runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name())
}
