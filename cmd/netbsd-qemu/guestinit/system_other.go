//go:build unix && !(netbsd && amd64)

package main

import (
	"errors"
	"os"
	"runtime"
)

// On other systems guestinit only builds (so that its runner is tested); it
// cannot be an init there.

func setupSystem() error {
	return errors.New("guestinit sets up only a NetBSD/amd64 system, not " + runtime.GOOS + "/" + runtime.GOARCH)
}

func shutdown() {
	os.Exit(1)
}
