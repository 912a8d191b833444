//go:build linux && !amd64

package ptrace

var dbRegsNames = [2]string{"PTRACE_PEEKUSER(u_debugreg)", "PTRACE_POKEUSER(u_debugreg)"}

func getDbRegs(int, int) (DbRegs, error) { return DbRegs{}, ErrNoRequest }
func setDbRegs(int, int, DbRegs) error   { return ErrNoRequest }
