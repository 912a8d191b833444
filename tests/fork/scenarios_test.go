package fork

import (
	"ptracesuite/internal/expect"
	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// spawnPath is what the spawn scenario starts. /bin/echo exists on NetBSD
// and Debian alike (NetBSD's suite spawns it too).
var spawnPath = "/bin/echo"

// Scenarios "fork*" and "spawn*" (every setup, traced and _attached):
// create one child that exits 0, the way the name says (expect.RegisterCreation).
func init() {
	expect.RegisterCreation("fork", func(*tracee.Ctx) (int, error) { return raw.ForkExit(0) })
	expect.RegisterCreation("spawn", func(*tracee.Ctx) (int, error) {
		return raw.Spawn(spawnPath, []string{"echo", "ptrace"}, nil)
	})
}
