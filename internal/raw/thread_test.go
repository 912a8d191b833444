//go:build linux || netbsd

package raw

import (
	"testing"
	"time"
)

// TestThreadsJoin: raw threads exist, get distinct ids other than the
// caller's, and are all joined, whether they exit at once or wait for the
// release.
func TestThreadsJoin(t *testing.T) {
	for _, prog := range []ThreadProg{ThreadExit, ThreadAwaitExit} {
		ts, err := StartThreads(20, ThreadSpec{Prog: prog})
		if err != nil {
			t.Fatalf("prog %d: %v", prog, err)
		}
		seen := map[int]bool{ThreadID(): true}
		for _, id := range ts.IDs() {
			if seen[id] || id <= 0 {
				t.Errorf("prog %d: thread id %d repeated or invalid", prog, id)
			}
			seen[id] = true
		}
		done := make(chan error, 1)
		go func() { done <- ts.Join() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("prog %d: join: %v", prog, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("prog %d: join did not return", prog)
		}
	}
}
