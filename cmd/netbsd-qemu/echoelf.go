package main

import (
	"bytes"
	"encoding/binary"
)

// The guest's /bin/echo. The suite execs and posix_spawns /bin/echo (as
// NetBSD's own suite does), and on a NetBSD system that is a C program with
// one LWP. A Go echo would start the Go runtime's threads in the exec'd
// image, which a tracer sees as LWP_CREATE events and whose runtime resets
// signal state: not what a case about exec may see. So the image gets a
// minimal static NetBSD/amd64 ELF executable, written here byte by byte:
// one PT_LOAD segment holding the code and a PT_NOTE with the NetBSD ident
// note (the kernel's exec_elf accepts a binary as NetBSD's by that note).

// echoCode is echo(1) for NetBSD/amd64 (SYS_write 4, SYS_exit 1; the kernel
// starts a process with argc at 0(%rsp) and argv after it). Assembled from:
//
//	    mov  r12, [rsp]          ; argc
//	    lea  r13, [rsp+8]        ; argv
//	    mov  r14, 1              ; i = 1
//	next:
//	    cmp  r14, r12
//	    jge  newline
//	    mov  rsi, [r13+r14*8]    ; argv[i]
//	    xor  edx, edx
//	len: cmp byte [rsi+rdx], 0
//	    je   write
//	    inc  rdx
//	    jmp  len
//	write:
//	    mov eax, 4 ; mov edi, 1 ; syscall          ; write(1, argv[i], len)
//	    inc  r14
//	    cmp  r14, r12
//	    jge  newline
//	    lea rsi, [rip+space] ; mov edx, 1 ; mov eax, 4 ; mov edi, 1 ; syscall
//	    jmp  next
//	newline:
//	    lea rsi, [rip+nl] ; mov edx, 1 ; mov eax, 4 ; mov edi, 1 ; syscall
//	    mov eax, 1 ; xor edi, edi ; syscall         ; exit(0)
//	    hlt
//	space: .byte ' '
//	nl:    .byte '\n'
var echoCode = []byte{
	0x4c, 0x8b, 0x24, 0x24, 0x4c, 0x8d, 0x6c, 0x24, 0x08, 0x49, 0xc7, 0xc6,
	0x01, 0x00, 0x00, 0x00, 0x4d, 0x39, 0xe6, 0x7d, 0x40, 0x4b, 0x8b, 0x74,
	0xf5, 0x00, 0x31, 0xd2, 0x80, 0x3c, 0x16, 0x00, 0x74, 0x05, 0x48, 0xff,
	0xc2, 0xeb, 0xf5, 0xb8, 0x04, 0x00, 0x00, 0x00, 0xbf, 0x01, 0x00, 0x00,
	0x00, 0x0f, 0x05, 0x49, 0xff, 0xc6, 0x4d, 0x39, 0xe6, 0x7d, 0x1a, 0x48,
	0x8d, 0x35, 0x35, 0x00, 0x00, 0x00, 0xba, 0x01, 0x00, 0x00, 0x00, 0xb8,
	0x04, 0x00, 0x00, 0x00, 0xbf, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb,
	0xbb, 0x48, 0x8d, 0x35, 0x1c, 0x00, 0x00, 0x00, 0xba, 0x01, 0x00, 0x00,
	0x00, 0xb8, 0x04, 0x00, 0x00, 0x00, 0xbf, 0x01, 0x00, 0x00, 0x00, 0x0f,
	0x05, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x31, 0xff, 0x0f, 0x05, 0xf4, 0x20,
	0x0a,
}

// ELF constants (the ELF64 gABI; NT_NETBSD_IDENT from NetBSD's
// sys/sys/exec_elf.h).
const (
	echoBase        = 0x400000
	elfHeaderSize   = 64
	progHeaderSize  = 56
	ntNetBSDIdent   = 1
	netbsdNoteName  = "NetBSD\x00"
	netbsdNoteValue = 700000000 // the __NetBSD_Version__ the binary claims (7.0, as Go's linker writes)
)

// echoELF returns the whole executable.
func echoELF() []byte {
	const phnum = 2
	noteOff := elfHeaderSize + phnum*progHeaderSize
	var note bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&note, le, []uint32{uint32(len(netbsdNoteName)), 4, ntNetBSDIdent})
	note.WriteString(netbsdNoteName + "\x00") // name padded to 8
	binary.Write(&note, le, uint32(netbsdNoteValue))
	codeOff := noteOff + note.Len()
	total := codeOff + len(echoCode)

	var b bytes.Buffer
	b.Write([]byte{0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 /* EV_CURRENT */, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	binary.Write(&b, le, struct {
		Type, Machine                       uint16
		Version                             uint32
		Entry, Phoff, Shoff                 uint64
		Flags                               uint32
		Ehsize, Phentsize, Phnum, Shentsize uint16
		Shnum, Shstrndx                     uint16
	}{2 /* ET_EXEC */, 62 /* EM_X86_64 */, 1, uint64(echoBase + codeOff), elfHeaderSize, 0, 0,
		elfHeaderSize, progHeaderSize, phnum, 64, 0, 0})
	type phdr struct {
		Type, Flags                             uint32
		Off, Vaddr, Paddr, Filesz, Memsz, Align uint64
	}
	binary.Write(&b, le, phdr{1 /* PT_LOAD */, 5 /* R+X */, 0, echoBase, echoBase, uint64(total), uint64(total), 0x1000})
	binary.Write(&b, le, phdr{4 /* PT_NOTE */, 4 /* R */, uint64(noteOff), uint64(echoBase + noteOff),
		uint64(echoBase + noteOff), uint64(note.Len()), uint64(note.Len()), 4})
	b.Write(note.Bytes())
	b.Write(echoCode)
	return b.Bytes()
}
