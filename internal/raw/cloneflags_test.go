//go:build linux

package raw

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestCloneFlagValues(t *testing.T) {
	for _, c := range []struct {
		name      string
		ours, sys int
	}{
		{"CLONE_VM", CloneVM, unix.CLONE_VM}, {"CLONE_FS", CloneFS, unix.CLONE_FS},
		{"CLONE_FILES", CloneFiles, unix.CLONE_FILES}, {"CLONE_SIGHAND", CloneSighand, unix.CLONE_SIGHAND},
		{"CLONE_PTRACE", ClonePtrace, unix.CLONE_PTRACE}, {"CLONE_VFORK", CloneVfork, unix.CLONE_VFORK},
	} {
		if c.ours != c.sys {
			t.Errorf("%s = %#x, the kernel's is %#x", c.name, c.ours, c.sys)
		}
	}
}
