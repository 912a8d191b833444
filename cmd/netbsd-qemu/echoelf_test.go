package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"
)

// The guest's echo is a well-formed static NetBSD/amd64 executable: its
// entry is the code, one loadable segment covers the file, and its note is
// NetBSD's ident note.
func TestEchoELF(t *testing.T) {
	img := echoELF()
	f, err := elf.NewFile(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("not an ELF file: %v", err)
	}
	if f.Class != elf.ELFCLASS64 || f.Machine != elf.EM_X86_64 || f.Type != elf.ET_EXEC {
		t.Fatalf("class %v machine %v type %v", f.Class, f.Machine, f.Type)
	}
	var load, note *elf.Prog
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_LOAD:
			load = p
		case elf.PT_NOTE:
			note = p
		}
	}
	if load == nil || note == nil || load.Filesz != uint64(len(img)) || load.Flags != elf.PF_R|elf.PF_X {
		t.Fatalf("segments: load %+v note %+v", load, note)
	}
	code := f.Entry - load.Vaddr
	if !bytes.Equal(img[code:], echoCode) {
		t.Errorf("the entry point is not the echo code")
	}
	n := make([]byte, note.Filesz)
	note.ReadAt(n, 0)
	namesz, descsz, typ := binary.LittleEndian.Uint32(n), binary.LittleEndian.Uint32(n[4:]), binary.LittleEndian.Uint32(n[8:])
	if namesz != 7 || descsz != 4 || typ != ntNetBSDIdent || string(n[12:19]) != "NetBSD\x00" {
		t.Errorf("note: namesz %d descsz %d type %d name %q", namesz, descsz, typ, n[12:19])
	}
}
