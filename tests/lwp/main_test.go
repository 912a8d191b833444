// Package lwp is the ATF program t_lwp: what the kernel tells a tracer about
// the LWPs (threads) of a traced process. LWP_CREATE and LWP_EXIT events
// (NetBSD's trace_thread_*, threads_and_exec), LWP inspection
// (traceme_lwpinfo*, traceme_lwpnext*, PT_LWPSTATUS), PT_SUSPEND/PT_RESUME/
// PT_STOP (suspend_no_deadlock, resume, pt_kill's PT_STOP), the event-mask round
// trip (eventmask_preserved_*), and the known LWP races as opt-in racy
// cases with a repeat mode that measures them (thread_concurrent_signals,
// PR kern/54960, which NetBSD's suite skips unconditionally).
//
// Every LWP counted here is one the scenario made itself with package raw
// and reported by id; the Go runtime's own threads are never counted.
package lwp

import (
	"testing"

	"ptracesuite/atfshim"
	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracee"
)

func TestMain(m *testing.M) {
	tracee.RunIfRequested()
	semantics.DumpIfRequested()
	atfshim.Main(m)
}
