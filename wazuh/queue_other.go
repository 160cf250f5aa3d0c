//go:build !unix

package wazuh

import "net"

// ensureSendBuffer has nothing to do where there are no Wazuh managers.
func ensureSendBuffer(*net.UnixConn, int) error { return nil }
