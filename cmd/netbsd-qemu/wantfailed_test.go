package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ptracesuite/internal/atf"
)

// -want-failed passes exactly when the listed cases failed and nothing
// else failed or broke.
func TestWantFailedStatus(t *testing.T) {
	want, err := parseFilters("want-failed", "t_ptio:zero_length_*,t_clone:clone_vm2")
	if err != nil {
		t.Fatal(err)
	}
	res := func(cats ...string) []caseResult {
		ids := []string{"zero_length_piod_d_read", "clone_vm2", "clone1"}
		progs := []string{"t_ptio", "t_clone", "t_clone"}
		var rs []caseResult
		for i, c := range cats {
			rs = append(rs, caseResult{Program: progs[i], Ident: ids[i], Category: c})
		}
		return rs
	}
	var out strings.Builder
	for _, tc := range []struct {
		rs   []caseResult
		want int
	}{
		{res(atf.Failed, atf.Failed, atf.Passed), exitOK},
		{res(atf.Failed, atf.Passed, atf.Passed), exitFailed},  // a listed case passed
		{res(atf.Failed, atf.Failed, atf.Failed), exitFailed},  // an unlisted case failed
		{res(atf.Failed, atf.Failed, atf.Broken), exitFailed},  // an unlisted case broke
		{res(atf.Broken, atf.Failed, atf.Skipped), exitFailed}, // broken is not failed
	} {
		if got := wantFailedStatus(&out, tc.rs, want); got != tc.want {
			t.Errorf("%v: status %d, want %d\n%s", tc.rs, got, tc.want, out.String())
		}
	}
}

// A list can come from a file: commas or newlines, # comments.
func TestFiltersFromFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "list")
	os.WriteFile(f, []byte("# the seed fixes\nt_ptio:zero_length_* # PT_IO\nt_clone:clone_vm2,t_clone:clone_fs2\n"), 0o644)
	fs, err := parseFilters("cases", "@"+f)
	if err != nil || len(fs) != 3 || fs[0].text != "t_ptio:zero_length_*" || fs[2].text != "t_clone:clone_fs2" {
		t.Fatalf("parseFilters(@file) = %v, %v", fs, err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("# nothing\n"), 0o644)
	if _, err := parseFilters("cases", "@"+empty); err == nil {
		t.Errorf("an empty list file was accepted")
	}
	if _, err := parseFilters("cases", "@/nonexistent/list"); err == nil {
		t.Errorf("a missing list file was accepted")
	}
}
