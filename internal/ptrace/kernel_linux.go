package ptrace

// TextWriteBlocked returns why the kernel will not let a tracer write the
// text of pid, or "": Linux writes through ptrace and /proc/PID/mem with
// FOLL_FORCE, which overrides the mapping's protection.
func TextWriteBlocked(pid int) string { return "" }

// ZeroPCRuleOff returns why the kernel may accept a resume at PC 0, or "":
// Linux has no such rule to switch off; its resume requests ignore addr
// (the tests write that down as Linux's expectation).
func ZeroPCRuleOff() string { return "" }
