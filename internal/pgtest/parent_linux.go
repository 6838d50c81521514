package pgtest

import (
	"os/exec"
	"syscall"
)

// stopWithParent asks the kernel to send the server SIGINT (fast shutdown)
// when this process dies, so a crashed test binary leaves no server behind.
func stopWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
}
