package atfshim

import (
	"regexp"
	"strings"
	"testing"
)

func TestIsGoTestArgv(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{nil, false}, // no arguments: ATF usage error, not go test
		{[]string{"-test.paniconexit0", "-test.timeout=10m0s"}, true},
		{[]string{"-test.v=true", "-test.run=^X$", "-test.count=1"}, true},
		{[]string{"-l"}, false},
		{[]string{"-test.run", "^X$"}, false},
		{[]string{"-vracy=true", "-test.v=true"}, false},
	} {
		if got := isGoTestArgv(tt.args); got != tt.want {
			t.Errorf("isGoTestArgv(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestNarrowedRun(t *testing.T) {
	for _, tt := range []struct {
		args string
		want bool
	}{
		{"-test.paniconexit0 -test.timeout=10m0s -test.v=true", false},
		{"-test.run=", false},
		{"-test.run=^$", true},
		{"-test.skip=TestX", true},
		{"-test.list=.*", true},
		{"-test.failfast=true", true},
		{"-test.failfast", true},
		{"-test.failfast=false", false},
		{"-test.shuffle=on -test.count=3", false},
	} {
		if got := narrowedRun(strings.Fields(tt.args)); got != tt.want {
			t.Errorf("narrowedRun(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestRunPattern checks that the -test.run value selects exactly one Go
// test path, element by element as testing matches it.
func TestRunPattern(t *testing.T) {
	for _, tt := range []struct {
		path  string
		match []string
		miss  []string
	}{
		{"TestFork", []string{"TestFork"}, []string{"TestFork1", "XTestFork"}},
		{"TestFork/fork1", []string{"TestFork/fork1"}, []string{"TestFork/fork10", "TestForkX/fork1"}},
	} {
		pat := runPattern(tt.path)
		elems := strings.Split(pat, "/")
		matches := func(path string) bool {
			parts := strings.Split(path, "/")
			if len(parts) != len(elems) {
				return false
			}
			for i, p := range parts {
				if !regexp.MustCompile(elems[i]).MatchString(p) {
					return false
				}
			}
			return true
		}
		for _, p := range tt.match {
			if !matches(p) {
				t.Errorf("runPattern(%q) = %q does not match %q", tt.path, pat, p)
			}
		}
		for _, p := range tt.miss {
			if matches(p) {
				t.Errorf("runPattern(%q) = %q matches %q", tt.path, pat, p)
			}
		}
	}
}
