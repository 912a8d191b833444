package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	var b bytes.Buffer
	c, err := parseArgs([]string{"-kernel", "k", "-j", "3", "-v", "racy=true", "-v", "a=b=c d", "-v", "racy=false",
		"-cases", "t_fork:*,t_ptio:zero_length_*,t_lwp", "-root", "cd0d", "-timeout-scale", "2.5"}, &b)
	if err != nil {
		t.Fatal(err)
	}
	if c.jobs != 3 || c.root != "cd0d" || c.timeoutScale != 2.5 || len(c.filters) != 3 {
		t.Errorf("config %+v", c)
	}
	if len(c.vars) != 2 || c.vars[0].Name != "a" || c.vars[0].Value != "b=c d" || c.vars[1].Value != "false" {
		t.Errorf("vars %+v (sorted by name, split at the first =, last one wins)", c.vars)
	}
	if f := c.filters[2]; f.prog != "t_lwp" || f.ident != "*" {
		t.Errorf("bare program filter %+v", f)
	}
	if !c.filters[1].match("t_ptio", "zero_length_piod_d_read") || c.filters[1].match("t_ptio", "cross_unmapped_piod_d_read") {
		t.Error("filter match")
	}
}

func TestParseArgsErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-kernel", "k", "-j", "0"},
		{"-kernel", "k", "-j", "-1"},
		{"-kernel", "k", "-v", "noequals"},
		{"-kernel", "k", "-v", "=x"},
		{"-kernel", "k", "-cases", "t_fork:[x"},
		{"-kernel", "k", "-cases", "t_fork:a,,b"},
		{"-kernel", "k", "-cases", ":x"},
		{"-kernel", "k", "-cases", "t_fork:a:b"},
		{"-kernel", "k", "-timeout-scale", "0"},
		{"-kernel", "k", "-timeout-scale", "x"},
		{"-kernel", "k", "-root", "/dev/cd0d"},
		{"-kernel", "k", "extra"},
		{"-kernel", "k", "-nosuchflag"},
		{"-kernel", "k", "-allow-diff", "t_a:*"},
		{"-compare", "a.json"},
		{"-compare", "a.json", "b.json", "-kernel", "k"},
	} {
		if _, err := parseArgs(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%q: accepted", args)
		} else if _, ok := err.(usageError); !ok {
			t.Errorf("%q: %T is not a usage error", args, err)
		}
	}
}

// Bad input through the whole command: exit 2 and one line on stderr, before
// anything is built or booted.
func TestBadInputExit2(t *testing.T) {
	dir := t.TempDir()
	notKernel := filepath.Join(dir, "notes.txt")
	os.WriteFile(notKernel, []byte("hello, not a kernel\n"), 0o644)
	gzNotKernel := filepath.Join(dir, "notes.gz")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("hello, not a kernel either\n"))
	zw.Close()
	os.WriteFile(gzNotKernel, gz.Bytes(), 0o644)
	elfNotNetBSD, _ := os.Executable() // a Linux ELF executable
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-kernel", filepath.Join(dir, "missing")}, "no such file"},
		{[]string{"-kernel", dir}, "not a file"},
		{[]string{"-kernel", notKernel, "-o", out}, "neither an ELF file nor gzip"},
		{[]string{"-kernel", gzNotKernel, "-o", out}, "not a kernel"},
		{[]string{"-kernel", elfNotNetBSD, "-o", out}, "not a"},
		{[]string{"-kernel", notKernel, "-cases", "t_fork:["}, "bad glob"},
		{[]string{"-kernel", notKernel, "-v", "racy"}, "not name=value"},
		{[]string{"-kernel", notKernel, "-j", "0"}, "at least 1"},
		{[]string{"-kernel", gzNotKernel, "-o", "/proc/version/x"}, "-o /proc/version/x"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if code != exitUsage || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
			t.Errorf("%q: exit %d, stderr %q, want exit 2 and one line with %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

func TestValidRootDev(t *testing.T) {
	for s, want := range map[string]bool{"cd0d": true, "wd0a": true, "dk3": true, "sd12e": true, "cd": false, "0a": false, "cd0dd": false, "cd0z": false} {
		if validRootDev(s) != want {
			t.Errorf("%q: %v", s, !want)
		}
	}
}
