package tracee

import "os"

// selfExe: the running binary's path (NetBSD's procfs need not be mounted).
func selfExe() (string, error) { return os.Executable() }
