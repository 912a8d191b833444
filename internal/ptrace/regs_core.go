package ptrace

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
)

// Core is what an ELF core file says of the registers of the process it
// was dumped from: each LWP's register sets, in the layout the ptrace
// requests use (RegSlot names their members), and the process note.
type Core struct {
	Lwps     []int                   // in the order of their notes
	Regs     map[int]map[RegSet]Regs // per LWP
	Procinfo []byte                  // NetBSD: the "NetBSD-CORE" procinfo note; Linux: NT_PRPSINFO
}

// coreNote is one note of a PT_NOTE segment.
type coreNote struct {
	name string
	typ  uint32
	desc []byte
}

// ReadCore reads the register notes of the core file at path (NetBSD:
// "NetBSD-CORE@<lid>" notes typed by the PT_GET* request number; Linux:
// NT_PRSTATUS of each thread, followed by its NT_PRFPREG and
// NT_X86_XSTATE).
func ReadCore(path string) (*Core, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if f.Type != elf.ET_CORE {
		return nil, fmt.Errorf("%s: ELF type %v, not ET_CORE", path, f.Type)
	}
	var notes []coreNote
	for _, p := range f.Progs {
		if p.Type != elf.PT_NOTE {
			continue
		}
		b, err := io.ReadAll(p.Open())
		if err != nil {
			return nil, fmt.Errorf("%s: PT_NOTE: %w", path, err)
		}
		n, err := parseNotes(b, f.ByteOrder)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		notes = append(notes, n...)
	}
	c := &Core{Regs: map[int]map[RegSet]Regs{}}
	if err := coreRegs(c, notes); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	mutCore(c)
	return c, nil
}

// parseNotes splits a PT_NOTE segment: namesz, descsz, type, then the
// name and the descriptor, each padded to 4 bytes (ELF gABI; both kernels
// write 4-byte alignment in 64-bit cores too).
func parseNotes(b []byte, bo binary.ByteOrder) ([]coreNote, error) {
	var out []coreNote
	pad := func(n uint32) int { return int((n + 3) &^ 3) }
	for len(b) >= 12 {
		namesz, descsz, typ := bo.Uint32(b), bo.Uint32(b[4:]), bo.Uint32(b[8:])
		b = b[12:]
		if int(namesz) > len(b) {
			return nil, fmt.Errorf("note of type %d: name overruns its segment", typ)
		}
		name := b[:namesz]
		if len(name) > 0 && name[len(name)-1] == 0 {
			name = name[:len(name)-1]
		}
		b = b[min(pad(namesz), len(b)):]
		if int(descsz) > len(b) {
			return nil, fmt.Errorf("note of type %d: descriptor overruns its segment", typ)
		}
		desc := b[:descsz]
		b = b[min(pad(descsz), len(b)):]
		out = append(out, coreNote{string(name), typ, desc})
	}
	return out, nil
}

func (c *Core) add(lwp int, r Regs) {
	if c.Regs[lwp] == nil {
		c.Regs[lwp] = map[RegSet]Regs{}
		c.Lwps = append(c.Lwps, lwp)
	}
	r.Lwp = lwp
	c.Regs[lwp][r.Set] = r
}
