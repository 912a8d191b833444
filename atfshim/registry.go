package atfshim

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// Meta is the ATF metadata of one test case (§2 lists what kyua accepts).
type Meta struct {
	// Descr is the one-line `descr` property.
	Descr string
	// Timeout bounds the body; 0 means DefaultTimeout. The listing adds
	// timeoutSlack so that kyua's SIGKILL of the process group (§6) is a
	// last resort after atfshim's own watchdog has failed the case cleanly.
	Timeout time.Duration
	// RequireUser is "", "root" or "unprivileged" (`require.user`).
	RequireUser string
	// HasCleanup lists `has.cleanup: true`; Cleanup is then required.
	HasCleanup bool
	// Cleanup runs for `CASE:cleanup`, which kyua starts as a separate
	// process in the body's work directory after the body, whatever its
	// outcome (§7). Under go test it runs as the case's last t.Cleanup, in a
	// fresh working directory shared with the body.
	Cleanup func() error
	// Racy names a known kernel race: the case is skipped unless the config
	// variable racy is true.
	Racy string
	// ExpectFail is a known-bug reason; the same as t.ExpectFail at the start.
	ExpectFail string
}

// DefaultTimeout applies when Meta.Timeout is 0.
const DefaultTimeout = 60 * time.Second

// timeoutSlack is added to the listed timeout: the watchdog fires at
// Timeout and gives the body overrunGrace to return before writing the
// result itself, all before kyua kills at Timeout+timeoutSlack.
const timeoutSlack = 15 * time.Second

// maxListedTimeout is the largest `timeout` kyua parses (§2).
const maxListedTimeout = math.MaxUint32

// tcase is one declared ATF test case.
type tcase struct {
	ident  string // ATF name, [A-Za-z0-9_]+
	goPath string // testing name: "TestX" or "TestX/sub"
	meta   Meta

	mu     sync.Mutex
	ran    bool    // Run/RunSub was called for it
	result *result // set by the recorder when the Go test finished
}

func (c *tcase) timeout() time.Duration {
	if c.meta.Timeout == 0 {
		return DefaultTimeout
	}
	return c.meta.Timeout
}

// listedTimeout is the `timeout` property in whole seconds (§2: an unsigned
// decimal; never 0, which kyua 0.14 treats as already expired).
func (c *tcase) listedTimeout() uint64 {
	return uint64(math.Ceil(c.timeout().Seconds())) + uint64(timeoutSlack/time.Second)
}

func (c *tcase) markRan() {
	c.mu.Lock()
	c.ran = true
	c.mu.Unlock()
}

func (c *tcase) setResult(r result) {
	c.mu.Lock()
	c.result = &r
	c.mu.Unlock()
}

func (c *tcase) state() (ran bool, r *result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ran, c.result
}

// registry holds the declarations of one program, in declaration order
// (the listing order, which must be deterministic, §2).
type registry struct {
	mu      sync.Mutex
	cases   []*tcase
	byIdent map[string]*tcase
	byPath  map[string]*tcase
	parents map[string]bool // Go tests that have DeclareSub cases
	errs    []error         // declaration errors, reported by Main
	sealed  bool            // Main has started: the case list is final
}

var reg registry

// Declare declares the top-level Go test `test` as an ATF case whose ident
// is derived from its name (see identFromTestName). Use it as
// `var _ = atfshim.Declare(TestX, atfshim.Meta{...})`.
//
// Mistakes (bad metadata, duplicate idents, a function that is not a
// top-level TestXxx) do not panic: they are kept and Main reports the first
// as a one-line error with exit status 1 in every mode, so that `-l` never
// emits a listing kyua would call broken.
func Declare(test func(*testing.T), m Meta) struct{} {
	name, err := testName(test)
	if err != nil {
		reg.fail(fmt.Errorf("atfshim.Declare: %w", err))
		return struct{}{}
	}
	ident, err := identFromTestName(name)
	if err != nil {
		reg.fail(fmt.Errorf("atfshim.Declare(%s): %w", name, err))
		return struct{}{}
	}
	reg.add(&tcase{ident: ident, goPath: name, meta: m}, "")
	return struct{}{}
}

// DeclareSub declares the subtest `sub` of the Go test `parent` (run with
// RunSub) as the ATF case `sub`.
func DeclareSub(parent func(*testing.T), sub string, m Meta) struct{} {
	name, err := testName(parent)
	if err != nil {
		reg.fail(fmt.Errorf("atfshim.DeclareSub(%q): %w", sub, err))
		return struct{}{}
	}
	if err := checkIdent(sub); err != nil {
		reg.fail(fmt.Errorf("atfshim.DeclareSub(%s, %q): %w", name, sub, err))
		return struct{}{}
	}
	reg.add(&tcase{ident: sub, goPath: name + "/" + sub, meta: m}, name)
	return struct{}{}
}

func (r *registry) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mustBeOpen()
	r.errs = append(r.errs, err)
}

func (r *registry) mustBeOpen() {
	if r.sealed {
		// Not a declaration error: the listing was possibly already
		// printed without this case, so there is nothing sane to report to.
		panic("atfshim: Declare/DeclareSub called after atfshim.Main started; declare cases in package-level vars or init")
	}
}

// add validates c and appends it; parent is the Go test of a DeclareSub.
func (r *registry) add(c *tcase, parent string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mustBeOpen()
	if err := r.check(c, parent); err != nil {
		what := "atfshim.Declare(" + c.goPath + ")"
		if parent != "" {
			what = fmt.Sprintf("atfshim.DeclareSub(%s, %q)", parent, c.ident)
		}
		r.errs = append(r.errs, fmt.Errorf("%s: %w", what, err))
		return
	}
	if r.byIdent == nil {
		r.byIdent = map[string]*tcase{}
		r.byPath = map[string]*tcase{}
		r.parents = map[string]bool{}
	}
	r.cases = append(r.cases, c)
	r.byIdent[c.ident] = c
	r.byPath[c.goPath] = c
	if parent != "" {
		r.parents[parent] = true
	}
}

