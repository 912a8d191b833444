package tracer

import (
	"time"

	"ptracesuite/internal/ptrace"
)

// defaultWaitTimeout: NetBSD runs here under qemu without acceleration
// (TCG), tens of times slower than the machine, so a due report may take
// seconds; a hang still fails well before the case's own timeout.
const defaultWaitTimeout = 15 * time.Second

// NetBSD: the tracee stays in the test process's group, as in NetBSD's own
// suite (kyua kills that group when the case ends). A tracee that leads a
// group of its own trips a job-control bug: the traced forkee is
// reparented to the tracer (proc_changeparent) without fixjobc() counting
// its new parent, so its exit takes pg_jobc of the tracee's group to 0 and
// orphanpg() sends SIGHUP and SIGCONT to the tracee stopped at its fork
// event (measured on 8.99.25; kern_proc.c fixjobc is unchanged through 1.280
// of 2025/06/02). t_fork:fork_traced_child_exit_keeps_pgrp pins that bug
// down on its own; no other case depends on it.
const ownGroup = false

// safetyNets: NetBSD has no PR_SET_PDEATHSIG or PTRACE_O_EXITKILL; the
// cleanup alone kills and reaps.
var safetyNets = ptrace.HasSafetyNets

// prepare: NetBSD reparents a traced forkee to its tracer, and the
// cleanup reaps what the tracer knows.
func prepare() {}
