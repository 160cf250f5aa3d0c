//go:build unix

package wazuh

import (
	"net"
	"syscall"
)

// ensureSendBuffer makes the socket's send buffer large enough for a datagram
// of size bytes. On Linux a UNIX datagram may not exceed the sender's
// SO_SNDBUF (less a little overhead), and net.core.wmem_default can be set
// below 64 KiB. If the system caps the buffer lower, large sends later fail
// with EMSGSIZE, which Send reports as ErrMessageTooLong.
func ensureSendBuffer(conn *net.UnixConn, size int) error {
	raw, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	want := size + 1024 // room for the kernel's per-datagram overhead
	var sockErr error
	err = raw.Control(func(fd uintptr) {
		cur, err := syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF)
		if err != nil {
			sockErr = err
			return
		}
		if cur >= want {
			return
		}
		sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, want)
	})
	if err != nil {
		return err
	}
	return sockErr
}
