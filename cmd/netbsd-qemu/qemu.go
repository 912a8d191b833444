package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"ptracesuite/cmd/netbsd-qemu/internal/bootproto"
)

// Watchdog limits of a boot, before -timeout-scale.
const (
	// bootLimit: from qemu's start to init's hello (measured: ≈ 8 s wall).
	bootLimit = 180 * time.Second
	// caseMargin: added to a case's own limits (body + cleanup) before the
	// host declares the kernel hung.
	caseMargin = 60 * time.Second
	// idleLimit: between one case's result and the next frame (listing a
	// program, killing and reaping the last case's processes).
	idleLimit = 120 * time.Second
	// panicGrace: how long qemu may keep running after the kernel's panic line
	// (it prints a backtrace and reboots, which ends qemu).
	panicGrace = 20 * time.Second
	// exitGrace: how long qemu may take to exit after init's done frame or
	// error frame.
	exitGrace = 30 * time.Second
)

// qemuArgs is the machine: a PC with one qemu64 CPU under TCG, 1 GiB, the
// image as a CD it boots from, the first serial port on stdio, no display,
// and -no-reboot so that the guest's reboot(2) ends qemu.
func qemuArgs(iso string) []string {
	return []string{
		"-machine", "pc,accel=tcg", "-cpu", "qemu64", "-smp", "1", "-m", "1024",
		"-cdrom", iso, "-boot", "d",
		"-display", "none", "-monitor", "none", "-serial", "stdio",
		"-no-reboot",
	}
}

// tool names a host program; tests replace qemu and grub-mkrescue with fakes.
func (r *runner) tool(name string) string {
	if t, ok := r.tools[name]; ok {
		return t
	}
	return name
}

// bootResult is one boot: its session and where the time went.
type bootResult struct {
	sess       *session
	plan       *bootproto.Plan
	end        endKind
	consoleLog string
	imageTime  time.Duration // tree + grub-mkrescue
	helloTime  time.Duration // qemu start to init's hello
	wallTime   time.Duration // qemu start to qemu exit
	qemuStderr string
}

// bootOnce builds the image for plan, boots it and follows its console until
// qemu exits or is killed. onResult is called for every result as it arrives.
func (r *runner) bootOnce(ctx context.Context, plan *bootproto.Plan, onResult func(caseResult)) (*bootResult, error) {
	dir := filepath.Join(r.work, fmt.Sprintf("boot-%d", plan.Boot))
	defer os.RemoveAll(dir)
	tree, iso := filepath.Join(dir, "tree"), filepath.Join(dir, "image.iso")
	spec := imageSpec{kernel: r.kernel, guestinit: r.guestinit, plan: plan, root: r.cfg.root}
	for _, p := range plan.Programs {
		spec.programs = append(spec.programs, r.progs[p.Name])
	}
	t0 := time.Now()
	if err := buildTree(spec, tree); err != nil {
		return nil, err
	}
	if err := makeISO(ctx, r.tool("grub-mkrescue"), tree, iso); err != nil {
		return nil, err
	}
	os.RemoveAll(tree)
	br := &bootResult{plan: plan, sess: newSession(plan.Boot, plan), imageTime: time.Since(t0),
		consoleLog: filepath.Join(r.cfg.outDir, fmt.Sprintf("console-boot-%d.log", plan.Boot))}

	logf, err := os.Create(br.consoleLog)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(r.tool("qemu-system-x86_64"), qemuArgs(iso)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t1 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("qemu-system-x86_64: %v", err)
	}

	lines := make(chan string, 256)
	go func() {
		defer close(lines)
		br := bufio.NewReaderSize(io.TeeReader(stdout, logf), 64<<10)
		for {
			l, err := br.ReadString('\n')
			if l != "" {
				lines <- strings.TrimSuffix(l, "\n")
			}
			if err != nil {
				return
			}
		}
	}()

	scale := r.cfg.timeoutScale
	scaled := func(d time.Duration) time.Duration { return time.Duration(float64(d) * scale) }
	watchdog := time.NewTimer(scaled(bootLimit))
	defer watchdog.Stop()
	reset := func(d time.Duration) {
		watchdog.Stop()
		watchdog.Reset(d)
	}
	killed := false
	s := br.sess
loop:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break loop
			}
			switch s.line(l) {
			case evHello:
				br.helloTime = time.Since(t1)
				reset(scaled(idleLimit))
			case evStart:
				reset(s.limit + scaled(caseMargin))
			case evResult:
				onResult(s.results[len(s.results)-1])
				reset(scaled(idleLimit))
			case evPanic:
				reset(panicGrace)
			case evDone, evGuestErr:
				reset(exitGrace)
			}
		case <-watchdog.C:
			killed = true
			cmd.Process.Kill()
		case <-ctx.Done():
			cmd.Process.Kill()
			for range lines {
			}
			cmd.Wait()
			br.wallTime = time.Since(t1)
			br.end = endKilled
			return br, ctx.Err()
		}
	}
	cmd.Wait()
	br.wallTime = time.Since(t1)
	br.qemuStderr = strings.TrimSpace(stderr.String())
	switch {
	case s.panicMsg != "":
		br.end = endPanicked
	case killed && !s.done:
		br.end = endHang
	default:
		br.end = endExited
	}
	before := len(s.results)
	s.finish(br.end, time.Now())
	for _, res := range s.results[before:] {
		onResult(res)
	}
	return br, nil
}
