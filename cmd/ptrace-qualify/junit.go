package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"ptracesuite/internal/atf"
)

// badCharRef is a character reference XML 1.0 does not allow (kyua writes
// control characters of a case's output as &#N;), which encoding/xml
// rejects.
var badCharRef = regexp.MustCompile(`&#(x[0-9a-fA-F]+|[0-9]+);`)

// sanitizeXML replaces the characters XML 1.0 forbids, raw or as a
// reference, with U+FFFD, so that one odd byte of a case's output does not
// lose the whole report.
func sanitizeXML(b []byte) []byte {
	allowed := func(r rune) bool {
		return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
	}
	b = bytes.Map(func(r rune) rune {
		if allowed(r) {
			return r
		}
		return '\uFFFD'
	}, b)
	return badCharRef.ReplaceAllFunc(b, func(m []byte) []byte {
		s := string(m[2 : len(m)-1])
		var n uint64
		var err error
		if strings.HasPrefix(s, "x") {
			n, err = strconv.ParseUint(s[1:], 16, 32)
		} else {
			n, err = strconv.ParseUint(s, 10, 32)
		}
		if err != nil || !allowed(rune(n)) {
			return []byte("\uFFFD")
		}
		return m
	})
}

// parseJUnit reads kyua's JUnit. classOf maps a program path to kyua's
// classname for it ("tests/fork/t_fork" is "tests.fork.t_fork"); a class
// no listed program has keeps its dotted name.
func parseJUnit(data []byte, classOf map[string]string) ([]CaseResult, error) {
	dec := xml.NewDecoder(bytes.NewReader(sanitizeXML(data)))
	// kyua declares iso-8859-1 and writes the cases' bytes as they are,
	// which for Go test output is UTF-8.
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	var s atf.JUnitSuite
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("kyua's JUnit: %v", err)
	}
	program := map[string]string{}
	for prog, class := range classOf {
		program[class] = prog
	}
	out := make([]CaseResult, 0, len(s.Cases))
	for _, c := range s.Cases {
		prog, ok := program[c.Classname]
		if !ok {
			prog = c.Classname
		}
		r := CaseResult{Name: prog + ":" + c.Name, Program: prog, Ident: c.Name, Area: areaOf(prog), Stdout: c.SystemOut}
		r.Duration, _ = strconv.ParseFloat(c.Time, 64)
		switch {
		case c.Error != nil:
			r.Result, r.Reason = atf.Broken, c.Error.Message
		case c.Failure != nil:
			r.Result, r.Reason = atf.Failed, c.Failure.Message
		case c.Skipped != nil:
			r.Result, r.Reason = atf.Skipped, details(c.SystemErr, atf.SkippedDetails)
		case strings.HasPrefix(c.SystemErr, atf.XFailDetails):
			r.Result, r.Reason = atf.XFail, details(c.SystemErr, atf.XFailDetails)
		default:
			r.Result = atf.Passed
		}
		out = append(out, r)
	}
	return out, nil
}

// details is the text of system-err's section headed title: the lines
// after the title's underline up to the blank line that ends it.
func details(stderr, title string) string {
	i := strings.Index(stderr, title+"\n")
	if i < 0 {
		return ""
	}
	rest := stderr[i+len(title)+1:]
	if _, after, ok := strings.Cut(rest, "\n"); ok && strings.HasPrefix(rest, "---") {
		rest = after
	}
	rest = strings.TrimLeft(rest, "\n")
	if end := strings.Index(rest, "\n\n"); end >= 0 {
		rest = rest[:end]
	}
	return strings.TrimSpace(rest)
}

// junitClass is kyua's classname for a program path.
func junitClass(program string) string { return strings.ReplaceAll(program, "/", ".") }
