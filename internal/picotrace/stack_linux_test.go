package picotrace

import (
	"encoding/binary"
	"io"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ptracesuite/internal/ptrace"
)

// At the exec stop, the image's start read from its stack is what /proc
// says: argv (an empty argument included), the environment (an empty value,
// quotes and spaces, a value longer than a page, more pointers than a page
// holds) and the auxiliary vector through AT_NULL, byte for byte.
func TestStackImageIsProcImage(t *testing.T) {
	many := []string{"A=1"}
	for i := 0; i < 700; i++ {
		many = append(many, "V"+strconv.Itoa(i)+"=x")
	}
	for name, env := range map[string][]string{
		"short":       {"A=1", "EMPTY=", `Q="x y"`},
		"long value":  {"A=1", "LONG=" + longValue(5000)},
		"700 entries": many,
	} {
		t.Run(name, func(t *testing.T) { stackImageIsProcImage(t, env) })
	}
}

func stackImageIsProcImage(t *testing.T, env []string) {
	c, err := ptrace.New(ptrace.WithSafetyNets(true), ptrace.WithChecks(false))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	defer func() { c.KillAll(); c.ReapAll() }()
	tr := newTracer(c, newRecorder(io.Discard, false, false, false), false)
	argv := []string{"sh", "-c", "exit 0", "", "two words"}
	pid, _, err := c.Spawn(ptrace.Cmd{Path: "/bin/sh", Argv: argv, Env: env, What: "sh"})
	if err != nil {
		t.Fatal(err)
	}
	sa, se, sx, ok := tr.stackImage(pid)
	if !ok {
		t.Fatalf("pid %d at its exec stop: the stack did not parse as an exec's", pid)
	}
	pa, pe, px := tr.procImage(pid)
	if d := cmp.Diff(pa, sa); d != "" {
		t.Errorf("argv from the stack differs from /proc/%d/cmdline (-proc +stack):\n%s", pid, d)
	}
	if d := cmp.Diff(pe, se); d != "" {
		t.Errorf("environment from the stack differs from /proc/%d/environ (-proc +stack):\n%s", pid, d)
	}
	if d := cmp.Diff(px, sx); d != "" {
		t.Errorf("auxv from the stack differs from /proc/%d/auxv (-proc +stack):\n%s", pid, d)
	}
	if d := cmp.Diff(argv, sa); d != "" {
		t.Errorf("argv from the stack differs from what was exec'd (-exec +stack):\n%s", d)
	}
}

func longValue(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return string(b)
}

// A stack that is not an exec's does not parse: argc beyond the buffer,
// argv not NULL-terminated, no AT_NULL.
func TestVectorsRejectsOtherStacks(t *testing.T) {
	w := func(ws ...uint64) []byte {
		b := make([]byte, len(ws)*stackWord)
		for i, v := range ws {
			switch stackWord {
			case 8:
				nativePut64(b[i*8:], v)
			default:
				nativePut32(b[i*4:], uint32(v))
			}
		}
		return b
	}
	good := w(1, 0x1000, 0, 0x2000, 0, 6, 4096, 0, 0)
	if ptrs, n, auxv, ok := vectors(good); !ok || n != 1 || len(ptrs) != 2 || len(auxv) != 4*stackWord {
		t.Errorf("an exec's stack: ptrs %v, nargs %d, auxv %d bytes, ok %v; want 2 pointers, 1 argument, 2 pairs", ptrs, n, len(auxv), ok)
	}
	for name, b := range map[string][]byte{
		"argc beyond the stack":    w(99, 0x1000, 0),
		"argv not NULL-terminated": w(1, 0x1000, 0x1001, 0, 0, 0),
		"no AT_NULL":               w(0, 0, 0, 6, 4096),
		"empty":                    nil,
	} {
		if _, _, _, ok := vectors(b); ok {
			t.Errorf("%s: parsed as an exec's stack", name)
		}
	}
}

func nativePut64(b []byte, v uint64) { binary.NativeEndian.PutUint64(b, v) }
func nativePut32(b []byte, v uint32) { binary.NativeEndian.PutUint32(b, v) }
