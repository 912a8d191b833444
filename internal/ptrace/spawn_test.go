package ptrace

import (
	"testing"
)

// The core spawns any command traced from its exec and follows it to its
// end, from another goroutine (each request hops to the tracer thread) and
// from inside Do (each runs there at once; a hop would deadlock).
func TestSpawnCommand(t *testing.T) {
	for _, inside := range []bool{false, true} {
		tr, err := New(WithSafetyNets(true))
		if err != nil {
			t.Fatal(err)
		}
		run := func() {
			pid, ev, err := tr.Spawn(Cmd{Path: "/bin/sh", Argv: []string{"sh", "-c", "exit 3"}, What: "sh"})
			if err != nil {
				t.Errorf("Spawn: %v", err)
				return
			}
			if ev.Pid != pid || !(ev.Kind == Exec || ev.Kind == Stopped) {
				t.Errorf("Spawn's stop: %v of pid %d", ev, pid)
			}
			if _, ok := tr.Tracked()[pid]; !ok {
				t.Errorf("spawned pid %d is not tracked", pid)
			}
			if err := tr.Syscall(pid, 0); err != nil {
				t.Errorf("PT_SYSCALL: %v", err)
				return
			}
			var calls int
			for {
				ev, err := tr.Wait(pid)
				if err != nil {
					t.Errorf("Wait: %v", err)
					return
				}
				if ev.Terminal() {
					if ev.Kind != Exited || ev.Status != 3 {
						t.Errorf("sh -c 'exit 3' ended %v", ev)
					}
					break
				}
				if ev.Kind == SyscallEntry {
					calls++
				}
				if err := tr.Syscall(pid, 0); err != nil {
					t.Errorf("PT_SYSCALL: %v", err)
					return
				}
			}
			if calls == 0 {
				t.Errorf("no syscall entry stops")
			}
			if _, ok := tr.Tracked()[pid]; ok {
				t.Errorf("pid %d is still tracked after its death was collected", pid)
			}
		}
		if inside {
			tr.Do(run)
		} else {
			run()
		}
		tr.KillAll()
		tr.ReapAll()
		tr.Close()
	}
}
