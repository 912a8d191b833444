package main

import (
	"context"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// hostInfo is the kernel's identity: uname -srvm, then what only this OS
// has (hostExtra: /proc/version on Linux, kern.osrevision on NetBSD) and
// the CPU model.
func hostInfo() Host {
	h := Host{CPUs: runtime.NumCPU()}
	var u unix.Utsname
	if err := unix.Uname(&u); err == nil {
		h.Uname = strings.Join([]string{
			unix.ByteSliceToString(u.Sysname[:]), unix.ByteSliceToString(u.Release[:]),
			unix.ByteSliceToString(u.Version[:]), unix.ByteSliceToString(u.Machine[:]),
		}, " ")
	} else {
		h.Uname = "unknown (uname: " + err.Error() + ")"
	}
	hostExtra(&h)
	if h.CPU == "" {
		h.CPU = "unknown"
	}
	return h
}

// suiteVersion is `git describe --always --dirty` of the tree holding the
// Kyuafile when it is a git work tree, else the module version the command
// was built from (with its VCS revision when the build recorded one).
func suiteVersion(ctx context.Context, kyuafile string) string {
	cmd := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty")
	cmd.Dir = filepath.Dir(kyuafile)
	if out, err := cmd.Output(); err == nil {
		if v := strings.TrimSpace(string(out)); v != "" {
			return v + " (git describe)"
		}
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no git tree, no build info)"
	}
	v := bi.Main.Path + " " + bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += "-dirty"
			}
		}
	}
	return v + " (build info)"
}

// whoami is the user the cases run as.
func whoami() string {
	uid := unix.Getuid()
	name := "uid " + strconv.Itoa(uid)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		name = u.Username + " (uid " + strconv.Itoa(uid) + ")"
	}
	return name
}
