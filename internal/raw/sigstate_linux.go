package raw

// discards: Linux's ignore set (/proc/PID/status SigIgn) is the signals
// whose handler is SIG_IGN (fs/proc/array.c collect_sigign_sigcatch).
func discards(_ int, handler uintptr) bool { return handler == sigIgn }
