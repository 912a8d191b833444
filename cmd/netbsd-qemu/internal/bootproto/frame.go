package bootproto

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"ptracesuite/internal/atf"
)

// Prefix starts every line the guest writes for the host. The kernel writes to
// the same console, so a frame may follow kernel text on the same line: the
// host looks for the prefix anywhere in a line.
const Prefix = "@@ptq "

// Frame kinds, the first word after the prefix.
const (
	KindHello   = "hello"   // hello boot=N cases=M: init runs and has read its plan
	KindListing = "listing" // listing PROG ok N | differs N only-netbsd=a,b only-host=c | failed REASON
	KindStart   = "start"   // start PROG:IDENT timeout=SECONDS
	KindOut     = "out"     // out PROG:IDENT stdout|stderr | TEXT
	KindResult  = "result"  // result PROG:IDENT CATEGORY SECONDSs REASON
	KindError   = "error"   // error REASON: init cannot go on (the boot ends)
	KindDone    = "done"    // done: every case of the plan has a result
)

// Result categories are atf's (kyua's own words).
var Categories = []string{atf.Passed, atf.Failed, atf.Skipped, atf.XFail, atf.Broken}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c string) bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// Frame is one parsed console frame. Which fields are set depends on Kind.
type Frame struct {
	Kind string

	Boot, Cases int // hello

	Program   string   // listing
	Listing   string   // listing: ok, differs or failed
	Count     int      // listing: cases in the guest's listing
	OnlyGuest []string // listing differs: idents only the NetBSD build lists
	OnlyHost  []string // listing differs: idents only the host's listing has

	Case     string        // start, out, result: PROG:IDENT
	Timeout  time.Duration // start: the body's limit in the guest
	Cleanup  time.Duration // start: the cleanup's limit, 0 if the case has none
	Stream   string        // out: stdout or stderr
	Text     string        // out
	Category string        // result
	Elapsed  time.Duration // result
	Reason   string        // result, error, listing failed
}

// Line renders f as one console line without the line end.
func (f Frame) Line() string {
	var b strings.Builder
	b.WriteString(Prefix)
	b.WriteString(f.Kind)
	switch f.Kind {
	case KindHello:
		fmt.Fprintf(&b, " boot=%d cases=%d", f.Boot, f.Cases)
	case KindListing:
		fmt.Fprintf(&b, " %s %s", f.Program, f.Listing)
		switch f.Listing {
		case "ok":
			fmt.Fprintf(&b, " %d", f.Count)
		case "differs":
			fmt.Fprintf(&b, " %d only-netbsd=%s only-host=%s", f.Count,
				strings.Join(f.OnlyGuest, ","), strings.Join(f.OnlyHost, ","))
		default:
			b.WriteString(" " + OneLine(f.Reason))
		}
	case KindStart:
		fmt.Fprintf(&b, " %s timeout=%s", f.Case, seconds(f.Timeout))
		if f.Cleanup > 0 {
			fmt.Fprintf(&b, " cleanup=%s", seconds(f.Cleanup))
		}
	case KindOut:
		fmt.Fprintf(&b, " %s %s | %s", f.Case, f.Stream, OneLine(f.Text))
	case KindResult:
		fmt.Fprintf(&b, " %s %s %.3fs", f.Case, f.Category, f.Elapsed.Seconds())
		if f.Reason != "" {
			b.WriteString(" " + OneLine(f.Reason))
		}
	case KindError:
		b.WriteString(" " + OneLine(f.Reason))
	}
	return b.String()
}

// OneLine makes s safe for one console line: line ends and other control
// characters (except tab) become \xNN, so no frame can be split or forged by
// what it carries.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }

