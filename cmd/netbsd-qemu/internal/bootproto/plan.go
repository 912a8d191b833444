// Package bootproto is the contract between the host runner (cmd/netbsd-qemu)
// and the guest init (cmd/netbsd-qemu/guestinit): the plan file the host puts
// into the image, and the framed lines the guest writes to the console.
//
// Everything here is portable and tested on Linux; the guest links it into a
// NetBSD binary.
package bootproto

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
)

// PlanPath is where the host puts the plan in the image.
const PlanPath = "/plan.json"

// DefaultCaseTimeout is kyua's default for a case whose listing has no
// timeout property (atf-test-case(4), kyua engine/atf_list.cpp).
const DefaultCaseTimeout = 300

// CleanupTimeout is kyua's fixed limit for a case's cleanup part
// (scheduler::cleanup_timeout).
const CleanupTimeout = 60

// Plan is what one boot does.
type Plan struct {
	// Boot numbers the boots of one run, from 1; it is echoed in the hello frame
	// so that a console log can be matched to its plan.
	Boot int `json:"boot"`
	// Vars are the configuration variables passed to every program as -v
	// name=value, sorted by name as kyua sorts them.
	Vars []Var `json:"vars,omitempty"`
	// TimeoutScale multiplies every case's timeout (1 = kyua's rule).
	TimeoutScale float64 `json:"timeout_scale"`
	// Programs run in this order; each runs the cases named in it.
	Programs []Program `json:"programs"`
}

// Var is one configuration variable.
type Var struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Program is one ATF test program in the image.
type Program struct {
	// Name is the program's base name, e.g. t_fork; cases are named Name:ident.
	Name string `json:"name"`
	// Path is its absolute path in the image, e.g. /tests/fork/t_fork.
	Path string `json:"path"`
	// Cases are the idents to run in this boot, in order.
	Cases []string `json:"cases"`
	// Expected is every ident the host's listing of the program had. The guest
	// compares its own listing with it and reports the difference: a planned
	// case the NetBSD build does not declare is not run, and the NetBSD
	// listing is what counts.
	Expected []string `json:"expected,omitempty"`
	// Unlisted are ident globs (path.Match): the cases that only the NetBSD
	// listing has and that match one of them also run in this boot, after
	// Cases. The host sets them in one boot per program, so that such a case
	// runs once.
	Unlisted []string `json:"unlisted,omitempty"`
}

// MatchAny reports whether ident matches one of the globs.
func MatchAny(globs []string, ident string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, ident); ok {
			return true
		}
	}
	return false
}

// NumCases counts the cases of a plan.
func (p *Plan) NumCases() int {
	n := 0
	for _, pr := range p.Programs {
		n += len(pr.Cases)
	}
	return n
}

// Encode writes a plan as indented JSON.
func (p *Plan) Encode() ([]byte, error) {
	return json.MarshalIndent(p, "", "  ")
}

// DecodePlan parses and checks a plan.
func DecodePlan(b []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("plan: %v", err)
	}
	if p.TimeoutScale <= 0 {
		p.TimeoutScale = 1
	}
	if !sort.SliceIsSorted(p.Vars, func(i, j int) bool { return p.Vars[i].Name < p.Vars[j].Name }) {
		return nil, fmt.Errorf("plan: vars are not sorted by name")
	}
	for _, pr := range p.Programs {
		if pr.Name == "" || pr.Path == "" {
			return nil, fmt.Errorf("plan: program without name or path")
		}
	}
	return &p, nil
}
