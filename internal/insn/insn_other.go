//go:build !amd64

package insn

import "runtime"

var missing = noSeq(runtime.GOARCH)

const SeqResult = 0

var StepSeq Seq

var Accesses []Access

func run(trap, a1, a2, a3 uintptr) uintptr      { return 0 }
func seqEntry() uintptr                         { return 0 }
func access(int, uintptr)                       {}
func accessEntries(*[8]uintptr)                 {}
func codeTarget()                               {}
func codeTargetEntry() uintptr                  { return 0 }
func movSSInt3(*uint16)                         {}
func saveSS(*uint16)                            {}
func stopThen(_, _, _, _, _, _ uintptr) uintptr { return 0 }
