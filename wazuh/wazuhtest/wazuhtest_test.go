package wazuhtest

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

func TestHomeReceivesWhatQueueSends(t *testing.T) {
	h, err := NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, sub := range []string{"integrations", "logs"} {
		if fi, err := os.Stat(h.Dir + "/" + sub); err != nil || !fi.IsDir() {
			t.Errorf("%s missing: %v", sub, err)
		}
	}
	q := wazuh.NewQueue(h.QueuePath())
	defer q.Close()
	agent := wazuh.Agent{ID: "017", Name: "WS|LAB:07", IP: "2001:db8::31"}
	event := map[string]any{"integration": "opencti", "n": 1}
	if err := q.Send(context.Background(), agent, event); err != nil {
		t.Fatal(err)
	}
	if err := q.Send(context.Background(), wazuh.Agent{ID: "000"}, event); err != nil {
		t.Fatal(err)
	}
	m, err := h.Next(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := Message{
		Raw:      m.Raw,
		Queue:    "1",
		Location: "[017] (WS|LAB:07) 2001:db8::31->opencti",
		Event:    []byte(`{"integration":"opencti","n":1}`),
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	m, err = h.Next(time.Second)
	if err != nil || m.Location != "opencti" {
		t.Errorf("manager message: %+v, %v", m, err)
	}
	if got, err := h.Received(); err != nil || len(got) != 0 {
		t.Errorf("Received after draining = %v, %v", got, err)
	}
	if _, err := h.Next(10 * time.Millisecond); err != ErrTimeout {
		t.Errorf("Next on an empty queue: %v", err)
	}
}

func TestFlush(t *testing.T) {
	h, err := NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	q := wazuh.NewQueue(h.QueuePath())
	defer q.Close()
	for i := range 50 {
		if err := q.Send(context.Background(), wazuh.Agent{}, map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := h.Flush(5 * time.Second)
	if err != nil || len(got) != 50 {
		t.Fatalf("Flush = %d messages, %v", len(got), err)
	}
	if string(got[49].Event) != `{"n":49}` {
		t.Errorf("last message %s", got[49].Event)
	}
	if got, err := h.Flush(time.Second); err != nil || len(got) != 0 {
		t.Errorf("second Flush = %v, %v", got, err)
	}
}

func TestParseMessage(t *testing.T) {
	for _, tc := range []struct {
		in, loc, event string
		bad            bool
	}{
		{in: `1:opencti:{"a":1}`, loc: "opencti", event: `{"a":1}`},
		{in: `1:[1] (a||b) 2001|:db8|:|:1->opencti:{}`, loc: "[1] (a|b) 2001:db8::1->opencti", event: `{}`},
		{in: `1:x|`, bad: true},
		{in: `nothing`, bad: true},
	} {
		m, err := ParseMessage([]byte(tc.in))
		if tc.bad {
			if err == nil {
				t.Errorf("ParseMessage(%q) succeeded", tc.in)
			}
			continue
		}
		if err != nil || m.Location != tc.loc || string(m.Event) != tc.event {
			t.Errorf("ParseMessage(%q) = %q, %q, %v", tc.in, m.Location, m.Event, err)
		}
	}
}

func TestCloseRemovesHome(t *testing.T) {
	h, err := NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(h.Dir); !os.IsNotExist(err) {
		t.Errorf("home still there: %v", err)
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := NewHome("/" + strings.Repeat("x", 200)); err == nil {
		t.Errorf("NewHome in a missing directory succeeded")
	}
}

// TestCloseWithUnreadDatagrams: Close must not hang when more datagrams
// arrived than the home buffers and nobody read them.
func TestCloseWithUnreadDatagrams(t *testing.T) {
	h, err := NewHome("")
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: h.QueuePath(), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Send until the socket is full: the home's buffer is full too, then.
	for i := 0; i < 100000; i++ {
		c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := c.Write([]byte(`1:opencti:{"n":1}`)); err != nil {
			break
		}
	}
	closed := make(chan error, 1)
	go func() { closed <- h.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs with unread datagrams")
	}
}
