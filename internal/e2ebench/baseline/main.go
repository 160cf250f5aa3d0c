// Command baseline is the floor the end-to-end benchmark compares the
// reference integration with: the least a Go integration can do per alert.
// It is started exactly like custom-opencti (same argv, installed in
// <home>/integrations) and does the same I/O with nothing else: it reads
// and decodes the alert file, makes one GraphQL POST, and sends one datagram
// to analysisd's queue socket under the alert's agent. It uses only the
// standard library.
//
// The POST asks the same question as the integration: its body is the
// integration's own request for the alert, which the benchmark records from
// a hit run into <this program>.request. Both programs then wait equally
// for the fake OpenCTI to answer, and the ratio of their times measures the
// programs, not the fake.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "baseline: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 {
		return errors.New("usage: baseline ALERT_FILE API_KEY HOOK_URL [ARG...]")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	home := filepath.Dir(filepath.Dir(exe)) // <home>/integrations/baseline

	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	query, err := os.ReadFile(exe + ".request")
	if err != nil {
		return err
	}
	var alert struct {
		ID    string `json:"id"`
		Agent struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			IP   string `json:"ip"`
		} `json:"agent"`
	}
	if err := json.Unmarshal(data, &alert); err != nil {
		return err
	}

	req, err := http.NewRequest(http.MethodPost, args[2], bytes.NewReader(query))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+args[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP status %d", resp.StatusCode)
	}
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return err
	}
	if len(answer.Errors) > 0 {
		return fmt.Errorf("GraphQL errors: %v", answer.Errors)
	}

	event, err := json.Marshal(map[string]any{
		"integration": "opencti",
		"opencti":     map[string]any{"event_type": "baseline", "alert_id": alert.ID, "answer_bytes": len(body)},
	})
	if err != nil {
		return err
	}
	var msg bytes.Buffer
	msg.WriteString("1:")
	if alert.Agent.ID != "" && alert.Agent.ID != "000" {
		fmt.Fprintf(&msg, "[%s] (%s) %s->", alert.Agent.ID, alert.Agent.Name, alert.Agent.IP)
	}
	msg.WriteString("opencti:")
	msg.Write(event)

	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: filepath.Join(home, "queue", "sockets", "queue"), Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write(msg.Bytes())
	return err
}
