package wazuh_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

func ExampleParseInvocation() {
	// os.Args[1:] as Wazuh 4.8 passes them with integrator debug off.
	args := []string{
		"/tmp/custom-opencti-1741944413-1804289383.alert",
		"8f2c1a7e-93b4-4d0a-b6e2-5c71f0d9a3e4",
		"https://cti.example.org/graphql",
		"",
		"/tmp/custom-opencti-1741944413-1804289383.options",
		"20", "2",
		"> /dev/null 2>&1",
	}
	inv, err := wazuh.ParseInvocation(args)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inv.AlertFile)
	fmt.Println(inv.HookURL, inv.Debug, inv.Timeout, inv.Retries)
	fmt.Println(inv) // the key is never printed

	_, err = wazuh.ParseInvocation([]string{"/tmp/x.alert"})
	fmt.Println(err)
	// Output:
	// /tmp/custom-opencti-1741944413-1804289383.alert
	// https://cti.example.org/graphql false 20s 2
	// Invocation{AlertFile: "/tmp/custom-opencti-1741944413-1804289383.alert", APIKey: "[redacted]", HookURL: "https://cti.example.org/graphql", Debug: false, OptionsFile: "/tmp/custom-opencti-1741944413-1804289383.options", Timeout: 20s, Retries: 2}
	// wazuh: bad invocation: got 1 arguments, want at least 3 (alert file, api key, hook url)
}

func ExampleDecodeAlert() {
	alert := []byte(`{"timestamp":"2025-03-15T08:00:01.114+0000","rule":{"level":3,"id":"86601",` +
		`"groups":["ids","suricata"]},"agent":{"id":"002","name":"ids-sensor-01","ip":"10.40.0.5"},` +
		`"id":"1742025601.1155866","data":{"src_ip":"45.146.165.37","src_port":"80",` +
		`"flow_id":"1755196584425738.000000","dns":{"query":[{"rrname":"a.example.net"},{"rrname":"b.example.net"}]}},` +
		`"location":"/var/log/suricata/eve.json"}` + "\n")
	a, err := wazuh.DecodeAlert(alert)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Rule.ID, a.Rule.Level, a.HasGroup("ids"), a.Agent.Name, a.Agent.IsManager())

	src, _ := a.Field("data.src_ip").String()
	port, _ := a.Field("data.src_port").Int() // a number Wazuh wrote as a string
	flow, _ := a.Field("data.flow_id").Int()  // "%f" output
	fmt.Println(src, port, flow)
	fmt.Println(a.Field("data.dns.query.rrname").Strings()) // from every element
	fmt.Println(a.Field("data.dest_ip").Exists())
	// Output:
	// 86601 3 true ids-sensor-01 false
	// 45.146.165.37 80 1755196584425738
	// [a.example.net b.example.net]
	// false
}

func ExampleHeader() {
	fmt.Println(wazuh.Header(wazuh.Agent{ID: "000", Name: "wazuh-mgr01"}, "opencti"))
	fmt.Println(wazuh.Header(wazuh.Agent{ID: "004", Name: "WS-FIN-0231", IP: "10.40.12.31"}, "opencti"))
	fmt.Println(wazuh.Header(wazuh.Agent{ID: "017", Name: "WS-LAB-07", IP: "2001:db8::31"}, "opencti"))
	fmt.Println(wazuh.Header(wazuh.Agent{ID: "009", Name: "PC-BUH-02"}, "opencti"))
	// Output:
	// 1:opencti:
	// 1:[004] (WS-FIN-0231) 10.40.12.31->opencti:
	// 1:[017] (WS-LAB-07) 2001|:db8|:|:31->opencti:
	// 1:[009] (PC-BUH-02) any->opencti:
}

func ExampleQueue() {
	home := "/var/ossec" // in an integration: wazuh.FindHome()
	q := wazuh.NewQueue(wazuh.QueuePath(home))
	defer q.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	event := map[string]any{"integration": "opencti", "opencti": map[string]any{"event_type": "error", "error": "timeout"}}
	if err := q.Send(ctx, wazuh.Agent{ID: "004", Name: "WS-FIN-0231", IP: "10.40.12.31"}, event); err != nil {
		fmt.Println("not sent:", err)
	}
}

func ExampleMessage() {
	msg, err := wazuh.Message(wazuh.Agent{ID: "004", Name: "WS-FIN-0231", IP: "10.40.12.31"}, "opencti",
		map[string]any{"integration": "opencti", "opencti": map[string]string{"event_type": "observable_with_indicator"}})
	fmt.Println(string(msg), err)
	// Output:
	// 1:[004] (WS-FIN-0231) 10.40.12.31->opencti:{"integration":"opencti","opencti":{"event_type":"observable_with_indicator"}} <nil>
}

func ExampleNewLogHandler() {
	// In an integration: f, err := wazuh.OpenLog(home) and pass f.
	var buf bytes.Buffer
	const key = "8f2c1a7e-93b4-4d0a-b6e2-5c71f0d9a3e4"
	log := slog.New(wazuh.NewLogHandler(&buf, wazuh.LogOptions{
		Name:    "custom-opencti",
		Debug:   false,
		Secrets: []string{key},
	}))
	log.Info("looked up 3 observables", "alert_id", "1741944413.1052919", "took", 212*time.Millisecond)
	log.Debug("not written without Debug")
	log.Warn("OpenCTI refused the token "+key, "status", 401)
	log.Error("request failed", "err", "dial tcp: i/o timeout\nretrying", "authorization", "Bearer "+key)

	// Each line starts with the local time ("2025/03/14 09:26:53 "); cut it
	// so the example's output is stable.
	for _, line := range bytes.SplitAfter(buf.Bytes(), []byte("\n")) {
		if len(line) > 20 {
			fmt.Print(string(line[20:]))
		}
	}
	// Output:
	// custom-opencti: INFO: looked up 3 observables alert_id=1741944413.1052919 took=212ms
	// custom-opencti: WARNING: OpenCTI refused the token [redacted] status=401
	// custom-opencti: ERROR: request failed err="dial tcp: i/o timeout\nretrying" authorization=[redacted]
}
