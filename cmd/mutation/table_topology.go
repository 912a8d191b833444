package main

// The permission rows (tests/topology): each refusal the kernel promises,
// its errno falsified (attach-errno-wrong: EPERM reported as EBUSY, any
// other errno as EPERM) or the refusal reported as success
// (attach-allowed: the asker then finds no attach stop, or the tracer
// gives the process back); the case must name the request, the pid and
// both errnos.
func init() {
	table = append(table,
		r("attach-errno-wrong", "PTRACE_ATTACH to pid 0 refused with EPERM instead of ESRCH",
			"tests/topology", "attach_pid0", `PTRACE_ATTACH\(pid 0, pid 0\) from pid \d+: got EPERM, want ESRCH`),
		r("attach-errno-wrong", "PTRACE_ATTACH to init by an ordinary user refused with EBUSY instead of EPERM",
			"tests/topology", "attach_pid1", `PTRACE_ATTACH\(pid 1 \(init\)\) from uid \d+: got EBUSY, want EPERM`),
		r("attach-errno-wrong", "PTRACE_ATTACH to oneself refused with EBUSY instead of EPERM",
			"tests/topology", "attach_self", `PTRACE_ATTACH\(pid \d+, itself\) from pid \d+: got EBUSY, want EPERM`),
		r("attach-errno-wrong", "PTRACE_ATTACH to a traced process refused with EBUSY instead of EPERM",
			"tests/topology", "attach_traced_process", `PTRACE_ATTACH\(pid \d+ \(traced by pid \d+\)\) from uid \d+: got EBUSY, want EPERM`),
		r("attach-errno-wrong", "PTRACE_ATTACH to another user's process refused with EBUSY instead of EPERM",
			"tests/topology", "attach_other_uid", `PTRACE_ATTACH\(pid \d+ \(uid 0\)\) from uid \d+: got EBUSY, want EPERM`),
		r("attach-errno-wrong", "PTRACE_ATTACH to a process that changed its uid refused with EBUSY instead of EPERM",
			"tests/topology", "attach_setuid_process", `PTRACE_ATTACH\(pid \d+ \(uid \d+ by setuid\)\) from uid \d+: got EBUSY, want EPERM`),
		r("attach-errno-wrong", "a second PTRACE_TRACEME refused with EBUSY instead of EPERM",
			"tests/topology", "traceme_twice", `PTRACE_TRACEME\(itself \(pid \d+, traced by pid \d+\)\) from pid \d+: got EBUSY, want EPERM`),
		r("attach-refused", "PTRACE_ATTACH to a process of the same uid refused",
			"tests/topology", "attach_same_uid", `PTRACE_ATTACH\(pid \d+ \(uid \d+\)\) from uid \d+: got EPERM, want success`),
		r("attach-refused", "PTRACE_ATTACH from a chrooted tracer refused where the kernel has no root-directory rule",
			"tests/topology", "attach_chroot", `PTRACE_ATTACH\(pid \d+ \(root /\)\) from uid 0 chrooted to \S+: got EPERM, want success`),
		r("attach-refused", "PTRACE_TRACEME of an orphan refused where the kernel checks no parent",
			"tests/topology", "traceme_pid1_parent", `PTRACE_TRACEME\(itself \(pid \d+, parent \d+\)\) from pid \d+: got EPERM, want success`),
		r("attach-refused", "PTRACE_ATTACH of a parent to its stopped child refused",
			"tests/topology", "parent_attach_to_its_stopped_child", `PTRACE_ATTACH\(pid \d+\): operation not permitted`),
		r("attach-refused", "PTRACE_ATTACH of a child to its parent refused",
			"tests/topology", "child_attach_to_its_parent", `PTRACE_ATTACH\(pid \d+\) from its child pid \d+: got EPERM, want success`),
		r("parent-sees-traced-exit", "a traced child's termination reported to its real parent before its tracer collected it",
			"tests/topology", "tracer_sees_terminaton_before_the_parent", `the real parent's wait4\(\d+, WNOHANG\) reported Exited\(0\)\S* \(error <nil>\) before the tracer pid \d+ collected the termination`),
		r("ppid-is-tracer", "a traced process sees its tracer as its parent",
			"tests/topology", "tracee_sees_its_original_parent_getppid", `traced pid \d+ sees parent (\d+) through getppid\(2\), want its original parent \d+, not its tracer \d+`),
		r("proc-listed-twice", "the process table lists a traced zombie twice",
			"tests/topology", "tracer_sysctl_lookup_without_duplicates", `process table lookup of traced zombie pid \d+: 2 entries \(error <nil>\), want exactly 1`),
		r("attach-allowed", "PTRACE_ATTACH to init by an ordinary user reported as success",
			"tests/topology", "attach_pid1", `PTRACE_ATTACH\(pid 1 \(init\)\) from uid \d+: got success, want EPERM .*the asker found no attach stop`),
		r("attach-allowed", "PTRACE_ATTACH to oneself reported as success",
			"tests/topology", "attach_self", `PTRACE_ATTACH\(pid \d+, itself\) from pid \d+: got success, want EPERM .*the tracer gave it back: no attach stop`),
		r("attach-allowed", "PTRACE_ATTACH to a traced process reported as success",
			"tests/topology", "attach_traced_process", `PTRACE_ATTACH\(pid \d+ \(traced by pid \d+\)\) from uid \d+: got success, want EPERM`),
		r("attach-allowed", "a second PTRACE_TRACEME reported as success",
			"tests/topology", "traceme_twice", `PTRACE_TRACEME\(itself \(pid \d+, traced by pid \d+\)\) from pid \d+: got success, want EPERM`),
	)
}