func (r *registry) check(c *tcase, parent string) error {
	if err := checkMeta(c.meta); err != nil {
		return err
	}
	// kyua silently merges duplicate idents into one case (§2).
	if prev := r.byIdent[c.ident]; prev != nil {
		return fmt.Errorf("ident %q already declared for %s", c.ident, prev.goPath)
	}
	if r.byPath[c.goPath] != nil {
		return errors.New("declared twice")
	}
	// With both, the ATF run of the top-level case would also run every
	// sub-case body under it.
	if parent != "" && r.byPath[parent] != nil {
		return fmt.Errorf("%s is also declared as a case itself; use either Declare or DeclareSub for one Go test", parent)
	}
	if parent == "" && r.parents[c.goPath] {
		return errors.New("it already has DeclareSub cases; use either Declare or DeclareSub for one Go test")
	}
	return nil
}

// checkMeta enforces the property types kyua accepts (§2); any violation
// would make kyua reject the whole program's listing.
func checkMeta(m Meta) error {
	if err := checkOneLine("Descr", m.Descr); err != nil {
		return err
	}
	if err := checkOneLine("Racy", m.Racy); err != nil {
		return err
	}
	switch m.RequireUser {
	case "", "root", "unprivileged":
	default:
		return fmt.Errorf("RequireUser %q is not \"\", \"root\" or \"unprivileged\"", m.RequireUser)
	}
	if m.HasCleanup != (m.Cleanup != nil) {
		return errors.New("HasCleanup and Cleanup must be set together")
	}
	if m.Timeout < 0 {
		return fmt.Errorf("negative Timeout %v", m.Timeout)
	}
	if (&tcase{meta: m}).listedTimeout() > maxListedTimeout {
		return fmt.Errorf("Timeout %v too large for kyua", m.Timeout)
	}
	return nil
}

// checkOneLine rejects control characters in values that become listing
// lines: a newline would split the property and break the listing (§2).
func checkOneLine(field, s string) error {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%s %q contains control characters; it must be one line", field, s)
	}
	return nil
}

// checkIdent enforces the ident alphabet: kyua keeps idents verbatim, `:`
// separates the case part on the command line and `/` and spaces break
// kyua filters (§2).
func checkIdent(s string) error {
	if s == "" {
		return errors.New("empty ident")
	}
	for _, r := range s {
		if !isIdentRune(r) {
			return fmt.Errorf("ident %q: only [A-Za-z0-9_] allowed", s)
		}
	}
	return nil
}

func isIdentRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// testName returns the testing name ("TestX") of a top-level test function.
func testName(test func(*testing.T)) (string, error) {
	if test == nil {
		return "", errors.New("nil test function")
	}
	full := runtime.FuncForPC(reflect.ValueOf(test).Pointer()).Name()
	// full is "import/path/pkg.TestX"; closures ("pkg.TestX.func1"),
	// methods ("pkg.(*T).TestX") and method values ("...-fm") are not tests
	// that `go test` runs by that name.
	base := full[strings.LastIndex(full, "/")+1:]
	dot := strings.LastIndex(base, ".")
	name := base[dot+1:]
	if strings.ContainsAny(base[:max(dot, 0)], "()") || !isGoTestName(name) {
		return "", fmt.Errorf("%s is not a top-level TestXxx function", full)
	}
	return name, nil
}

// isGoTestName is testing's rule for test functions: "Test" followed by
// nothing or a non-lower-case character.
func isGoTestName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Test")
	if !ok {
		return false
	}
	for i, r := range rest {
		if i == 0 && unicode.IsLower(r) {
			return false
		}
		if !isIdentRune(r) {
			return false
		}
	}
	return true
}

// identFromTestName applies the DESIGN ident rule: drop "Test", CamelCase to
// snake_case, an acronym stays one word (PTIOReadAuxv → ptio_read_auxv),
// digits stay attached to what precedes them (Fork1 → fork1, Vfork2Exec →
// vfork2_exec).
func identFromTestName(name string) (string, error) {
	rest, ok := strings.CutPrefix(name, "Test")
	if !ok || rest == "" {
		return "", fmt.Errorf("cannot derive an ident from %q: want TestXxx", name)
	}
	rs := []rune(rest)
	var b strings.Builder
	for i, r := range rs {
		if isUpper(r) && i > 0 && !strings.HasSuffix(b.String(), "_") {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && isLower(rs[i+1])
			if isLower(prev) || isDigit(prev) || isUpper(prev) && nextLower {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	ident := b.String()
	if err := checkIdent(ident); err != nil {
		return "", err
	}
	return ident, nil
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func isLower(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// lookup finds a case by ATF ident (byPath=false) or by Go test path.
func (r *registry) lookup(key string, byPath bool) *tcase {
	r.mu.Lock()
	defer r.mu.Unlock()
	if byPath {
		return r.byPath[key]
	}
	return r.byIdent[key]
}

// seal freezes the declarations and returns the first declaration error,
// mentioning how many more there are.
func (r *registry) seal() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sealed = true
	switch len(r.errs) {
	case 0:
		return nil
	case 1:
		return r.errs[0]
	default:
		return fmt.Errorf("%w (and %d more declaration errors)", r.errs[0], len(r.errs)-1)
	}
}
