// Command guestinit is /sbin/init (and /bin/echo) of the NetBSD image that
// cmd/netbsd-qemu boots.
//
// As init (pid 1) it gives itself a console and the file systems a test case
// needs (tmpfs on /dev and /tmp, procfs on /proc), reads the plan the host put
// into the image (/plan.json), runs every case of it the way kyua runs an ATF
// test case, reports on the console in framed lines (package bootproto), and
// reboots, which ends qemu.
//
// Started as "echo" (it is also installed as /bin/echo, which the suite execs
// and posix_spawns) it behaves as echo(1).
//
// It is built with GOOS=netbsd GOARCH=amd64 CGO_ENABLED=0. The NetBSD-only
// parts (mount, mknod, reboot) are in *_netbsd.go; the case runner is portable
// POSIX and its tests run on Linux.
package main
