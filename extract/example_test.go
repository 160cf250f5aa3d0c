package extract_test

import (
	"fmt"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

func ExampleSet_Extract() {
	alert, err := wazuh.DecodeAlert([]byte(`{
		"rule": {"id": "100201", "groups": ["windows", "sysmon", "sysmon_event_22"]},
		"agent": {"id": "004", "name": "WS-FIN-0231"},
		"data": {"win": {
			"system": {"eventID": "22", "channel": "Microsoft-Windows-Sysmon/Operational"},
			"eventdata": {
				"queryName": "update-check.example.com",
				"queryResults": "type:  5 edge-7.example-cdn.net;::ffff:151.101.1.69;10.40.0.10;2a04:4e42::69;"
			}}},
		"location": "EventChannel"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res := extract.Default().Extract(alert)
	for _, f := range res.Findings {
		fmt.Printf("%-10s %-7s %-12s %s\n", f.Extractor, f.Role, f.Observable.Type(), f.Observable)
	}
	for _, d := range res.Dropped {
		fmt.Printf("dropped %s: %s\n", d.Finding.Observable, d.Reason)
	}
	// Output:
	// sysmon-dns query   domain-name  update-check.example.com
	// sysmon-dns answer  domain-name  edge-7.example-cdn.net
	// sysmon-dns answer  ipv4-addr    151.101.1.69
	// sysmon-dns answer  ipv6-addr    2a04:4e42::69
	// dropped 10.40.0.10: private 10.0.0.0/8
}

// A user's extractor for a field of their own decoder, added to the
// built-ins. The Set applies the policy to its findings too, and adds the
// host of the URL.
func ExampleFunc() {
	downloads := extract.Func("app-download", func(a *wazuh.Alert) []extract.Finding {
		s, ok := a.Field("data.app.download_url").String()
		if !ok {
			return nil
		}
		u, err := stix.NewURL(s)
		if err != nil {
			return nil // invalid values are left out
		}
		return []extract.Finding{{Observable: u, Field: "data.app.download_url", Role: extract.RoleURL}}
	})
	set := extract.Default().With(downloads)

	alert, err := wazuh.DecodeAlert([]byte(`{"rule": {"id": "100700", "groups": ["app"]},
		"data": {"app": {"download_url": "https://dl.example.net/setup.exe?id=7f3a"}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range set.Extract(alert).Findings {
		fmt.Println(f.Extractor, f.Role, f.Observable)
	}
	// Output:
	// app-download url https://dl.example.net/setup.exe?id=7f3a
	// app-download url-host dl.example.net
}

func ExampleSet_Extract_skipped() {
	alert, err := wazuh.DecodeAlert([]byte(`{"rule": {"id": "86601", "groups": ["ids", "suricata"]},
		"data": {"event_type": "alert", "src_ip": "10.40.12.200", "dest_ip": "172.16.8.20"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(extract.Default().Extract(alert).Skipped)
	// Output:
	// dropped by the policy: 10.40.12.200 (private 10.0.0.0/8), 172.16.8.20 (private 172.16.0.0/12)
}

func ExampleParseSysmonHashes() {
	for _, h := range extract.ParseSysmonHashes("SHA1=D693BFD0817FA4B068AC3D12EA9DE3AF770F6268,MD5=2395D12C80F09BBB7B574785EECB09AD,IMPHASH=A1047E4874D4C838D66CE7031565558A") {
		fmt.Println(h)
	}
	// Output:
	// MD5=2395d12c80f09bbb7b574785eecb09ad
	// SHA-1=d693bfd0817fa4b068ac3d12ea9de3af770f6268
}

func ExampleParseDNSQueryResults() {
	for _, o := range extract.ParseDNSQueryResults("type:  5 edge-7.example-cdn.net;::ffff:151.101.1.69;junk!;2a04:4e42:0:0::69;") {
		fmt.Println(o.Type(), o)
	}
	// Output:
	// domain-name edge-7.example-cdn.net
	// ipv4-addr 151.101.1.69
	// ipv6-addr 2a04:4e42::69
}

func ExampleSet_WithPolicy() {
	p := extract.DefaultPolicy()
	p.IncludePrivate = true // an OpenCTI with internal intelligence
	set := extract.Default().WithPolicy(p)
	alert, err := wazuh.DecodeAlert([]byte(`{"rule": {"id": "5710", "groups": ["sshd"]}, "data": {"srcip": "10.40.12.200"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(set.Extract(alert).Observables())
	// Output:
	// [10.40.12.200]
}
