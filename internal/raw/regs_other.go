//go:build (linux || netbsd) && !amd64

package raw

// No register-loading assembly is written for this machine yet.

const NumGPLoaded = 1

var GPLoaded = [NumGPLoaded]string{""}

const LandingCodeReg = ""

func VecName(i int) (low, high string) { return "", "" }

var regsUnsupported = "no register-loading assembly (regsLoadStop) for this machine yet: only amd64 is written"

func regsLoadStop(*RegBlock)    {}
func regsLandingAddr() uintptr  { return 0 }
func regsLoadStopAddr() uintptr { return 0 }
