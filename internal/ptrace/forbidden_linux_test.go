package ptrace

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A process group whose leader died and which has no member left leaves
// the kill set with the leader: its id is free for the kernel to reuse. A
// group that still has a member stays (its id cannot be reused while it
// does), so KillAll still reaches the member that outlived its leader.
func TestEmptyGroupLeavesKillSet(t *testing.T) {
	// leader starts a group; with member, the group outlives its leader.
	leader := func(member bool) (int, *exec.Cmd) {
		script := "exec sleep 30"
		if member {
			script = "sleep 30 & wait"
		}
		cmd := exec.Command("sh", "-c", script)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pid := cmd.Process.Pid
		t.Cleanup(func() { syscall.Kill(-pid, syscall.SIGKILL); cmd.Wait() })
		return pid, cmd
	}
	alone, aloneCmd := leader(false)
	outlived, outlivedCmd := leader(true)
	for syscall.Kill(-outlived, 0) == nil && !groupHasOther(outlived) {
		time.Sleep(time.Millisecond) // until sh has started its member
	}
	tr := &Tracer{known: map[int]string{alone: "leader", outlived: "leader"}, dead: map[int]bool{}, reported: map[[3]int]bool{}, inSyscall: map[sysKey]int{}}
	tr.pgids = []int{alone, outlived}
	for _, c := range []*exec.Cmd{aloneCmd, outlivedCmd} {
		c.Process.Signal(syscall.SIGKILL) // the leader only
		c.Wait()
		tr.died(c.Process.Pid)
	}
	if len(tr.pgids) != 1 || tr.pgids[0] != outlived {
		t.Fatalf("after both leaders died (group %d empty, group %d with a member left), the kill set's groups are %v, want [%d]", alone, outlived, tr.pgids, outlived)
	}
	tr.KillAll()
	for syscall.Kill(-outlived, 0) == nil && groupHasOther(outlived) {
		time.Sleep(time.Millisecond)
	}
}

// groupHasOther reports whether process group g has a member other than
// its leader g that is not a zombie (from /proc).
func groupHasOther(g int) bool {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == g {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		if len(f) > 2 && f[2] == strconv.Itoa(g) && f[0] != "Z" {
			return true
		}
	}
	return false
}
