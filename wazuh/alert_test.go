package wazuh

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wazuh-opencti/wazuh-opencti/internal/samples"
)

// valueJSON compares Values by their JSON text.
var valueJSON = cmp.Comparer(func(a, b Value) bool {
	return bytes.Equal(a.appendJSON(nil), b.appendJSON(nil))
})

var alertOpts = cmp.Options{valueJSON, cmpopts.IgnoreUnexported(Alert{})}

func readTestAlert(t testing.TB, name string) *Alert {
	t.Helper()
	a, err := ReadAlertFile(filepath.Join("testdata", "alerts", name))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSampleAlerts decodes every shared sample alert and checks that
// re-encoding gives back the file byte for byte: nothing is dropped or
// reordered.
func TestSampleAlerts(t *testing.T) {
	for _, path := range samples.Files(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			a, err := ReadAlertFile(path)
			if err != nil {
				t.Fatalf("ReadAlertFile: %v", err)
			}
			if a.ID == "" || a.Rule.ID == "" || a.Timestamp.IsZero() || len(a.Rule.Groups) == 0 {
				t.Errorf("core fields missing: id %q, rule %q, timestamp %v, groups %v", a.ID, a.Rule.ID, a.Timestamp, a.Rule.Groups)
			}
			out, err := a.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if want := bytes.TrimSuffix(raw, []byte("\n")); !bytes.Equal(out, want) {
				t.Errorf("re-encoded alert differs from the file:\n got %s\nwant %s", out, want)
			}
		})
	}
}

