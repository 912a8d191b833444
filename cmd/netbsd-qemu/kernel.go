package main

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// prepareKernel checks that path is a NetBSD/amd64 kernel (an x86-64 ELF file
// with a NetBSD ident note) or a gzip of one, and writes the plain ELF file to
// dir/netbsd (GRUB's knetbsd loads an ELF kernel). It returns that path.
func prepareKernel(path, dir string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usagef("-kernel: %v", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		return "", usagef("-kernel %s: not a file", path)
	}
	magic := make([]byte, 4)
	n, _ := io.ReadFull(f, magic)
	magic = magic[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	var src io.Reader = f
	if bytes.HasPrefix(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return "", usagef("-kernel %s: bad gzip file: %v", path, err)
		}
		src = zr
	} else if !bytes.Equal(magic, []byte("\x7fELF")) {
		return "", usagef("-kernel %s: not a kernel: neither an ELF file nor gzip", path)
	}
	out := filepath.Join(dir, "netbsd")
	w, err := os.Create(out)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(w, src); err != nil {
		w.Close()
		return "", usagef("-kernel %s: %v", path, err)
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := checkNetBSDKernel(out); err != nil {
		return "", usagef("-kernel %s: %v", path, err)
	}
	return out, nil
}

// precheckKernel is the cheap part of prepareKernel, done before anything
// else: the file exists and starts like an ELF or a gzip file.
func precheckKernel(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return usagef("-kernel: %v", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.IsDir() {
		return usagef("-kernel %s: not a file", path)
	}
	magic := make([]byte, 4)
	n, _ := io.ReadFull(f, magic)
	if !bytes.HasPrefix(magic[:n], []byte{0x1f, 0x8b}) && !bytes.Equal(magic[:n], []byte("\x7fELF")) {
		return usagef("-kernel %s: not a kernel: neither an ELF file nor gzip", path)
	}
	return nil
}

func checkNetBSDKernel(path string) error {
	ef, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("not a kernel: %v", err)
	}
	defer ef.Close()
	if ef.Class != elf.ELFCLASS64 || ef.Machine != elf.EM_X86_64 {
		return fmt.Errorf("not an amd64 kernel (ELF %v %v)", ef.Class, ef.Machine)
	}
	if ef.Type != elf.ET_EXEC {
		return fmt.Errorf("not a kernel (ELF type %v)", ef.Type)
	}
	for _, s := range ef.Sections {
		if s.Type == elf.SHT_NOTE && s.Name == ".note.netbsd.ident" {
			return nil
		}
	}
	return fmt.Errorf("not a NetBSD kernel (no .note.netbsd.ident)")
}
