package nbabi

import "testing"

// decoded is everything WaitStatus says about one status.
type decoded struct {
	exited, signaled, stopped, continued, core bool
	exitStatus, signal, stopSignal             int
	str                                        string
}

func decode(w WaitStatus) decoded {
	return decoded{
		exited: w.Exited(), signaled: w.Signaled(), stopped: w.Stopped(), continued: w.Continued(),
		core: w.CoreDump(), exitStatus: w.ExitStatus(), signal: w.Signal(), stopSignal: w.StopSignal(),
		str: w.String(),
	}
}

func TestWaitStatusEncodings(t *testing.T) {
	// W_EXITCODE(ret, sig) = ret<<8 | sig; W_STOPCODE(sig) = sig<<8 | 0177;
	// W_CONTCODE() = 0xffff (sys/sys/wait.h 1.38).
	for _, c := range []struct {
		got, want WaitStatus
	}{
		{WExitCode(0, 0), 0x0000},
		{WExitCode(5, 0), 0x0500},
		{WExitCode(255, 0), 0xff00},
		{WExitCode(0, SIGKILL), 0x0009},
		{WExitCode(0, SIGABRT) | WCOREFLAG, 0x0086},
		{WStopCode(SIGSTOP), 0x117f},
		{WStopCode(SIGTRAP), 0x057f},
		{WContinuedStatus, 0xffff},
	} {
		if c.got != c.want {
			t.Errorf("encoding = %#x, want %#x", uint32(c.got), uint32(c.want))
		}
	}
}

func TestWaitStatusDecode(t *testing.T) {
	for _, c := range []struct {
		name string
		w    WaitStatus
		want decoded
	}{
		{"exit 0", WExitCode(0, 0), decoded{exited: true, exitStatus: 0, signal: -1, stopSignal: -1, str: "exited 0"}},
		{"exit 5", WExitCode(5, 0), decoded{exited: true, exitStatus: 5, signal: -1, stopSignal: -1, str: "exited 5"}},
		{"exit 255", WExitCode(255, 0), decoded{exited: true, exitStatus: 255, signal: -1, stopSignal: -1, str: "exited 255"}},
		{"SIGKILL", WExitCode(0, SIGKILL), decoded{signaled: true, exitStatus: -1, signal: SIGKILL, stopSignal: -1,
			str: "killed by signal 9"}},
		{"SIGSEGV core", WExitCode(0, SIGSEGV) | WCOREFLAG, decoded{signaled: true, core: true, exitStatus: -1,
			signal: SIGSEGV, stopSignal: -1, str: "killed by signal 11 (core dumped)"}},
		// The case x/sys's BSD WaitStatus gets wrong: a SIGSTOP stop.
		{"SIGSTOP stop", WStopCode(SIGSTOP), decoded{stopped: true, exitStatus: -1, signal: -1, stopSignal: SIGSTOP,
			str: "stopped by signal 17"}},
		{"SIGTRAP stop", WStopCode(SIGTRAP), decoded{stopped: true, exitStatus: -1, signal: -1, stopSignal: SIGTRAP,
			str: "stopped by signal 5"}},
		{"SIGCHLD stop", WStopCode(SIGCHLD), decoded{stopped: true, exitStatus: -1, signal: -1, stopSignal: SIGCHLD,
			str: "stopped by signal 20"}},
		{"continued", WContinuedStatus, decoded{continued: true, exitStatus: -1, signal: -1, stopSignal: -1,
			str: "continued"}},
		// 0xff7f is a stop by "signal 255", not _WCONTINUED.
		{"stop 255", WStopCode(255), decoded{stopped: true, exitStatus: -1, signal: -1, stopSignal: 255,
			str: "stopped by signal 255"}},
		// Bits above the low 16 do not make a status continued.
		{"high bits", 0x1ffff, decoded{stopped: true, exitStatus: -1, signal: -1, stopSignal: 0xff,
			str: "stopped by signal 255"}},
	} {
		if got := decode(c.w); got != c.want {
			t.Errorf("%s (%#x): got %+v, want %+v", c.name, uint32(c.w), got, c.want)
		}
	}
}

// Every status is exactly one of exited, signaled, stopped, continued.
func TestWaitStatusPartition(t *testing.T) {
	for x := uint32(0); x <= 0x1ffff; x++ {
		w := WaitStatus(x)
		n := 0
		for _, b := range []bool{w.Exited(), w.Signaled(), w.Stopped(), w.Continued()} {
			if b {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("status %#x is %d of exited/signaled/stopped/continued", x, n)
		}
	}
}
