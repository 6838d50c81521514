//go:build !linux

package pgtest

import "os/exec"

// stopWithParent does nothing outside Linux: a server whose test binary
// crashed keeps running until stopped by hand.
func stopWithParent(*exec.Cmd) {}
