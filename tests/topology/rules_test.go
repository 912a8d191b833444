package topology

import (
	"runtime"
	"strings"
	"syscall"

	"ptracesuite/internal/semantics"
	"ptracesuite/internal/tracer"
)

// answer is what one kernel answers a permission request: errno 0 means
// it allows it. rule is the kernel source (file, function, condition) or
// manual page that promises it, for the failure reason and the docs.
type answer struct {
	errno syscall.Errno
	rule  string
}

// NetBSD's rules are sys/kern/sys_ptrace_common.c: ptrace_allowed() (the
// numbered PT_ATTACH conditions, read in revision 1.28; the PT_TRACE_ME
// conditions as revision 1.53 has them) and the kauth listener
// ptrace_listener_cb(), which allows PT_ATTACH only to a process of the
// caller's uid that is not set-id (PK_SUGID), anything else left to the
// security model, which refuses with EPERM unless the caller is root;
// secmodel_securelevel(9) refuses everyone PT_ATTACH to init at
// securelevel > -1. Linux's are kernel/ptrace.c: the ptrace syscall's pid
// lookup, ptrace_attach(), __ptrace_may_access(), ptrace_traceme(), and
// the Yama LSM (security/yama/yama_lsm.c) when it is built in. The Linux
// errnos were measured on Linux 6.18 as root and as nobody.
const (
	nbAllowed  = "sys_ptrace_common.c ptrace_allowed()"
	nbListener = "sys_ptrace_common.c ptrace_listener_cb() allows PT_ATTACH only to the caller's own uid, not set-id (PK_SUGID); the security model refuses the rest to non-root with EPERM"
	lxMayAcc   = "kernel/ptrace.c __ptrace_may_access()"
)

// answers: each permission case's answer per kernel (runtime.GOOS).
var answers = map[string]map[string]answer{
	"attach_pid0": {
		"netbsd": {syscall.EPERM, nbAllowed + " PT_ATTACH (2): pid 0 is proc0, a system process (PK_SYSTEM)"},
		"linux":  {syscall.ESRCH, "kernel/ptrace.c SYSCALL_DEFINE4(ptrace): find_get_task_by_vpid(0) finds no task (the idle task has no pid)"},
	},
	"attach_pid1": {
		"netbsd": {syscall.EPERM, nbListener},
		"linux":  {syscall.EPERM, lxMayAcc + ": another uid and no CAP_SYS_PTRACE"},
	},
	"attach_pid1_securelevel": {
		"netbsd": {syscall.EPERM, "secmodel_securelevel(9): KAUTH_REQ_PROCESS_PTRACE of init is denied at securelevel > -1, to root too"},
		"linux":  {syscall.EPERM, "security/yama/yama_lsm.c yama_ptrace_access_check(): ptrace_scope 3 (YAMA_SCOPE_NO_ATTACH) refuses every attach, to root too"},
	},
	"attach_self": {
		"netbsd": {syscall.EINVAL, nbAllowed + " PT_ATTACH (1): it is the process that is doing the attaching"},
		"linux":  {syscall.EPERM, "kernel/ptrace.c ptrace_attach(): same_thread_group(task, current)"},
	},
	"attach_traced_process": {
		"netbsd": {syscall.EBUSY, nbAllowed + " PT_ATTACH (3): it is already being traced (PSL_TRACED)"},
		"linux":  {syscall.EPERM, "kernel/ptrace.c ptrace_attach(): task->ptrace already set"},
	},
	"attach_traced_process_then_sigkill": {
		"netbsd": {syscall.EBUSY, nbAllowed + " PT_ATTACH (3): it is already being traced (PSL_TRACED)"},
		"linux":  {syscall.EPERM, "kernel/ptrace.c ptrace_attach(): task->ptrace already set"},
	},
	"attach_chroot": {
		"netbsd": {syscall.EPERM, nbAllowed + " PT_ATTACH (4): the tracer is chrooted and its root is not at or above the tracee's (proc_isunder())"},
		"linux":  {0, lxMayAcc + " has no root-directory rule: a chrooted tracer attaches outside its root"},
	},
	"attach_other_uid": {
		"netbsd": {syscall.EPERM, nbListener},
		"linux":  {syscall.EPERM, lxMayAcc + ": the tracee's uid differs from the caller's and it lacks CAP_SYS_PTRACE"},
	},
	"attach_same_uid": {
		"netbsd": {0, nbListener},
		"linux":  {0, lxMayAcc + ": same uid, gid, and the tracee dumpable (SUID_DUMP_USER)"},
	},
	"attach_setuid_process": {
		"netbsd": {syscall.EPERM, nbListener + " (setuid(2) sets PK_SUGID until the next exec)"},
		"linux":  {syscall.EPERM, lxMayAcc + ": a process that changed its credentials is not dumpable (fs.suid_dumpable 0) and the caller lacks CAP_SYS_PTRACE"},
	},
	"traceme_twice": {
		"netbsd": {syscall.EBUSY, nbAllowed + " PT_TRACE_ME: the process is already traced (PSL_TRACED)"},
		"linux":  {syscall.EPERM, "kernel/ptrace.c ptrace_traceme(): current->ptrace already set"},
	},
	"traceme_pid1_parent": {
		"netbsd": {syscall.EPERM, nbAllowed + " PT_TRACE_ME: the parent is initproc"},
		"linux":  {0, "kernel/ptrace.c ptrace_traceme() checks no parent: the adoptive parent (init, or the nearest PR_SET_CHILD_SUBREAPER: here the test process) becomes the tracer"},
	},
}

// want is the running kernel's answer for a case.
func want(ident string) answer { return answers[ident][runtime.GOOS] }

var _ = semantics.Add(func() []semantics.Row {
	var rows []semantics.Row
	for _, c := range permCases {
		ans := answers[c.ident]
		rows = append(rows, semantics.Both(c.ident, c.topic, "answers", func(k string) string {
			a := ans[k]
			if a.rule == "" {
				return "(no rule written down)"
			}
			if a.errno == 0 {
				return "allowed: " + a.rule
			}
			return strings.Join([]string{tracer.Answer(a.errno), a.rule}, ": ")
		}))
	}
	return rows
})

// parentInterfaces: what each tracee_sees_its_original_parent_* case
// reads, per kernel (the tracer package's ParentSeen methods).
var parentInterfaces = tracer.ParentInterfaces
