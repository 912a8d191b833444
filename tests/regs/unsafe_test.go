package regs

import "unsafe"

func unsafePointer(p []byte) uintptr { return uintptr(unsafe.Pointer(&p[0])) }
