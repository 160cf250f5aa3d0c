package wazuh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// MaxMessageSize is the largest datagram analysisd reads, header included.
// It cuts longer ones silently, which leaves invalid JSON, so Send refuses
// them instead.
const MaxMessageSize = 65535

// DefaultSendTimeout bounds how long Send waits for room in a full queue when
// the context sets no earlier deadline.
const DefaultSendTimeout = 10 * time.Second

// Errors returned by Queue.Send; they are wrapped, so test with errors.Is.
var (
	ErrNotRunning     = errors.New("wazuh is not running (queue socket missing or refusing)")
	ErrMessageTooLong = errors.New("message too long")
	ErrQueueFull      = errors.New("queue full")
	ErrInvalidEvent   = errors.New("event is not a JSON object")
)

// MessageTooLongError is returned, before anything is sent, for an event whose
// datagram would exceed the limit. It matches ErrMessageTooLong.
type MessageTooLongError struct {
	Size  int   // bytes of the whole datagram, header included
	Limit int   // MaxMessageSize, or 0 when the kernel refused the size
	Err   error // the system error when the kernel refused it, else nil
}

func (e *MessageTooLongError) Error() string {
	if e.Limit > 0 {
		return fmt.Sprintf("wazuh: %v: %d bytes, the limit is %d", ErrMessageTooLong, e.Size, e.Limit)
	}
	return fmt.Sprintf("wazuh: %v: the kernel refused a datagram of %d bytes (socket send buffer too small: see net.core.wmem_max)", ErrMessageTooLong, e.Size)
}

// Unwrap lets errors.Is match ErrMessageTooLong and the system error.
func (e *MessageTooLongError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrMessageTooLong, e.Err}
	}
	return []error{ErrMessageTooLong}
}

// QueuePath returns the path of analysisd's queue socket under a Wazuh home.
func QueuePath(home string) string {
	return filepath.Join(home, "queue", "sockets", "queue")
}

// Queue writes events to analysisd's queue socket, a UNIX datagram socket.
// It connects on the first Send and reuses the connection; it is safe for
// concurrent use. Close it when done.
type Queue struct {
	path        string
	name        string
	sendTimeout time.Duration

	mu   sync.Mutex
	conn *net.UnixConn
}

// QueueOption configures a Queue.
type QueueOption func(*Queue)

// WithIntegrationName sets the name written after "->" in the header, which
// becomes the location of the new alert (default "opencti").
func WithIntegrationName(name string) QueueOption {
	return func(q *Queue) { q.name = name }
}

// WithSendTimeout bounds how long one Send may wait for room in a full queue
// (default DefaultSendTimeout); the context can shorten it.
func WithSendTimeout(d time.Duration) QueueOption {
	return func(q *Queue) {
		if d > 0 {
			q.sendTimeout = d
		}
	}
}

// NewQueue returns a Queue for the socket at path (see QueuePath). Nothing is
// opened until the first Send.
func NewQueue(path string, opts ...QueueOption) *Queue {
	q := &Queue{path: path, name: "opencti", sendTimeout: DefaultSendTimeout}
	for _, o := range opts {
		o(q)
	}
	return q
}

// Header returns the start of a queue message for an event about agent,
// ending with the colon the JSON follows: "1:opencti:" for the manager
// (agent "000" or none), else "1:[004] (WS-FIN-0231) 10.40.12.31->opencti:",
// with "any" when the agent has no address. analysisd splits the message at
// the first ':' that is not escaped, so in the location part '|' becomes "||"
// and then ':' becomes "|:" (an IPv6 address would otherwise break it). An
// empty name means "opencti".
func Header(agent Agent, name string) string {
	return string(appendHeader(nil, agent, name))
}

func appendHeader(b []byte, agent Agent, name string) []byte {
	if name == "" {
		name = "opencti"
	}
	b = append(b, "1:"...)
	if !agent.IsManager() {
		ip := agent.IP
		if ip == "" {
			ip = "any"
		}
		b = append(b, '[')
		b = appendEscaped(b, agent.ID)
		b = append(b, "] ("...)
		b = appendEscaped(b, agent.Name)
		b = append(b, ") "...)
		b = appendEscaped(b, ip)
		b = append(b, "->"...)
	}
	b = appendEscaped(b, name)
	return append(b, ':')
}

// appendEscaped escapes '|' as "||" and ':' as "|:" in one pass, which is the
// same as replacing '|' first and ':' second.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '|', ':':
			b = append(b, '|', c)
		default:
			b = append(b, c)
		}
	}
	return b
}

