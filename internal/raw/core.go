//go:build linux || netbsd

package raw

import (
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// CoreSetting is what decides whether this process dumps core when a
// signal with a core action kills it, as the process itself reads it.
type CoreSetting struct {
	// Pattern is where the kernel writes the dump: Linux
	// /proc/sys/kernel/core_pattern ("|helper" and "@socket" hand it to a
	// helper); NetBSD proc.curproc.corename. PatternErr says why it could
	// not be read ("" if it was).
	Pattern    string
	PatternErr string
	// Limit and Hard are RLIMIT_CORE's soft and hard limits; Infinite is
	// the kernel's RLIM_INFINITY.
	Limit, Hard, Infinite uint64
	// Dumpable is Linux prctl(PR_GET_DUMPABLE) (0 no dump, 1 yes, 2 only
	// as root to an absolute path); -1 where there is no such switch.
	Dumpable int
	// SetID: NetBSD issetugid(2) (P_SUGID: a set-id process dumps only
	// with kern.sugid_coredump); false on Linux, where Dumpable says it.
	SetID bool
	Umask int
	// Dir is the working directory, where a relative Pattern lands, and
	// DirWritable whether this process may create a file there.
	Dir         string
	DirWritable bool
	// InDir: Pattern names a plain file in Dir (no helper, no directory
	// part); only then did PrepareCore raise the soft limit.
	InDir bool
}

// PrepareCore makes a dump of this process land in dir or nowhere: it
// changes to dir; if the kernel's pattern names a plain file (relative,
// no directory part) it raises the soft RLIMIT_CORE to the hard one, so
// that the dump lands in dir, which the caller removes; otherwise it keeps
// the dump from being made at all (RLIMIT_CORE 0, and on Linux
// PR_SET_DUMPABLE 0, which also stops a pipe or socket helper from getting
// it), since a core outside dir would be left behind. It returns what it
// then reads back.
func PrepareCore(dir string) (CoreSetting, error) {
	var s CoreSetting
	if err := os.Chdir(dir); err != nil {
		return s, err
	}
	pattern, err := corePattern()
	s.Pattern = pattern
	if err != nil {
		s.PatternErr = err.Error()
	}
	s.InDir = err == nil && pattern != "" && !strings.ContainsAny(pattern[:1], "|@") && !strings.Contains(pattern, "/")
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &lim); err != nil {
		return s, err
	}
	if s.InDir {
		lim.Cur = lim.Max
	} else {
		lim.Cur = 0
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &lim); err != nil {
		return s, err
	}
	if !s.InDir {
		if err := keepCoreOut(); err != nil {
			return s, err
		}
	}
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &lim); err != nil {
		return s, err
	}
	s.Limit, s.Hard, s.Infinite = lim.Cur, lim.Max, unix.RLIM_INFINITY
	s.Dumpable, s.SetID = dumpable()
	s.Umask = unix.Umask(0)
	unix.Umask(s.Umask)
	s.Dir, err = os.Getwd()
	if err != nil {
		return s, err
	}
	s.DirWritable = unix.Access(".", unix.W_OK) == nil
	return s, nil
}