func TestDecodeAlertCore(t *testing.T) {
	mustTime := func(s string) time.Time {
		tm, err := time.Parse(TimestampLayout, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		file string
		want Alert
	}{
		{
			file: "sysmon-eid1-wscript-child-remote-agent.json",
			want: Alert{
				Timestamp: mustTime("2025-03-14T09:26:53.417+0000"),
				ID:        "1741944413.1052919",
				Rule: Rule{
					ID: "92000", Level: 4, Description: "Scripting interpreter spawned a new process",
					Groups: []string{"sysmon", "sysmon_eid1_detections", "windows"}, FiredTimes: 1,
					Mitre: Mitre{ID: []string{"T1059.005"}, Tactic: []string{"Execution"}, Technique: []string{"Visual Basic"}},
				},
				Agent:    Agent{ID: "004", Name: "WS-FIN-0231", IP: "10.40.12.31"},
				Manager:  Manager{Name: "wazuh-mgr01"},
				Decoder:  Decoder{Name: "windows_eventchannel"},
				Location: "EventChannel",
			},
		},
		{
			file: "syscheck-modified-manager-000-whodata.json",
			want: Alert{
				Timestamp: mustTime("2025-03-16T03:00:41.101+0000"),
				ID:        "1742094041.1219218",
				Rule: Rule{
					ID: "550", Level: 7, Description: "Integrity checksum changed.",
					Groups: []string{"ossec", "syscheck", "syscheck_entry_modified", "syscheck_file"}, FiredTimes: 1,
					Mitre: Mitre{ID: []string{"T1565.001"}, Tactic: []string{"Impact"}, Technique: []string{"Stored Data Manipulation"}},
				},
				Agent:    Agent{ID: "000", Name: "wazuh-mgr01"},
				Manager:  Manager{Name: "wazuh-mgr01"},
				Decoder:  Decoder{Name: "syscheck_integrity_changed"},
				Location: "syscheck",
				FullLog: strings.Join([]string{
					"File '/usr/sbin/sshd' modified",
					"Mode: whodata",
					"Changed attributes: size,mtime,inode,md5,sha1,sha256",
					"Size changed from '1248440' to '1251872'",
					"Old modification time was: '1741000000', now it is '1742094040'",
					"Old inode was: '393411', now it is '393988'",
					"Old md5sum was: 'a355b8adf34954998eb5b185800fade5'",
					"New md5sum is : '24b5c44ecb0a40a22e3a238dfdff5812'",
					"Old sha1sum was: 'd4994b1c7f3f812c87bf78dc3014c3d666ca7396'",
					"New sha1sum is : '632d126b7b2f9130db0f93fa644c507c2482158d'",
					"Old sha256sum was: '2b1aa31c505e57c5eea37e43e06ba1778082cf7de4c22c67f9654983f61e6247'",
					"New sha256sum is : '36386bc5a3388b25c62e5d2c857443ae6958911bf00300ff595d04484aa75e15'",
					"",
				}, "\n"),
				Syscheck: &Syscheck{
					Path: "/usr/sbin/sshd", Event: "modified", Mode: "whodata",
					SizeBefore: "1248440", SizeAfter: "1251872",
					MD5Before:    "a355b8adf34954998eb5b185800fade5",
					SHA1Before:   "d4994b1c7f3f812c87bf78dc3014c3d666ca7396",
					SHA256Before: "2b1aa31c505e57c5eea37e43e06ba1778082cf7de4c22c67f9654983f61e6247",
					MD5After:     "24b5c44ecb0a40a22e3a238dfdff5812",
					SHA1After:    "632d126b7b2f9130db0f93fa644c507c2482158d",
					SHA256After:  "36386bc5a3388b25c62e5d2c857443ae6958911bf00300ff595d04484aa75e15",
					MTimeBefore:  "2025-03-03T11:06:40", MTimeAfter: "2025-03-16T03:00:40",
					UnameAfter: "root", GnameAfter: "root", PermAfter: "rwxr-xr-x",
					ChangedAttributes: []string{"size", "mtime", "inode", "md5", "sha1", "sha256"},
				},
			},
		},
		{
			file: "misc-sshd-invalid-user-ipv6-agent-labels-cluster.json",
			want: Alert{
				Timestamp: mustTime("2025-03-18T05:44:10.128+0000"),
				ID:        "1742276650.1290489",
				Rule: Rule{
					ID: "5710", Level: 5, Description: "sshd: Attempt to login using a non-existent user",
					Groups:     []string{"syslog", "sshd", "authentication_failed", "invalid_login"},
					FiredTimes: 6,
					Mitre: Mitre{
						ID:        []string{"T1110.001", "T1021.004"},
						Tactic:    []string{"Credential Access", "Lateral Movement"},
						Technique: []string{"Password Guessing", "SSH"},
					},
				},
				Agent:    Agent{ID: "021", Name: "bastion-01", IP: "2001:db8:20::21", Labels: map[string]string{"env": "prod", "owner": "sre:team|a"}},
				Manager:  Manager{Name: "wazuh-mgr01"},
				Cluster:  Cluster{Name: "wazuh", Node: "worker-02"},
				Decoder:  Decoder{Name: "sshd", Parent: "sshd"},
				Location: "/var/log/auth.log",
				FullLog:  "Mar 18 05:44:09 bastion-01 sshd[88120]: Invalid user oracle from 2a01:4f8:c17:1b2e::1 port 52311",
			},
		},
		{
			file: "misc-missing-agent-and-manager.json",
			want: Alert{
				Timestamp: mustTime("2025-03-18T06:20:00.000+0000"),
				ID:        "1742278800.1",
				Rule:      Rule{ID: "100500", Level: 5, Description: "Custom JSON source", Groups: []string{"local"}, FiredTimes: 1},
				Decoder:   Decoder{Name: "json"},
				Location:  "/var/log/app/custom.json",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := readTestAlert(t, tt.file)
			// Data and Syscheck.Raw are checked against the raw fields.
			tt.want.Data = got.Field("data")
			if tt.want.Syscheck != nil {
				tt.want.Syscheck.Raw = got.Field("syscheck")
			}
			if diff := cmp.Diff(&tt.want, got, alertOpts); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlertHelpers(t *testing.T) {
	sysmon := readTestAlert(t, "sysmon-eid1-wscript-child-remote-agent.json")
	manager := readTestAlert(t, "misc-manager-started-no-data.json")
	noAgent := readTestAlert(t, "misc-missing-agent-and-manager.json")
	own := readTestAlert(t, "misc-own-opencti-event-loop-guard.json")
	suricata := readTestAlert(t, "suricata-alert-http-public-src.json")

	if !sysmon.HasGroup("sysmon_eid1_detections") || sysmon.HasGroup("sysmon") == false || sysmon.HasGroup("sysmon_eid") {
		t.Error("HasGroup: exact matches only")
	}
	if sysmon.Agent.IsManager() || !manager.Agent.IsManager() || !noAgent.Agent.IsManager() {
		t.Error("IsManager: 000 and no agent are the manager, 004 is not")
	}
	if manager.Data.Exists() {
		t.Errorf("Data of an alert without data = %v, want missing", manager.Data)
	}

	for _, name := range []string{"opencti", "custom-opencti"} {
		if !own.IsIntegrationEvent(name) {
			t.Errorf("IsIntegrationEvent(%q) = false for our own event", name)
		}
		if sysmon.IsIntegrationEvent(name) || suricata.IsIntegrationEvent(name) || noAgent.IsIntegrationEvent(name) {
			t.Errorf("IsIntegrationEvent(%q) = true for a foreign alert", name)
		}
	}
	if own.IsIntegrationEvent("virustotal") || own.IsIntegrationEvent("") || own.IsIntegrationEvent("custom-") {
		t.Error("IsIntegrationEvent matched another integration's name")
	}
	// Either mark alone is enough.
	for _, doc := range []string{
		`{"data":{"integration":"opencti"},"location":"/var/log/x"}`,
		`{"data":{"integration":"custom-opencti"}}`,
		`{"location":"opencti"}`,
		`{"location":"custom-opencti"}`,
	} {
		a, err := DecodeAlert([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if !a.IsIntegrationEvent("opencti") {
			t.Errorf("IsIntegrationEvent(opencti) = false for %s", doc)
		}
	}

	if got := suricata.Field("data.flow_id"); got.Text() != "1755196584425738.000000" {
		t.Errorf("Field(data.flow_id) = %v", got)
	}
	if got, _ := suricata.Field("data.src_port").Int(); got != 80 {
		t.Errorf("Field(data.src_port).Int() = %d", got)
	}
	if got := suricata.Field("data.alert.metadata.signature_severity").Strings(); !cmp.Equal(got, []string{"Major"}) {
		t.Errorf("metadata array = %v", got)
	}
	if got := suricata.Field("rule.id").Text(); got != "86601" {
		t.Errorf("Field(rule.id) = %q", got)
	}
	if got := suricata.Data.Get("http.hostname").Text(); got != "dl.example.net" {
		t.Errorf("Data.Get(http.hostname) = %q", got)
	}

	var nilAlert *Alert
	if nilAlert.HasGroup("x") || nilAlert.IsIntegrationEvent("opencti") || nilAlert.Field("rule").Exists() {
		t.Error("a nil *Alert must answer like an empty one")
	}
	if b, err := nilAlert.MarshalJSON(); err != nil || string(b) != "null" {
		t.Errorf("nil MarshalJSON = %s, %v", b, err)
	}
}

func TestDecodeAlertLenientCore(t *testing.T) {
	// Numbers as strings, a lone group string, nested labels, RFC 3339 time.
	doc := `{"timestamp":"2025-03-14T09:26:53Z","rule":{"id":100,"level":"12","firedtimes":"3","groups":"single",` +
		`"mitre":{"id":"T1"}},"agent":{"id":"005","name":"db","labels":{"aws":{"instance-id":"i-1","az":"eu-1a"},"n":7,` +
		`"list":["a"],"none":null}},"location":null,"syscheck":{"path":"/x","inode_after":5}}`
	a, err := DecodeAlert([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := &Alert{
		Timestamp: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Rule:      Rule{ID: "100", Level: 12, FiredTimes: 3, Groups: []string{"single"}, Mitre: Mitre{ID: []string{"T1"}}},
		Agent: Agent{ID: "005", Name: "db", Labels: map[string]string{
			"aws.instance-id": "i-1", "aws.az": "eu-1a", "n": "7", "list": `["a"]`, "none": "null",
		}},
		Syscheck: &Syscheck{Path: "/x", Raw: a.Field("syscheck")},
	}
	if diff := cmp.Diff(want, a, alertOpts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeAlertErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		is   []error
		msg  string
	}{
		{"empty", "", []error{ErrInvalidAlert, ErrEmptyAlert}, "wazuh: invalid alert: the alert is empty"},
		{"whitespace", " \n\t\n", []error{ErrInvalidAlert, ErrEmptyAlert}, "wazuh: invalid alert: the alert is empty"},
		{"truncated", `{"timestamp":"2025-03-14T09:26:53.417+0000","rule":{"le`, []error{ErrInvalidAlert, ErrTruncatedAlert},
			"wazuh: invalid alert: unexpected end of input: the JSON is truncated (at byte 55)"},
		{"truncated string", `{"a":"b`, []error{ErrInvalidAlert, ErrTruncatedAlert},
			"wazuh: invalid alert: unexpected end of input: the JSON is truncated (at byte 7)"},
		{"array", `[{"rule":{}}]`, []error{ErrInvalidAlert}, "wazuh: invalid alert: the alert is a JSON array, not an object"},
		{"string", `"alert"`, []error{ErrInvalidAlert}, "wazuh: invalid alert: the alert is a JSON string, not an object"},
		{"null", `null`, []error{ErrInvalidAlert}, "wazuh: invalid alert: the alert is a JSON null, not an object"},
		{"trailing garbage", "{\"id\":\"1\"}\nxyz", []error{ErrInvalidAlert},
			"wazuh: invalid alert: unexpected data after the JSON value: 'x' (at byte 11)"},
		{"two alerts", "{\"id\":\"1\"}\n{\"id\":\"2\"}\n", []error{ErrInvalidAlert},
			"wazuh: invalid alert: unexpected data after the JSON value: '{' (at byte 11)"},
		{"bad syntax", `{"id" "1"}`, []error{ErrInvalidAlert},
			"wazuh: invalid alert: invalid character '\"' after an object key (at byte 6)"},
		{"level not a number", `{"rule":{"level":"high"}}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "rule.level": want an integer, got "high"`},
		{"level fraction", `{"rule":{"level":3.5}}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "rule.level": want an integer, got "3.5"`},
		{"groups object", `{"rule":{"groups":{"a":1}}}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "rule.groups": want an array of strings, got an object`},
		{"group element", `{"rule":{"groups":["a",{}]}}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "rule.groups.1": want a string, got an object`},
		{"agent string", `{"agent":"004"}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "agent": want an object, got a string`},
		{"agent id bool", `{"agent":{"id":true}}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "agent.id": want a string, got a bool`},
		{"location array", `{"location":["x"]}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "location": want a string, got an array`},
		{"syscheck array", `{"syscheck":[]}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "syscheck": want an object, got an array`},
		{"bad timestamp", `{"timestamp":"yesterday"}`, []error{ErrInvalidAlert},
			`wazuh: invalid alert: field "timestamp": "yesterday" is not a timestamp like 2006-01-02T15:04:05.000-0700`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := DecodeAlert([]byte(tt.in))
			if a != nil || err == nil {
				t.Fatalf("DecodeAlert = %v, %v; want an error", a, err)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("error %q does not match %v", err, target)
				}
			}
			var ae *AlertError
			if !errors.As(err, &ae) {
				t.Errorf("error %T is not an *AlertError", err)
			}
			if got := err.Error(); got != tt.msg {
				t.Errorf("message:\n got %s\nwant %s", got, tt.msg)
			}
		})
	}
}

func TestReadAlertFileErrors(t *testing.T) {
	dir := t.TempDir()

	_, err := ReadAlertFile(filepath.Join(dir, "missing.alert"))
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrInvalidAlert) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}

	empty := filepath.Join(dir, "empty.alert")
	writeFile(t, empty, nil)
	_, err = ReadAlertFile(empty)
	var ae *AlertError
	if !errors.Is(err, ErrEmptyAlert) || !errors.As(err, &ae) || ae.File != empty || !strings.Contains(err.Error(), empty) {
		t.Errorf("empty file: %v, want ErrEmptyAlert naming the file", err)
	}

	// Exactly MaxAlertSize bytes is accepted, one more is refused.
	body := `{"id":"1"}`
	atLimit := filepath.Join(dir, "limit.alert")
	writeFile(t, atLimit, []byte(body+strings.Repeat(" ", MaxAlertSize-len(body))))
	if _, err := ReadAlertFile(atLimit); err != nil {
		t.Errorf("file of exactly MaxAlertSize: %v", err)
	}
	over := filepath.Join(dir, "over.alert")
	writeFile(t, over, []byte(body+strings.Repeat(" ", MaxAlertSize-len(body)+1)))
	if _, err := ReadAlertFile(over); !errors.Is(err, ErrAlertTooLarge) {
		t.Errorf("file of MaxAlertSize+1: %v, want ErrAlertTooLarge", err)
	}
	if _, err := DecodeAlert(make([]byte, MaxAlertSize+1)); !errors.Is(err, ErrAlertTooLarge) {
		t.Errorf("DecodeAlert of MaxAlertSize+1 bytes: %v, want ErrAlertTooLarge", err)
	}

	// A sparse 4 GiB file and an endless device: only MaxAlertSize+1 bytes
	// are read, so both fail fast.
	huge := filepath.Join(dir, "huge.alert")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		t.Skipf("cannot make a sparse file: %v", err)
	}
	f.Close()
	for _, path := range []string{huge, "/dev/zero"} {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		start := time.Now()
		_, err := ReadAlertFile(path)
		if !errors.Is(err, ErrAlertTooLarge) {
			t.Errorf("%s: %v, want ErrAlertTooLarge", path, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s took %v: the file was read too far", path, d)
		}
	}

	if _, err := ReadAlertFile(dir); err == nil || errors.Is(err, ErrInvalidAlert) {
		t.Errorf("a directory: %v, want a read error", err)
	}
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkDecodeAlert(b *testing.B) {
	for _, name := range []string{"sysmon-eid1-very-long-commandline.json", "sysmon-eid1-wscript-child-remote-agent.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "alerts", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeAlert(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadAlertFile(b *testing.B) {
	path := filepath.Join("testdata", "alerts", "sysmon-eid1-very-long-commandline.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAlertFile(path); err != nil {
			b.Fatal(err)
		}
	}
}