// ParseFrame finds a frame in one console line (line end already removed).
// ok is false when the line has no frame; err is set when it has a malformed
// one (for example a frame cut by kernel output written into the middle of it).
func ParseFrame(line string) (f Frame, ok bool, err error) {
	i := strings.Index(line, Prefix)
	if i < 0 {
		return Frame{}, false, nil
	}
	rest := line[i+len(Prefix):]
	kind, rest, _ := strings.Cut(rest, " ")
	f.Kind = kind
	bad := func(why string) (Frame, bool, error) {
		return Frame{}, true, fmt.Errorf("malformed %s frame (%s): %q", kind, why, line[i:])
	}
	switch kind {
	case KindHello:
		if _, err := fmt.Sscanf(rest, "boot=%d cases=%d", &f.Boot, &f.Cases); err != nil {
			return bad(err.Error())
		}
	case KindListing:
		w := strings.SplitN(rest, " ", 3)
		if len(w) < 2 {
			return bad("too few words")
		}
		f.Program, f.Listing = w[0], w[1]
		switch f.Listing {
		case "ok":
			if len(w) != 3 {
				return bad("no count")
			}
			n, err := strconv.Atoi(w[2])
			if err != nil {
				return bad("count")
			}
			f.Count = n
		case "differs":
			if len(w) != 3 {
				return bad("no count")
			}
			var g, h string
			if _, err := fmt.Sscanf(w[2], "%d only-netbsd=%s only-host=%s", &f.Count, &g, &h); err != nil {
				// Sscanf's %s cannot match an empty list; parse by hand.
				parts := strings.Split(w[2], " ")
				if len(parts) != 3 || !strings.HasPrefix(parts[1], "only-netbsd=") || !strings.HasPrefix(parts[2], "only-host=") {
					return bad("differs lists")
				}
				if f.Count, err = strconv.Atoi(parts[0]); err != nil {
					return bad("count")
				}
				g, h = strings.TrimPrefix(parts[1], "only-netbsd="), strings.TrimPrefix(parts[2], "only-host=")
			}
			f.OnlyGuest, f.OnlyHost = splitList(g), splitList(h)
		case "failed":
			if len(w) == 3 {
				f.Reason = w[2]
			}
		default:
			return bad("unknown listing state")
		}
	case KindStart:
		c, t, found := strings.Cut(rest, " timeout=")
		if !found || !validCase(c) {
			return bad("case or timeout")
		}
		t, cl, hasCleanup := strings.Cut(t, " cleanup=")
		var err error
		if f.Timeout, err = parseSeconds(t); err != nil {
			return bad("timeout")
		}
		if hasCleanup {
			if f.Cleanup, err = parseSeconds(cl); err != nil {
				return bad("cleanup")
			}
		}
		f.Case = c
	case KindOut:
		c, r, found := strings.Cut(rest, " ")
		if !found || !validCase(c) {
			return bad("case")
		}
		stream, text, found := strings.Cut(r, " | ")
		if !found && strings.HasSuffix(r, " |") { // an empty line of output
			stream, found = strings.TrimSuffix(r, " |"), true
		}
		if !found || (stream != "stdout" && stream != "stderr") {
			return bad("stream")
		}
		f.Case, f.Stream, f.Text = c, stream, text
	case KindResult:
		w := strings.SplitN(rest, " ", 4)
		if len(w) < 3 || !validCase(w[0]) || !ValidCategory(w[1]) || !strings.HasSuffix(w[2], "s") {
			return bad("case, category or time")
		}
		s, err := strconv.ParseFloat(strings.TrimSuffix(w[2], "s"), 64)
		if err != nil {
			return bad("time")
		}
		f.Case, f.Category, f.Elapsed = w[0], w[1], time.Duration(s*float64(time.Second))
		if len(w) == 4 {
			f.Reason = w[3]
		}
	case KindError:
		f.Reason = rest
	case KindDone:
		if rest != "" {
			return bad("trailing text")
		}
	default:
		return bad("unknown kind")
	}
	return f, true, nil
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

func parseSeconds(s string) (time.Duration, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad seconds %q", s)
	}
	return time.Duration(v * float64(time.Second)), nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// validCase checks the PROG:IDENT shape: both parts non-empty, no spaces.
func validCase(c string) bool {
	p, id, ok := strings.Cut(c, ":")
	return ok && p != "" && id != "" && !strings.ContainsAny(c, " \t") && !strings.Contains(id, ":")
}

// CaseName joins a program and an ident the way kyua names a case.
func CaseName(program, ident string) string { return program + ":" + ident }

// panicLine is the kernel's panic(9) line: "panic: MSG" at the start of a
// console line, after the kernel's optional "[ seconds.fraction] " stamp.
// Anchoring it keeps a case's own "panic: " output (a Go panic, carried in
// frames) from ever reading as the kernel's.
var panicLine = regexp.MustCompile(`^(?:\[\s*[0-9]+\.[0-9]+\]\s*)?panic: (.*)$`)

// PanicMessage recognizes the kernel's panic line and returns the message.
func PanicMessage(line string) (string, bool) {
	m := panicLine.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	return strings.TrimSpace(m[1]), true
}
