// Command baseline is the floor the end-to-end benchmark compares the
// reference integration with: the least a Go integration can do per alert.
// It is started exactly like custom-opencti (same argv, installed in
// <home>/integrations) and does the same I/O with nothing else: it reads
// and decodes the alert file, makes one GraphQL POST with a fixed small
// query, and sends one datagram to analysisd's queue socket under the
// alert's agent. It uses only the standard library.
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
	"strings"
)

// query is a small read every token may make.
const query = `{"query":"query health { about { version } me { name } }","operationName":"health"}`

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

	req, err := http.NewRequest(http.MethodPost, args[2], strings.NewReader(query))
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
		Data struct {
			About struct {
				Version string `json:"version"`
			} `json:"about"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return err
	}

	event, err := json.Marshal(map[string]any{
		"integration": "opencti",
		"opencti":     map[string]string{"event_type": "baseline", "alert_id": alert.ID, "version": answer.Data.About.Version},
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
