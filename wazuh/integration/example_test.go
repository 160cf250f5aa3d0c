package integration_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh/integration"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

// An integration of its own, in a few lines: it answers every alert with
// one event under the alert's agent. Here a temporary Wazuh home stands in
// for the manager; installed as <home>/integrations/custom-echo, the home is
// found from the program's path.
func Example() {
	home, _ := wazuhtest.NewHome("")
	defer home.Close()
	alert := filepath.Join(os.TempDir(), "custom-echo-1732612800-1.alert")
	os.WriteFile(alert, []byte(`{"id":"1732612800.42","rule":{"id":"5710"},"agent":{"id":"021","name":"bastion-01"}}`+"\n"), 0o600)
	defer os.Remove(alert)
	args := []string{alert, "API-KEY", "https://example.org/hook", "", "", "10", "3"} // as integratord passes them

	run, err := integration.Start(args, integration.Config{Program: "custom-echo", Home: home.Dir})
	if err != nil {
		os.Exit(run.Finish(err))
	}
	defer run.Close()
	event := map[string]string{"integration": "echo", "alert_id": run.Alert.ID}
	status := run.Finish(run.Send(context.Background(), "echo", event))

	msgs, _ := home.Flush(time.Second)
	fmt.Println("exit status", status)
	fmt.Printf("%s\n", msgs[0].Raw)
	// Output:
	// exit status 0
	// 1:[021] (bastion-01) any->echo:{"alert_id":"1732612800.42","integration":"echo"}
}
