package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

// tools are the host programs a run needs, with the Debian package of each.
var tools = []struct{ name, pkg string }{
	{"grub-mkrescue", "grub-common"},
	{"xorriso", "xorriso"},
	{"mformat", "mtools"},
	{"qemu-system-x86_64", "qemu-system-x86"},
}

// grubPCDir is where grub-pc-bin puts the BIOS modules grub-mkrescue needs.
const grubPCDir = "/usr/lib/grub/i386-pc"

// checkTools reports the first missing tool with the package that has it.
func checkTools() error {
	for _, t := range tools {
		if _, err := exec.LookPath(t.name); err != nil {
			return fmt.Errorf("%s not found: apt-get install %s (needs: qemu-system-x86 grub-pc-bin grub-common xorriso mtools)", t.name, t.pkg)
		}
	}
	if _, err := os.Stat(filepath.Join(grubPCDir, "modinfo.sh")); err != nil {
		return fmt.Errorf("%s missing (GRUB's BIOS modules): apt-get install grub-pc-bin", grubPCDir)
	}
	return nil
}

// grubConfig boots the kernel at /netbsd with the console on the first serial
// port and no menu delay. root, when set, is passed as knetbsd's --root
// (GRUB hands it to the kernel as the root device in its bootinfo).
func grubConfig(root string) string {
	load := "knetbsd /netbsd"
	if root != "" {
		load = "knetbsd --root=" + root + " /netbsd"
	}
	return `set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry netbsd {
  ` + load + `
}
`
}

// imageSpec is everything one boot's image holds.
type imageSpec struct {
	kernel    string // the plain ELF kernel
	guestinit string
	programs  []*program // those the plan names
	plan      *bootproto.Plan
	root      string // -root
}

// errNeedRoot is returned when the device nodes cannot be made.
var errNeedRoot = errors.New("building the image needs root (CAP_MKNOD): it makes the device nodes dev/console and dev/null")

// buildTree lays out the image's file tree in dir. Files are hard links to
// the build outputs where possible (same file system), copies otherwise.
func buildTree(spec imageSpec, dir string) error {
	for _, d := range []string{"boot/grub", "sbin", "bin", "dev", "tmp", "proc"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.Chmod(filepath.Join(dir, "tmp"), 0o1777); err != nil {
		return err
	}
	files := map[string]string{
		"netbsd":    spec.kernel,
		"sbin/init": spec.guestinit,
	}
	for _, p := range spec.programs {
		files[strings.TrimPrefix(p.imagePath(), "/")] = p.netbsd
	}
	for dst, src := range files {
		dst = filepath.Join(dir, dst)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := linkOrCopy(src, dst); err != nil {
			return err
		}
	}
	// A one-LWP echo, as on a NetBSD system (see echoelf.go).
	if err := os.WriteFile(filepath.Join(dir, "bin/echo"), echoELF(), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "boot/grub/grub.cfg"), []byte(grubConfig(spec.root)), 0o644); err != nil {
		return err
	}
	plan, err := spec.plan.Encode()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(bootproto.PlanPath, "/")), plan, 0o644); err != nil {
		return err
	}
	// init starts with no descriptors; the Go runtime opens /dev/null for
	// them before main and exits if it cannot (the kernel then panics "init
	// died"); init then opens /dev/console. Rock Ridge keeps these nodes.
	for _, n := range []struct {
		name         string
		major, minor uint32
		mode         uint32
	}{{"console", 0, 0, 0o600}, {"null", 2, 2, 0o666}} {
		dev := unix.Mkdev(n.major, n.minor) // Linux encoding: Rock Ridge stores major and minor
		if err := unix.Mknod(filepath.Join(dir, "dev", n.name), unix.S_IFCHR|n.mode, int(dev)); err != nil {
			if errors.Is(err, unix.EPERM) {
				return errNeedRoot
			}
			return fmt.Errorf("mknod dev/%s: %v", n.name, err)
		}
	}
	return nil
}

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// makeISO turns the tree into a hybrid BIOS-bootable ISO with grub-mkrescue.
func makeISO(ctx context.Context, tool, tree, iso string) error {
	cmd := exec.CommandContext(ctx, tool, "-d", grubPCDir, "-o", iso, tree)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("grub-mkrescue: %v: %s", err, strings.TrimSpace(out.String()))
	}
	return nil
}
