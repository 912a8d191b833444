// Command guestinit is /sbin/init of the NetBSD image that cmd/netbsd-qemu
// boots.
//
// As init (pid 1) it gives itself a console and the file systems a test case
// needs (tmpfs on /dev and /tmp, procfs on /proc), reads the plan the host put
// into the image (/plan.json), runs every case of it the way kyua runs an ATF
// test case, reports on the console in framed lines (package bootproto), and
// reboots, which ends qemu.
//
// The image's /bin/echo, which the suite execs and posix_spawns, is not
// this program but a one-LWP static ELF (cmd/netbsd-qemu/echoelf.go).
//
// It is built with GOOS=netbsd GOARCH=amd64 CGO_ENABLED=0. The NetBSD-only
// parts (mount, mknod, reboot) are in *_netbsd.go; the case runner is portable
// POSIX and its tests run on Linux.
package main
