//go:build !linux && !netbsd

package main

// hostExtra: only uname on kernels the suite does not target.
func hostExtra(*Host) {}
