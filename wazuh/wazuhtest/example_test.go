package wazuhtest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh/wazuhtest"
)

// A temporary Wazuh home stands in for a manager: what an integration sends
// to its queue socket arrives as analysisd would read it.
func ExampleHome() {
	home, err := wazuhtest.NewHome("")
	if err != nil {
		panic(err)
	}
	defer home.Close()

	q := wazuh.NewQueue(home.QueuePath())
	defer q.Close()
	agent := wazuh.Agent{ID: "017", Name: "WS-LAB-07", IP: "2001:db8::31"}
	if err := q.Send(context.Background(), agent, map[string]string{"integration": "opencti"}); err != nil {
		panic(err)
	}

	msgs, err := home.Flush(time.Second)
	if err != nil {
		panic(err)
	}
	for _, m := range msgs {
		fmt.Printf("%s\n%s\n%s\n", m.Raw, m.Location, m.Event)
	}
	// Output:
	// 1:[017] (WS-LAB-07) 2001|:db8|:|:31->opencti:{"integration":"opencti"}
	// [017] (WS-LAB-07) 2001:db8::31->opencti
	// {"integration":"opencti"}
}
