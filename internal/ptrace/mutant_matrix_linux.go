//go:build mutation && linux

package ptrace

// Wait-flavour mutants: a kernel bug in one wait(2) entry point only,
// which only the wait-flavour matrix (README "Wait-flavour matrix") runs
// every case under. Injected in the flavour's own call, where the kernel
// returns what it reports.

var _ = func() bool {
	Mutants["waitid-event-lost"] = "waitid(2) of a ptrace-event stop returns si_status SIGTRAP without the event (PTRACE_EVENT_* << 8 lost); wait4(2) reports it"
	return true
}()

func init() {
	if mutant != "waitid-event-lost" {
		return
	}
	for i := range flavours {
		if flavours[i].Name != "waitid" {
			continue
		}
		wait := flavours[i].wait
		flavours[i].wait = func(pid int) (int, uint32, []byte, error) {
			wpid, status, si, err := wait(pid)
			if err == nil && status&0xff == 0x7f && status>>16 != 0 {
				status &= 0xffff // the stop's signal, without its event
			}
			return wpid, status, si, err
		}
	}
}
