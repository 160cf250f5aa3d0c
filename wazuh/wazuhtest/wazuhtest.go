// Package wazuhtest provides a stand-in for the parts of a Wazuh manager an
// integration touches, for tests and demos: a Wazuh home directory with
// integrations/, logs/ and analysisd's queue socket, bound and read like
// analysisd reads it. It is in the spirit of net/http/httptest.
//
// The socket is a real UNIX datagram socket, so an integration under test
// (in-process, or a built binary started with the home's layout) sends
// exactly what it would send to a manager, and each datagram can be taken
// apart with ParseMessage.
package wazuhtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Home is a temporary Wazuh home with a listening queue socket.
type Home struct {
	// Dir is the home directory: Dir/integrations, Dir/logs and
	// Dir/queue/sockets/queue exist.
	Dir string

	conn *net.UnixConn
	msgs chan []byte
	quit chan struct{} // closed by Close: the reader stops waiting for room in msgs
	done chan struct{}
	once sync.Once
}

// maxSunPath is the longest socket path Linux accepts (sun_path is 108
// bytes, with the terminating NUL).
const maxSunPath = 107

// NewHome creates a Wazuh home under a new temporary directory in dir ("" for
// the default temporary directory, falling back to /tmp when the socket path
// would be too long) and binds its queue socket. Close removes it.
func NewHome(dir string) (*Home, error) {
	d, err := os.MkdirTemp(dir, "wazuh-home-")
	if err != nil {
		return nil, err
	}
	if len(wazuh.QueuePath(d)) > maxSunPath && dir == "" {
		os.RemoveAll(d)
		if d, err = os.MkdirTemp("/tmp", "wh-"); err != nil {
			return nil, err
		}
	}
	if n := len(wazuh.QueuePath(d)); n > maxSunPath {
		os.RemoveAll(d)
		return nil, fmt.Errorf("wazuhtest: the socket path under %s would be %d bytes, more than a UNIX socket allows", d, n)
	}
	for _, sub := range []string{"integrations", "logs", filepath.Join("queue", "sockets")} {
		if err := os.MkdirAll(filepath.Join(d, sub), 0o750); err != nil {
			os.RemoveAll(d)
			return nil, err
		}
	}
	path := wazuh.QueuePath(d)
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		os.RemoveAll(d)
		return nil, err
	}
	// Room for a burst of full-size datagrams, as analysisd's socket has.
	_ = conn.SetReadBuffer(4 << 20)
	h := &Home{Dir: d, conn: conn, msgs: make(chan []byte, 1024), quit: make(chan struct{}), done: make(chan struct{})}
	go h.read()
	return h, nil
}

func (h *Home) read() {
	defer close(h.done)
	buf := make([]byte, 1<<17)
	for {
		n, err := h.conn.Read(buf)
		if err != nil {
			close(h.msgs)
			return
		}
		select {
		case h.msgs <- bytes.Clone(buf[:n]):
		case <-h.quit:
			close(h.msgs)
			return
		}
	}
}

// QueuePath is the path of the queue socket.
func (h *Home) QueuePath() string { return wazuh.QueuePath(h.Dir) }

// LogPath is the path of logs/integrations.log.
func (h *Home) LogPath() string { return wazuh.LogPath(h.Dir) }

// IntegrationPath is where an integration called name is installed.
func (h *Home) IntegrationPath(name string) string {
	return filepath.Join(h.Dir, "integrations", name)
}

// ReadLog returns the integrations log, or "" when nothing was logged.
func (h *Home) ReadLog() string {
	b, _ := os.ReadFile(h.LogPath())
	return string(b)
}

// ErrTimeout is returned by Next when no datagram arrives in time.
var ErrTimeout = errors.New("wazuhtest: no datagram received in time")

// Next returns the next datagram, waiting at most timeout.
func (h *Home) Next(timeout time.Duration) (Message, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case b, ok := <-h.msgs:
		if !ok {
			return Message{}, errors.New("wazuhtest: the home is closed")
		}
		return ParseMessage(b)
	case <-t.C:
		return Message{}, ErrTimeout
	}
}

// Flush returns every datagram sent to the socket before the call and not
// yet returned, however long the reader takes to get them (at most
// timeout): it sends a marker datagram of its own and collects up to it, as
// the socket keeps datagrams in order. Call it after a sender has finished,
// for instance when an integration's process has exited.
func (h *Home) Flush(timeout time.Duration) ([]Message, error) {
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: h.QueuePath(), Net: "unixgram"})
	if err != nil {
		return nil, err
	}
	marker := []byte(flushMarker + strconv.FormatInt(time.Now().UnixNano(), 10))
	_, err = c.Write(marker)
	c.Close()
	if err != nil {
		return nil, err
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var out []Message
	for {
		select {
		case b, ok := <-h.msgs:
			if !ok {
				return out, errors.New("wazuhtest: the home is closed")
			}
			if bytes.Equal(b, marker) {
				return out, nil
			}
			m, err := ParseMessage(b)
			if err != nil {
				return out, err
			}
			out = append(out, m)
		case <-deadline.C:
			return out, ErrTimeout
		}
	}
}

// flushMarker starts the datagrams Flush sends itself; analysisd would
// reject them (no location).
const flushMarker = "wazuhtest-flush-"

// Received returns the datagrams received so far and not yet returned,
// without waiting; Flush also waits for those still in the socket.
func (h *Home) Received() ([]Message, error) {
	var out []Message
	for {
		select {
		case b, ok := <-h.msgs:
			if !ok {
				return out, nil
			}
			m, err := ParseMessage(b)
			if err != nil {
				return out, err
			}
			out = append(out, m)
		default:
			return out, nil
		}
	}
}

// Close stops listening and removes the home.
func (h *Home) Close() error {
	var err error
	h.once.Do(func() {
		close(h.quit)
		err = h.conn.Close()
		<-h.done
		err = errors.Join(err, os.RemoveAll(h.Dir))
	})
	return err
}

// Message is one datagram as analysisd sees it.
type Message struct {
	// Raw is the whole datagram.
	Raw []byte
	// Queue is the queue type before the first ':' ("1", a local file).
	Queue string
	// Location is the text between the queue type and the first unescaped
	// ':', unescaped: "opencti", or "[004] (WS-FIN-0231) 10.40.12.31->opencti".
	Location string
	// Event is the JSON after it.
	Event []byte
}

// ParseMessage splits a datagram as analysisd does: the queue type, the
// location up to the first ':' not escaped by '|', and the payload.
func ParseMessage(b []byte) (Message, error) {
	m := Message{Raw: b}
	q, rest, ok := bytes.Cut(b, []byte(":"))
	if !ok {
		return m, fmt.Errorf("wazuhtest: datagram %q has no queue type", trim(b))
	}
	m.Queue = string(q)
	var loc strings.Builder
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '|' && i+1 < len(rest) && (rest[i+1] == '|' || rest[i+1] == ':'):
			loc.WriteByte(rest[i+1])
			i++
		case c == ':':
			m.Location = loc.String()
			m.Event = rest[i+1:]
			return m, nil
		default:
			loc.WriteByte(c)
		}
	}
	return m, fmt.Errorf("wazuhtest: datagram %q has no location", trim(b))
}

func trim(b []byte) []byte {
	if len(b) > 80 {
		return b[:80]
	}
	return b
}