// Message returns the datagram Send would write for the event: the header and
// the event's JSON (no HTML escaping, no trailing newline). It fails with
// ErrInvalidEvent when the event does not encode to a JSON object, and with a
// *MessageTooLongError when the datagram would be over MaxMessageSize.
func Message(agent Agent, name string, event any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(appendHeader(make([]byte, 0, 512), agent, name))
	start := buf.Len()
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(event); err != nil {
		return nil, fmt.Errorf("wazuh: encoding event: %w", err)
	}
	msg := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	// analysisd's JSON decoder only looks at payloads that start with {".
	if !bytes.HasPrefix(msg[start:], []byte(`{"`)) {
		return nil, fmt.Errorf("wazuh: %w (or an empty one)", ErrInvalidEvent)
	}
	if len(msg) > MaxMessageSize {
		return nil, &MessageTooLongError{Size: len(msg), Limit: MaxMessageSize}
	}
	return msg, nil
}

// Send encodes event as JSON and writes it with its header as one datagram.
// An event too large is refused with a *MessageTooLongError and nothing is
// sent: the caller shrinks it and tries again. If the socket is missing or
// refuses, the error matches ErrNotRunning. While the queue is full Send waits
// and retries until the context or the send timeout ends, then fails with
// ErrQueueFull.
func (q *Queue) Send(ctx context.Context, agent Agent, event any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msg, err := Message(agent, q.name, event)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.write(ctx, msg)
}

// write sends one datagram. A connection refused on an open socket means
// analysisd restarted and made a new socket: reconnect once.
func (q *Queue) write(ctx context.Context, msg []byte) error {
	deadline := time.Now().Add(q.sendTimeout)
	ctxBound := false // the context's deadline comes first
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, ctxBound = d, true
	}
	backoff := 5 * time.Millisecond
	redialed := false
	for {
		if q.conn == nil {
			if err := q.dial(); err != nil {
				return err
			}
		}
		err := q.writeOnce(ctx, msg, deadline)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EMSGSIZE):
			return &MessageTooLongError{Size: len(msg), Err: err}
		case isNotRunning(err) || errors.Is(err, syscall.ENOTCONN) || errors.Is(err, syscall.EPIPE):
			q.closeConn()
			if redialed {
				return fmt.Errorf("wazuh: sending to %s: %w: %w", q.path, ErrNotRunning, err)
			}
			redialed = true
		case errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.EAGAIN):
			// Go's poller waits out EAGAIN itself (until the deadline); ENOBUFS
			// comes back at once, so back off and try again.
			if time.Now().Add(backoff).After(deadline) {
				return fmt.Errorf("wazuh: sending to %s: %w: %w", q.path, ErrQueueFull, err)
			}
			if err := sleepCtx(ctx, backoff); err != nil {
				return fmt.Errorf("wazuh: sending to %s: %w, gave up: %w", q.path, ErrQueueFull, err)
			}
			backoff = min(2*backoff, 200*time.Millisecond)
		case errors.Is(err, os.ErrDeadlineExceeded):
			if ctx.Err() != nil || ctxBound {
				cause := context.Cause(ctx)
				if cause == nil { // the socket's deadline fired before the context's timer
					cause = context.DeadlineExceeded
				}
				return fmt.Errorf("wazuh: sending to %s: %w, gave up: %w", q.path, ErrQueueFull, cause)
			}
			return fmt.Errorf("wazuh: sending to %s: %w: no room after %v", q.path, ErrQueueFull, q.sendTimeout)
		default:
			return fmt.Errorf("wazuh: sending to %s: %w", q.path, err)
		}
	}
}

// writeOnce writes with a deadline; a cancelled context ends the wait early.
func (q *Queue) writeOnce(ctx context.Context, msg []byte, deadline time.Time) error {
	conn := q.conn
	if err := conn.SetWriteDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()
	_, err := conn.Write(msg)
	return err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func isNotRunning(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)
}

func (q *Queue) dial() error {
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: q.path, Net: "unixgram"})
	if err != nil {
		if isNotRunning(err) {
			return fmt.Errorf("wazuh: connecting to %s: %w: %w", q.path, ErrNotRunning, err)
		}
		return fmt.Errorf("wazuh: connecting to %s: %w", q.path, err)
	}
	if err := ensureSendBuffer(conn, MaxMessageSize); err != nil {
		conn.Close()
		return fmt.Errorf("wazuh: connecting to %s: %w", q.path, err)
	}
	q.conn = conn
	return nil
}

func (q *Queue) closeConn() {
	if q.conn != nil {
		_ = q.conn.Close()
		q.conn = nil
	}
}

// Close closes the connection, if any. The Queue may be used again: the next
// Send reconnects.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.conn == nil {
		return nil
	}
	err := q.conn.Close()
	q.conn = nil
	return err
}

// String describes the queue for logs.
func (q *Queue) String() string {
	return "wazuh.Queue(" + strconv.Quote(q.path) + ")"
}
