package atfshim

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseATFArgs(t *testing.T) {
	vars := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		argv []string
		want *atfArgs
		err  string
	}{
		// The exact argv lists kyua uses (§1).
		{"kyua list", []string{"-vK1=V1", "-vK2=V2", "-l"},
			&atfArgs{list: true, vars: vars("K1", "V1", "K2", "V2")}, ""},
		{"kyua body", []string{"-vK1=V1", "-r/tmp/kyua.X/1/result.atf", "tc"},
			&atfArgs{resfile: "/tmp/kyua.X/1/result.atf", vars: vars("K1", "V1"), tc: "tc", part: "body"}, ""},
		{"kyua cleanup", []string{"-vK1=V1", "tc:cleanup"},
			&atfArgs{vars: vars("K1", "V1"), tc: "tc", part: "cleanup"}, ""},
		{"separate arguments", []string{"-r", "/x", "-s", "/src", "-v", "a=b", "tc:body"},
			&atfArgs{resfile: "/x", srcdir: "/src", vars: vars("a", "b"), tc: "tc", part: "body"}, ""},
		{"value with = and spaces", []string{"-vatfconf_probe=a b=c", "-v", "e=", "tc"},
			&atfArgs{vars: vars("atfconf_probe", "a b=c", "e", ""), tc: "tc", part: "body"}, ""},
		{"cluster", []string{"-lvx=y"}, &atfArgs{list: true, vars: vars("x", "y")}, ""},
		{"double dash", []string{"-vx=1", "--", "-l"}, &atfArgs{vars: vars("x", "1"), tc: "-l", part: "body"}, ""},
		{"stop at first operand", []string{"tc", "-l"}, nil, "Cannot provide more than one test case name"},
		{"dash operand", []string{"-"}, &atfArgs{vars: vars(), tc: "-", part: "body"}, ""},
		{"no arguments", nil, nil, "Must provide a test case name"},
		{"unknown option", []string{"-x", "tc"}, nil, "Unknown option -x."},
		{"unknown in cluster", []string{"-lq"}, nil, "Unknown option -q."},
		{"go test flag in ATF mode", []string{"-test.run", "^X$"}, nil, "Unknown option -t. (go test mode"},
		{"-r without argument", []string{"-r"}, nil, "Option -r requires an argument."},
		{"option after operand", []string{"tc", "-v"}, nil, "Cannot provide more than one test case name"},
		{"-v last", []string{"-v"}, nil, "Option -v requires an argument."},
		{"-v without =", []string{"-vfoo", "tc"}, nil, "-v requires an argument of the form var=value"},
		{"-v empty name", []string{"-v=foo", "tc"}, nil, "-v requires an argument of the form var=value"},
		{"-l with case", []string{"-l", "tc"}, nil, "Cannot provide test case names with -l"},
		{"two operands", []string{"a", "b"}, nil, "Cannot provide more than one test case name"},
		{"bogus part", []string{"tc:bogus"}, nil, "Invalid test case part `bogus'"},
		{"empty part", []string{"tc:"}, nil, "Invalid test case part `'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseATFArgs(tt.argv)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("parseATFArgs(%q) error = %v, want prefix %q", tt.argv, err, tt.err)
				}
				if _, ok := err.(usageError); !ok {
					t.Errorf("error %T is not a usageError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseATFArgs(%q): %v", tt.argv, err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(atfArgs{})); diff != "" {
				t.Errorf("parseATFArgs(%q) mismatch (-want +got):\n%s", tt.argv, diff)
			}
		})
	}
}
