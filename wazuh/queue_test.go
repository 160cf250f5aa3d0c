//go:build unix

package wazuh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// shortTempDir returns a temporary directory whose socket paths fit in
// sun_path (108 bytes), which t.TempDir() under a long TMPDIR may not.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if len(QueuePath(dir)) < 100 {
		return dir
	}
	dir, err := os.MkdirTemp("/tmp", "wq")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// fakeAnalysisd binds a datagram socket where analysisd's queue would be and
// returns its path and a function that reads the next datagram.
func fakeAnalysisd(t *testing.T) (path string, conn *net.UnixConn) {
	t.Helper()
	path = QueuePath(shortTempDir(t))
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return path, conn
}

// receive reads one datagram, failing the test after a second.
func receive(t *testing.T, conn *net.UnixConn) []byte {
	t.Helper()
	buf := make([]byte, MaxMessageSize+1024)
	if err := conn.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("no datagram received: %v", err)
	}
	return buf[:n]
}

// expectNothing checks that no datagram is waiting.
func expectNothing(t *testing.T, conn *net.UnixConn) {
	t.Helper()
	buf := make([]byte, MaxMessageSize+1024)
	if err := conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n, err := conn.Read(buf); err == nil {
		t.Errorf("unexpected datagram of %d bytes: %.80q", n, buf[:n])
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		name  string
		agent Agent
		iname string
		want  string
	}{
		{"manager 000", Agent{ID: "000", Name: "wazuh-mgr01"}, "opencti", "1:opencti:"},
		{"no agent", Agent{}, "opencti", "1:opencti:"},
		{"named agent", Agent{ID: "004", Name: "WS-FIN-0231", IP: "10.40.12.31"}, "opencti", "1:[004] (WS-FIN-0231) 10.40.12.31->opencti:"},
		{"agent without ip", Agent{ID: "009", Name: "PC-BUH-02"}, "opencti", "1:[009] (PC-BUH-02) any->opencti:"},
		{"ipv6 agent", Agent{ID: "017", Name: "WS-LAB-07", IP: "2001:db8::31"}, "opencti", "1:[017] (WS-LAB-07) 2001|:db8|:|:31->opencti:"},
		{"name with | and :", Agent{ID: "021", Name: "db|prod:eu", IP: "10.0.0.1"}, "opencti", "1:[021] (db||prod|:eu) 10.0.0.1->opencti:"},
		{"escaped escapes", Agent{ID: "022", Name: "a||:b|:", IP: "any"}, "opencti", "1:[022] (a|||||:b|||:) any->opencti:"},
		{"other integration", Agent{ID: "004", Name: "h", IP: "10.0.0.2"}, "virustotal", "1:[004] (h) 10.0.0.2->virustotal:"},
		{"default name", Agent{}, "", "1:opencti:"},
		{"name escaped", Agent{}, "my:int", "1:my|:int:"},
	}
	for _, tt := range tests {
		if got := Header(tt.agent, tt.iname); got != tt.want {
			t.Errorf("%s: Header = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestQueueSendExactBytes(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	q := NewQueue(path)
	defer q.Close()
	event := map[string]any{
		"integration": "opencti",
		"opencti": map[string]any{
			"event_type": "indicator_pattern_match",
			"indicator":  map[string]any{"pattern": "[url:value = 'http://a.example/?a=1&b=<2>']"},
		},
	}
	body := `{"integration":"opencti","opencti":{"event_type":"indicator_pattern_match",` +
		`"indicator":{"pattern":"[url:value = 'http://a.example/?a=1&b=<2>']"}}}`
	tests := []struct {
		name  string
		agent Agent
		want  string
	}{
		{"agent 000", Agent{ID: "000", Name: "wazuh-mgr01"}, "1:opencti:" + body},
		{"no agent", Agent{}, "1:opencti:" + body},
		{"named agent", Agent{ID: "004", Name: "WS-FIN-0231", IP: "10.40.12.31"}, "1:[004] (WS-FIN-0231) 10.40.12.31->opencti:" + body},
		{"agent without ip", Agent{ID: "009", Name: "PC-BUH-02"}, "1:[009] (PC-BUH-02) any->opencti:" + body},
		{"ipv6 agent", Agent{ID: "017", Name: "WS-LAB-07", IP: "2001:db8::31"}, "1:[017] (WS-LAB-07) 2001|:db8|:|:31->opencti:" + body},
		{"name with | and :", Agent{ID: "021", Name: "db|prod:eu", IP: "10.0.0.1"}, "1:[021] (db||prod|:eu) 10.0.0.1->opencti:" + body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := q.Send(context.Background(), tt.agent, event); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(receive(t, srv))); diff != "" {
				t.Errorf("datagram (-want +got):\n%s", diff)
			}
		})
	}

	// An Alert's agent and a Value round-trip too (keys in document order).
	a, err := DecodeAlert([]byte(`{"agent":{"id":"017","name":"WS-LAB-07","ip":"2001:db8::31"},"data":{"z":1,"a":"<b>"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Send(context.Background(), a.Agent, a.Data); err != nil {
		t.Fatal(err)
	}
	if got, want := string(receive(t, srv)), `1:[017] (WS-LAB-07) 2001|:db8|:|:31->opencti:{"z":1,"a":"<b>"}`; got != want {
		t.Errorf("datagram %q, want %q", got, want)
	}
}

func TestQueueIntegrationName(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	q := NewQueue(path, WithIntegrationName("threatfox"))
	defer q.Close()
	if err := q.Send(context.Background(), Agent{ID: "004", Name: "h"}, json.RawMessage(`{"integration":"threatfox"}`)); err != nil {
		t.Fatal(err)
	}
	if got := string(receive(t, srv)); got != `1:[004] (h) any->threatfox:{"integration":"threatfox"}` {
		t.Errorf("datagram %q", got)
	}
}

// padEvent returns an event whose datagram for agent is exactly size bytes.
func padEvent(t *testing.T, agent Agent, size int) map[string]string {
	t.Helper()
	overhead := len(Header(agent, "opencti")) + len(`{"integration":"opencti","pad":""}`)
	if size < overhead {
		t.Fatalf("size %d below the overhead %d", size, overhead)
	}
	return map[string]string{"integration": "opencti", "pad": strings.Repeat("x", size-overhead)}
}

func TestQueueSizeBound(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	q := NewQueue(path)
	defer q.Close()
	agent := Agent{ID: "017", Name: "WS-LAB-07", IP: "2001:db8::31"}

	// Exactly at the bound: sent whole, end to end.
	msg, err := Message(agent, "opencti", padEvent(t, agent, MaxMessageSize))
	if err != nil || len(msg) != MaxMessageSize {
		t.Fatalf("Message: %d bytes, %v; want exactly %d", len(msg), err, MaxMessageSize)
	}
	if err := q.Send(context.Background(), agent, padEvent(t, agent, MaxMessageSize)); err != nil {
		t.Fatalf("Send at the bound: %v", err)
	}
	got := receive(t, srv)
	if !bytes.Equal(got, msg) {
		t.Errorf("received %d bytes, want the %d sent", len(got), len(msg))
	}
	if !json.Valid(got[len(Header(agent, "opencti")):]) {
		t.Error("the payload is not valid JSON")
	}

	// One byte more: refused, nothing sent.
	err = q.Send(context.Background(), agent, padEvent(t, agent, MaxMessageSize+1))
	var tl *MessageTooLongError
	if !errors.Is(err, ErrMessageTooLong) || !errors.As(err, &tl) || tl.Size != MaxMessageSize+1 || tl.Limit != MaxMessageSize {
		t.Fatalf("Send over the bound: %#v, want a *MessageTooLongError{Size: %d, Limit: %d}", err, MaxMessageSize+1, MaxMessageSize)
	}
	if want := "wazuh: message too long: 65536 bytes, the limit is 65535"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	expectNothing(t, srv)
}

// shrinkSendBuffer sets SO_SNDBUF to 4 KiB (the kernel doubles it).
func shrinkSendBuffer(t *testing.T, conn *net.UnixConn) {
	t.Helper()
	raw, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var sockErr error
	if err := raw.Control(func(fd uintptr) {
		sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, 4096)
	}); err != nil || sockErr != nil {
		t.Fatal(err, sockErr)
	}
}

func TestQueueSendBufferRaised(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	shrinkSendBuffer(t, conn) // as a small net.core.wmem_default would
	big := bytes.Repeat([]byte("x"), MaxMessageSize)
	if _, err := conn.Write(big); !errors.Is(err, syscall.EMSGSIZE) {
		t.Skipf("this kernel sends %d bytes with a 4 KiB buffer (%v): nothing to raise", MaxMessageSize, err)
	}
	if err := ensureSendBuffer(conn, MaxMessageSize); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(big); err != nil {
		t.Fatalf("after ensureSendBuffer: %v", err)
	}
	if got := receive(t, srv); len(got) != MaxMessageSize {
		t.Errorf("received %d bytes", len(got))
	}
}

func TestQueueNotRunning(t *testing.T) {
	dir := shortTempDir(t)

	// No socket at all.
	q := NewQueue(QueuePath(dir))
	err := q.Send(context.Background(), Agent{}, map[string]int{"a": 1})
	if !errors.Is(err, ErrNotRunning) || !errors.Is(err, syscall.ENOENT) {
		t.Errorf("missing socket: %v, want ErrNotRunning (ENOENT)", err)
	}

	// A socket file nobody listens on (analysisd died without cleaning up).
	path, srv := fakeAnalysisd(t)
	srv.Close() // a datagram socket's file stays behind
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	q = NewQueue(path)
	err = q.Send(context.Background(), Agent{}, map[string]int{"a": 1})
	if !errors.Is(err, ErrNotRunning) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dead socket: %v, want ErrNotRunning (ECONNREFUSED)", err)
	}
}

// TestQueueReconnects restarts the fake analysisd between two sends: the
// second send notices the dead connection and reconnects once.
func TestQueueReconnects(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	q := NewQueue(path)
	defer q.Close()
	if err := q.Send(context.Background(), Agent{}, map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	receive(t, srv)
	srv.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	srv2, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	if err := q.Send(context.Background(), Agent{}, map[string]int{"n": 2}); err != nil {
		t.Fatalf("send after restart: %v", err)
	}
	if got := string(receive(t, srv2)); got != `1:opencti:{"n":2}` {
		t.Errorf("datagram %q", got)
	}
}

func TestQueueFull(t *testing.T) {
	path, _ := fakeAnalysisd(t) // never reads
	q := NewQueue(path, WithSendTimeout(100*time.Millisecond))
	defer q.Close()
	var err error
	start := time.Now()
	for i := 0; i < 10000 && err == nil; i++ {
		err = q.Send(context.Background(), Agent{}, padEvent(t, Agent{}, 8192))
	}
	if !errors.Is(err, ErrQueueFull) {
		t.Fatalf("after filling the queue: %v, want ErrQueueFull", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("filling took %v: the wait is not bounded", d)
	}

	// A cancelled context ends the wait with the context's error.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	q2 := NewQueue(path, WithSendTimeout(time.Minute))
	defer q2.Close()
	start = time.Now()
	err = q2.Send(ctx, Agent{}, map[string]int{"a": 1})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrQueueFull) {
		t.Errorf("cancelled send: %v, want ErrQueueFull and context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelled send returned after %v", d)
	}

	// So does a context deadline shorter than the send timeout.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	err = q2.Send(ctx2, Agent{}, map[string]int{"a": 1})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrQueueFull) {
		t.Errorf("send past the context deadline: %v, want ErrQueueFull and context.DeadlineExceeded", err)
	}

	// A context already done sends nothing.
	if err := q2.Send(ctx, Agent{}, map[string]int{"a": 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("send with a done context: %v", err)
	}
}

func TestMessageInvalidEvents(t *testing.T) {
	for _, event := range []any{"text", 42, []int{1}, nil, map[string]int{}, json.RawMessage(`[1]`)} {
		if _, err := Message(Agent{}, "opencti", event); !errors.Is(err, ErrInvalidEvent) {
			t.Errorf("Message(%#v): %v, want ErrInvalidEvent", event, err)
		}
	}
	if _, err := Message(Agent{}, "opencti", map[string]any{"f": func() {}}); err == nil || errors.Is(err, ErrInvalidEvent) {
		t.Errorf("an unencodable event: %v, want an encoding error", err)
	}
	if _, err := Message(Agent{}, "opencti", json.RawMessage(`{"a":`)); err == nil {
		t.Error("invalid raw JSON was accepted")
	}
}

func TestQueueCloseAndReuse(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	q := NewQueue(path)
	if err := q.Close(); err != nil {
		t.Errorf("Close before any Send: %v", err)
	}
	for i := range 2 {
		if err := q.Send(context.Background(), Agent{}, map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
		receive(t, srv)
		if err := q.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if got := q.String(); got != `wazuh.Queue("`+path+`")` {
		t.Errorf("String() = %s", got)
	}
}

// TestQueueKernelRefusesSize shrinks the send buffer of an open connection
// below the datagram, as a low net.core.wmem_max would: the kernel's EMSGSIZE
// is reported as ErrMessageTooLong.
func TestQueueKernelRefusesSize(t *testing.T) {
	path, srv := fakeAnalysisd(t)
	q := NewQueue(path)
	defer q.Close()
	if err := q.Send(context.Background(), Agent{}, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	receive(t, srv)
	shrinkSendBuffer(t, q.conn)
	err := q.Send(context.Background(), Agent{}, padEvent(t, Agent{}, 60000))
	var tl *MessageTooLongError
	if !errors.As(err, &tl) {
		t.Skipf("the kernel sent 60,000 bytes with a 4 KiB buffer (%v)", err)
	}
	if !errors.Is(err, ErrMessageTooLong) || !errors.Is(err, syscall.EMSGSIZE) || tl.Limit != 0 || tl.Size != 60000 {
		t.Errorf("error %#v", err)
	}
	if want := "wazuh: message too long: the kernel refused a datagram of 60000 bytes (socket send buffer too small: see net.core.wmem_max)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	expectNothing(t, srv)
}
