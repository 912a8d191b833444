package atfshim

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestListingExact(t *testing.T) {
	cases := []*tcase{
		{ident: "plain", meta: Meta{}},
		{ident: "full", meta: Meta{
			Descr: "PT_DETACH: lets it run", Timeout: 30 * time.Second, RequireUser: "root",
			HasCleanup: true, Cleanup: func() error { return nil }, Racy: "PR kern/1: wakeup race",
		}},
		{ident: "unpriv", meta: Meta{RequireUser: "unprivileged", Timeout: 1500 * time.Millisecond}},
	}
	want := `Content-Type: application/X-atf-tp; version="1"

ident: plain
has.cleanup: false
timeout: 75

ident: full
descr: PT_DETACH: lets it run
has.cleanup: true
require.user: root
timeout: 45
X-racy: PR kern/1: wakeup race

ident: unpriv
has.cleanup: false
require.user: unprivileged
timeout: 17
`
	got := listing(cases)
	if string(got) != want {
		t.Errorf("listing:\n%s\nwant:\n%s", got, want)
	}
	if err := parseListing(got); err != nil {
		t.Errorf("listing rejected by the kyua grammar: %v", err)
	}
}

// parseListing applies the rules kyua 0.14's engine/atf_list.cpp enforces
// (§2), so that listings of any shape can be checked, not only known bytes.
func parseListing(b []byte) error {
	if !bytes.HasSuffix(b, []byte("\n")) {
		return fmt.Errorf("last line not newline-terminated (kyua drops it)")
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if lines[0] != listingHeader {
		return fmt.Errorf("invalid header %q", lines[0])
	}
	if len(lines) < 2 || lines[1] != "" {
		return fmt.Errorf("expecting a blank line after the header")
	}
	allowed := map[string]bool{
		"descr": true, "has.cleanup": true, "require.arch": true, "require.config": true,
		"require.files": true, "require.machine": true, "require.memory": true,
		"require.progs": true, "require.user": true, "timeout": true,
	}
	idents := map[string]bool{}
	var block map[string]bool
	for i, line := range lines[2:] {
		if line == "" {
			if block == nil {
				return fmt.Errorf("line %d: double blank line", i+3)
			}
			block = nil
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			return fmt.Errorf("line %d: invalid property line %q", i+3, line)
		}
		if block == nil {
			if name != "ident" || checkIdent(value) != nil || idents[value] {
				return fmt.Errorf("line %d: block must start with a new plain ident, got %q", i+3, line)
			}
			idents[value] = true
			block = map[string]bool{"ident": true}
			continue
		}
		custom := strings.HasPrefix(name, "X-") && len(name) > 2
		if !allowed[name] && !custom || block[name] {
			return fmt.Errorf("line %d: unknown or duplicate property %q", i+3, name)
		}
		block[name] = true
		switch {
		case name == "has.cleanup" && value != "true" && value != "false",
			name == "timeout" && (value == "0" || strings.Trim(value, "0123456789") != "" || value == ""),
			name == "require.user" && value != "root" && value != "unprivileged":
			return fmt.Errorf("line %d: invalid value %q", i+3, line)
		}
	}
	if block == nil {
		return fmt.Errorf("trailing blank line or no test cases")
	}
	return nil
}

func TestParseListingRejects(t *testing.T) {
	good := listingHeader + "\n\nident: a\ntimeout: 5\n"
	if err := parseListing([]byte(good)); err != nil {
		t.Fatalf("good listing rejected: %v", err)
	}
	for _, bad := range []string{
		strings.TrimSuffix(good, "\n"),
		good + "\n",
		strings.Replace(good, "\n\n", "\n", 1),
		strings.Replace(good, "version=\"1\"", "version=\"2\"", 1),
		good + "\n\nident: b\n",
		good + "\nident: a\n",
		good + "\nident: b\nfoo: x\n",
		good + "\nident: b\ntimeout: 0\n",
		good + "\nident: b\nhas.cleanup: yes\n",
		good + "\nident: b\ndescr:x\n",
		listingHeader + "\n",
	} {
		if parseListing([]byte(bad)) == nil {
			t.Errorf("accepted bad listing %q", bad)
		}
	}
}
