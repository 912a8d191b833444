package siginfo

import (
	"encoding/json"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"ptracesuite/internal/raw"
	"ptracesuite/internal/tracee"
)

// handledWithin collects the signals of ch for d after the first, up to
// first: the signals a handler saw, in order, as "SIGUSR1,SIGUSR2".
func handledWithin(ch chan os.Signal, first, d time.Duration) string {
	var got []string
	timeout := time.After(first)
	for {
		select {
		case s := <-ch:
			got = append(got, unix.SignalName(s.(syscall.Signal)))
			timeout = time.After(d) // a second delivery would come now
		case <-timeout:
			return strings.Join(got, ",")
		}
	}
}

func init() {
	// "send_<setup>_<sig>": handle (a handler, signal.Notify), block or
	// ignore sig, stop at the ready point (where the tracer delivers sig
	// with PT_CONTINUE), report the signals the handler saw as "handled"
	// and exit scenarioExit.
	for _, s := range maskedSignals {
		for _, setup := range []string{"handle", "masked", "ignored"} {
			tracee.Register("send_"+setup+"_"+sigIdent(s), func(c *tracee.Ctx) int {
				ch := make(chan os.Signal, 4)
				switch setup {
				case "handle":
					signal.Notify(ch, s)
				case "masked":
					c.Check("block "+unix.SignalName(s), raw.BlockSignal(int(s)))
				case "ignored":
					c.Check("ignore "+unix.SignalName(s), raw.IgnoreSignal(int(s)))
				}
				c.Ready()
				c.Report("handled", handledWithin(ch, 200*time.Millisecond, 200*time.Millisecond))
				return scenarioExit
			})
		}
	}
	// "send_simple_<sig>": SIG_DFL for sig, a dump of this process lands
	// in TMPDIR or nowhere (raw.PrepareCore; reported as "core"), stop at
	// the ready point, exit scenarioExit if the delivered signal lets it.
	for _, s := range simpleSignals {
		tracee.Register("send_simple_"+sigIdent(s), func(c *tracee.Ctx) int {
			if s != syscall.SIGKILL && s != syscall.SIGSTOP {
				c.Check("SIG_DFL for "+unix.SignalName(s), raw.DefaultSignal(int(s)))
			}
			cs, err := raw.PrepareCore(os.TempDir())
			c.Check("prepare the core", err)
			b, err := json.Marshal(cs)
			c.Check("core setting", err)
			c.Report("core", string(b))
			c.Ready()
			return scenarioExit
		})
	}
	// "send_from_process": handle SIGUSR1 and SIGUSR2, stop at the ready
	// point, then wait in AwaitGo for the tracer's go (another process
	// signals it meanwhile); report the signals the handler saw.
	tracee.Register("send_from_process", func(c *tracee.Ctx) int {
		ch := make(chan os.Signal, 4)
		signal.Notify(ch, syscall.SIGUSR1, syscall.SIGUSR2)
		c.Ready()
		c.AwaitGo()
		c.Report("handled", handledWithin(ch, 500*time.Millisecond, 200*time.Millisecond))
		return scenarioExit
	})
	// "sender": kill(2) the pid in $SEND_TARGET with the signal number in
	// $SEND_SIG, report "sent", exit 0.
	tracee.Register("sender", func(c *tracee.Ctx) int {
		pid, err1 := strconv.Atoi(os.Getenv("SEND_TARGET"))
		sig, err2 := strconv.Atoi(os.Getenv("SEND_SIG"))
		if err1 != nil || err2 != nil || pid <= 1 {
			c.Fatalf("sender: bad SEND_TARGET %q or SEND_SIG %q", os.Getenv("SEND_TARGET"), os.Getenv("SEND_SIG"))
		}
		c.Check("kill", unix.Kill(pid, syscall.Signal(sig)))
		c.Report("sent", 1)
		return 0
	})
	// "mask_unrelated": block SIGTRAP, report the signal state
	// ("sigstate"), stop at the ready point, raise SIGINT, exit
	// scenarioExit if it survives.
	tracee.Register("mask_unrelated", func(c *tracee.Ctx) int {
		c.Check("block SIGTRAP", raw.BlockSignal(int(syscall.SIGTRAP)))
		c.Ready()
		c.Check("raise SIGINT", raw.RaiseSelf(int(syscall.SIGINT)))
		return scenarioExit
	})
	// "raise_kill" and "raise_stop": stop at the ready point, raise the
	// signal, exit scenarioExit if it survives.
	for _, s := range []syscall.Signal{syscall.SIGKILL, syscall.SIGSTOP} {
		tracee.Register("raise_"+sigIdent(s), func(c *tracee.Ctx) int {
			c.Ready()
			c.Check("raise "+unix.SignalName(s), raw.RaiseSelf(int(s)))
			return scenarioExit
		})
	}
}
