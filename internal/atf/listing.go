// Package atf is the part of kyua that a runner needs: parsing an ATF test
// program's listing (-l), parsing its result file, and reconciling that result
// with how the process ended (kyua's engine/atf_list.cpp and
// engine/atf_result.cpp, as probed against Debian's kyua 0.14).
package atf

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ListingHeader is the exact first line of a listing.
const ListingHeader = `Content-Type: application/X-atf-tp; version="1"`

// DefaultTimeout applies to a case whose listing has no timeout property.
const DefaultTimeout = 300 * time.Second

// Case is one test case of a listing.
type Case struct {
	Ident      string
	Timeout    time.Duration
	HasCleanup bool
	// RequireConfig are the configuration variables the case needs
	// (require.config); kyua skips the case when one is not set.
	RequireConfig []string
	// RequireProgs and RequireFiles are checked in the guest before the body
	// runs, as kyua does.
	RequireProgs []string
	RequireFiles []string
	// RequireUser is "root", "unprivileged" or "".
	RequireUser string
	// Props holds every property as listed, for reports.
	Props map[string]string
}

var knownProps = map[string]bool{
	"descr": true, "has.cleanup": true, "require.arch": true, "require.config": true,
	"require.files": true, "require.machine": true, "require.memory": true,
	"require.progs": true, "require.user": true, "timeout": true,
}

// ParseListing parses the output of PROG -l with kyua's rules: the exact
// header, one blank line, blocks that start with "ident: ", one blank line
// between blocks, only known properties (or X-*), no repeated property, typed
// values. Any violation is an error, as kyua turns it into a broken
// __test_cases_list__.
func ParseListing(out string) ([]Case, error) {
	if !strings.HasSuffix(out, "\n") {
		// kyua drops an unterminated last line; being stricter costs nothing here.
		return nil, fmt.Errorf("listing does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != ListingHeader {
		return nil, fmt.Errorf("Invalid header for test case list; expecting Content-Type for application/X-atf-tp version 1, got '%s'", lines[0])
	}
	if len(lines) < 2 || lines[1] != "" {
		got := ""
		if len(lines) >= 2 {
			got = lines[1]
		}
		return nil, fmt.Errorf("Invalid header for test case list; expecting a blank line, got '%s'", got)
	}
	var cases []Case
	seen := map[string]bool{}
	var cur *Case
	finish := func() error {
		if cur == nil {
			return nil
		}
		if seen[cur.Ident] {
			return fmt.Errorf("duplicate test case ident %q", cur.Ident)
		}
		seen[cur.Ident] = true
		cases = append(cases, *cur)
		cur = nil
		return nil
	}
	for i, l := range lines[2:] {
		if l == "" {
			if cur == nil {
				return nil, fmt.Errorf("Invalid property line; expecting line of the form 'name: value' (line %d is an extra blank line)", i+3)
			}
			if err := finish(); err != nil {
				return nil, err
			}
			continue
		}
		name, value, ok := strings.Cut(l, ": ")
		if !ok {
			return nil, fmt.Errorf("Invalid property line; expecting line of the form 'name: value' but got '%s'", l)
		}
		if cur == nil {
			if name != "ident" || value == "" {
				return nil, fmt.Errorf("Invalid test case definition; must be preceeded by the identifier")
			}
			cur = &Case{Ident: value, Timeout: DefaultTimeout, Props: map[string]string{}}
			continue
		}
		if !knownProps[name] && !(strings.HasPrefix(name, "X-") && len(name) > 2) {
			return nil, fmt.Errorf("Unknown test case metadata property '%s'", name)
		}
		if _, dup := cur.Props[name]; dup {
			return nil, fmt.Errorf("Duplicate value for property %s", name)
		}
		cur.Props[name] = value
		switch name {
		case "timeout":
			n, err := strconv.ParseUint(value, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("Invalid value for property 'timeout': Invalid time delta %s", value)
			}
			cur.Timeout = time.Duration(n) * time.Second
		case "has.cleanup":
			switch value {
			case "true":
				cur.HasCleanup = true
			case "false":
			default:
				return nil, fmt.Errorf("Invalid value for property 'has_cleanup': %s", value)
			}
		case "require.config":
			cur.RequireConfig = strings.Fields(value)
		case "require.progs":
			cur.RequireProgs = strings.Fields(value)
		case "require.files":
			cur.RequireFiles = strings.Fields(value)
		case "require.user":
			if value != "root" && value != "unprivileged" {
				return nil, fmt.Errorf("Invalid value for property 'required_user': Invalid required user value")
			}
			cur.RequireUser = value
		}
	}
	if cur == nil && len(cases) > 0 {
		return nil, fmt.Errorf("Invalid property line; the listing ends in a blank line")
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("No test cases")
	}
	return cases, nil
}
