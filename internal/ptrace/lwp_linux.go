package ptrace

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// siginfo: si_signo at 0, si_code at 8 (include/uapi/asm-generic/siginfo.h).
func siginfoSignoCode(b []byte) (int, int) {
	return int(int32(binary.NativeEndian.Uint32(b[0:]))), int(int32(binary.NativeEndian.Uint32(b[8:])))
}

func tasks(pid int) ([]int, error) {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range ents {
		if id, err := strconv.Atoi(e.Name()); err == nil {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return ids, nil
}

// taskState is the state letter of /proc/PID/task/TID/stat ('t': ptrace stop).
func taskState(pid, tid int) (byte, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return 0, fmt.Errorf("/proc/%d/task/%d/stat: malformed", pid, tid)
	}
	return s[i+2], nil
}

func lwpInfo(pid int) ([]Lwp, error) {
	ids, err := tasks(pid)
	if err != nil {
		return nil, err
	}
	var out []Lwp
	for _, id := range ids {
		st, err := taskState(pid, id)
		if err != nil {
			continue // the thread ended meanwhile
		}
		out = append(out, Lwp{ID: id, Signalled: st == 't'})
	}
	return out, nil
}

func lwpStatus(pid int) ([]Lwp, error) {
	l, err := lwpInfo(pid)
	if err != nil {
		return nil, err
	}
	for i := range l {
		f, err := os.Open(fmt.Sprintf("/proc/%d/task/%d/status", pid, l[i].ID))
		if err != nil {
			return nil, err
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			k, v, _ := strings.Cut(s.Text(), ":")
			v = strings.TrimSpace(v)
			switch k {
			case "Name":
				l[i].Name = v
			case "SigBlk":
				n, err := strconv.ParseUint(v, 16, 64)
				if err != nil {
					f.Close()
					return nil, fmt.Errorf("task %d SigBlk: %v", l[i].ID, err)
				}
				l[i].Sigmask = SigSet(n)
			}
		}
		f.Close()
	}
	return l, nil
}

func suspend(int, int) error   { return ErrNoRequest }
func resumeLwp(int, int) error { return ErrNoRequest }

func stop(pid int) error { return unix.Tgkill(pid, pid, unix.SIGSTOP) }
