package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"ptracesuite/internal/atf"
)

// program is one ATF test program of the suite.
type program struct {
	area   string // fork
	name   string // t_fork
	netbsd string // path of the NetBSD/amd64 build
	cases  []atf.Case
}

// imagePath is where the program lives in the image.
func (p *program) imagePath() string { return "/tests/" + p.area + "/" + p.name }

// moduleRoot finds the suite's module root (the directory of go.mod), from
// `go env GOMOD` run in the current directory.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the suite's Go module: run from its tree (go env GOMOD is empty)")
	}
	root := filepath.Dir(mod)
	if _, err := os.Stat(filepath.Join(root, "tests")); err != nil {
		return "", fmt.Errorf("module %s has no tests/ directory", mod)
	}
	return root, nil
}

// areas lists the directories tests/<area>/ that have a Kyuafile: each is one
// ATF program t_<area>.
func areas(root string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(root, "tests", "*", "Kyuafile"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range m {
		out = append(out, filepath.Base(filepath.Dir(k)))
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("no tests/*/Kyuafile under %s", root)
	}
	return out, nil
}

// goBuild runs one go build / go test -c for GOOS/amd64 with cgo off.
func goBuild(ctx context.Context, root, goos string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH=amd64")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("GOOS=%s go %s: %v\n%s", goos, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// buildAll builds guestinit and every area's program for NetBSD, and a Linux
// build of each program whose -l listing gives the cases and their timeouts
// (the same declarations compile for both systems; the guest checks its own
// listing against it and reports any difference). At most par builds run at
// once.
func buildAll(ctx context.Context, root, dir string, names []string, par int) (guestinit string, progs []*program, err error) {
	guestinit = filepath.Join(dir, "guestinit")
	type job struct {
		run func() error
	}
	var jobs []job
	jobs = append(jobs, job{func() error {
		return goBuild(ctx, root, "netbsd", "build", "-trimpath", "-o", guestinit, "./cmd/netbsd-qemu/guestinit")
	}})
	for _, a := range names {
		p := &program{area: a, name: "t_" + a, netbsd: filepath.Join(dir, "tests", a, "t_"+a)}
		progs = append(progs, p)
		linux := filepath.Join(dir, "linux", p.name)
		jobs = append(jobs, job{func() error {
			return goBuild(ctx, root, "netbsd", "test", "-c", "-o", p.netbsd, "./tests/"+a)
		}}, job{func() error {
			if err := goBuild(ctx, root, "linux", "test", "-c", "-o", linux, "./tests/"+a); err != nil {
				return err
			}
			cases, err := hostListing(ctx, linux)
			if err != nil {
				return fmt.Errorf("%s -l (linux build): %v", p.name, err)
			}
			p.cases = cases
			return nil
		}})
	}
	sem := make(chan struct{}, max(par, 1))
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := j.run(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return "", nil, errors.Join(errs...)
	}
	return guestinit, progs, nil
}

// hostListing runs a program's listing the way kyua does.
func hostListing(ctx context.Context, bin string) ([]atf.Case, error) {
	ctx, cancel := context.WithTimeout(ctx, 300*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-l")
	cmd.Env = append(os.Environ(), "__RUNNING_INSIDE_ATF_RUN=internal-yes-value")
	cmd.Dir = filepath.Dir(bin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if stderr.Len() > 0 {
		return nil, fmt.Errorf("listing wrote to stderr: %s", strings.TrimSpace(stderr.String()))
	}
	return atf.ParseListing(stdout.String())
}
