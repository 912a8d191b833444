package tracer

// SetSafetyNets switches Linux's PR_SET_PDEATHSIG and PTRACE_O_EXITKILL
// off (or on) for tracees started afterwards, for the cleanup test.
func SetSafetyNets(on bool) { safetyNets = on }
