//go:build amd64

package main

// The image is amd64 only: the structures here are LP64 layouts.

import (
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// setupSystem turns the bare kernel environment into what a test case needs.
//
// pid 1 starts with no open descriptors; before main the Go runtime has opened
// /dev/null (the image's node, on the cd9660 root) for 0, 1 and 2. The console
// replaces them. Then tmpfs goes on /dev (the cd9660 root is read-only, and a
// case may need nodes the image lacks) and on /tmp (work directories), and
// procfs on /proc.
func setupSystem() error {
	fd, err := unix.Open("/dev/console", unix.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open /dev/console: %v", err) // lost: nowhere to write it
	}
	for _, std := range []int{0, 1, 2} {
		if fd != std {
			if err := unix.Dup2(fd, std); err != nil {
				return fmt.Errorf("dup2 console onto %d: %v", std, err)
			}
		}
	}
	if fd > 2 {
		unix.Close(fd)
	}
	// kyua runs every case with umask 022 and the soft core limit raised to
	// the hard one; set both here so that every child inherits them.
	unix.Umask(0o022)
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &lim); err == nil {
		lim.Cur = lim.Max
		unix.Setrlimit(unix.RLIMIT_CORE, &lim)
	}

	if err := mountTmpfs("/dev", 0o755); err != nil {
		return err
	}
	for _, n := range deviceNodes {
		if err := unix.Mknod("/dev/"+n.name, unix.S_IFCHR|n.mode, int(unix.Mkdev(n.major, n.minor))); err != nil {
			return fmt.Errorf("mknod /dev/%s: %v", n.name, err)
		}
	}
	if err := mountTmpfs("/tmp", 0o1777); err != nil {
		return err
	}
	if err := mountProcfs("/proc"); err != nil {
		return err
	}
	return nil
}

// deviceNodes are the character devices made in /dev (amd64 majors, from
// sys/arch/amd64/conf/majors.amd64 via sys/conf/majors).
var deviceNodes = []struct {
	name         string
	major, minor uint32
	mode         uint32
}{
	{"console", 0, 0, 0o600},
	{"tty", 1, 0, 0o666},
	{"mem", 2, 0, 0o640},
	{"kmem", 2, 1, 0o640},
	{"null", 2, 2, 0o666},
	{"zero", 2, 12, 0o666},
	{"random", 46, 0, 0o444},
	{"urandom", 46, 1, 0o644},
}

// sysMount is __mount50(type, path, flags, data, data_len): SYS___mount50 = 410
// in sys/sys/syscall.h (x/sys/unix calls it SYS_MOUNT and has no wrapper).
const sysMount = 410

// tmpfsArgs is struct tmpfs_args of sys/fs/tmpfs/tmpfs_args.h (LP64 layout).
type tmpfsArgs struct {
	Version  int32 // TMPFS_ARGS_VERSION
	_        int32
	NodesMax uint64 // 0: the default
	SizeMax  int64  // 0: the default
	RootUID  uint32
	RootGID  uint32
	RootMode uint32
	_        uint32
}

// tmpfsArgsVersion is TMPFS_ARGS_VERSION in sys/fs/tmpfs/tmpfs_args.h.
const tmpfsArgsVersion = 1

// procfsArgs is struct procfs_args of sys/miscfs/procfs/procfs.h.
type procfsArgs struct {
	Version int32 // PROCFS_ARGSVERSION
	Flags   int32 // PROCFSMNT_* (none)
}

// procfsArgsVersion is PROCFS_ARGSVERSION in sys/miscfs/procfs/procfs.h.
const procfsArgsVersion = 1

func mountTmpfs(path string, mode uint32) error {
	args := tmpfsArgs{Version: tmpfsArgsVersion, RootMode: mode}
	return mount("tmpfs", path, unsafe.Pointer(&args), unsafe.Sizeof(args))
}

func mountProcfs(path string) error {
	args := procfsArgs{Version: procfsArgsVersion}
	return mount("procfs", path, unsafe.Pointer(&args), unsafe.Sizeof(args))
}

func mount(fstype, path string, data unsafe.Pointer, size uintptr) error {
	t, err := unix.BytePtrFromString(fstype)
	if err != nil {
		return err
	}
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	_, _, e := unix.Syscall6(sysMount, uintptr(unsafe.Pointer(t)), uintptr(unsafe.Pointer(p)), 0,
		uintptr(data), size, 0)
	if e != 0 {
		return fmt.Errorf("mount %s on %s: %v", fstype, path, e)
	}
	return nil
}

// sysReboot is reboot(int opt, char *bootstr): SYS_reboot = 208 in
// sys/sys/syscall.h; rbNosync is RB_NOSYNC in sys/sys/reboot.h (the root is
// a read-only CD, there is nothing to sync).
const (
	sysReboot = 208
	rbNosync  = 0x4
)

// shutdown drains the console (so the last frames reach the host) and reboots;
// qemu runs with -no-reboot, so it exits.
func shutdown() {
	unix.Syscall(unix.SYS_IOCTL, 1, unix.TIOCDRAIN, 0)
	unix.Syscall(sysReboot, rbNosync, 0, 0)
	// reboot(2) does not return on success; should it fail, keep pid 1 alive
	// (its exit would panic the kernel) and let the host's watchdog end qemu.
	fmt.Fprintln(os.Stderr, "guestinit: reboot failed")
	for {
		time.Sleep(time.Hour)
	}
}
