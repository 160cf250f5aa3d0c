package wazuh

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type testOptions struct {
	MaxIndAlerts int      `json:"max_ind_alerts"`
	MaxObsAlerts int      `json:"max_obs_alerts"`
	Proxy        string   `json:"proxy"`
	Insecure     bool     `json:"insecure"`
	Ignore       []string `json:"ignore_hashes"`
	Limits       struct {
		Pages int `json:"pages"`
	} `json:"limits"`
	Skipped string `json:"-"`
}

func TestReadOptions(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		want    Options
	}{
		{"as integratord writes it", `{"max_ind_alerts": 5, "proxy": "http://proxy:3128"}` + "\n",
			Options{"max_ind_alerts": json.RawMessage(`5`), "proxy": json.RawMessage(`"http://proxy:3128"`)}},
		{"empty file", "", Options{}},
		{"only a newline", "\n", Options{}},
		{"empty object", "{}\n", Options{}},
		{"nested", `{"limits":{"pages":3},"ignore_hashes":["a","b"]}`,
			Options{"limits": json.RawMessage(`{"pages":3}`), "ignore_hashes": json.RawMessage(`["a","b"]`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "x.options")
			writeFile(t, path, []byte(tt.content))
			got, err := ReadOptions(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	got, err := ReadOptions("")
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf(`ReadOptions("") = %v, %v; want empty Options`, got, err)
	}
	if _, err := ReadOptions(filepath.Join(dir, "missing.options")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestReadOptionsErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "custom-opencti-1-2.options")
	tests := []struct {
		name    string
		content string
		msg     string
	}{
		{"not JSON", "max_ind_alerts=5\n",
			`wazuh: invalid options "` + path + `": not valid JSON: invalid character 'm' looking for a value (at byte 0)`},
		{"truncated", `{"max_ind_alerts": 5`,
			`wazuh: invalid options "` + path + `": not valid JSON: unexpected end of input: the JSON is incomplete (at byte 20)`},
		{"array", `[1,2]`, `wazuh: invalid options "` + path + `": want a JSON object, got an array`},
		{"string", `"x"`, `wazuh: invalid options "` + path + `": want a JSON object, got a string`},
		{"trailing", `{} {}`,
			`wazuh: invalid options "` + path + `": not valid JSON: unexpected data after the JSON value: '{' (at byte 3)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, path, []byte(tt.content))
			_, err := ReadOptions(path)
			var oe *OptionsError
			if !errors.Is(err, ErrInvalidOptions) || !errors.As(err, &oe) || oe.File != path {
				t.Fatalf("error %v, want an *OptionsError for the file", err)
			}
			if err.Error() != tt.msg {
				t.Errorf("message:\n got %s\nwant %s", err, tt.msg)
			}
		})
	}

	big := filepath.Join(dir, "big.options")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxAlertSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadOptions(big); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("oversized options: %v, want ErrInvalidOptions", err)
	}
}

func TestOptionsDecode(t *testing.T) {
	o, err := ParseOptions([]byte(`{"max_ind_alerts":5,"MAX_OBS_ALERTS":2,"proxy":"http://p:3128","insecure":true,` +
		`"ignore_hashes":["d41d8cd98f00b204e9800998ecf8427e"],"limits":{"pages":4},"Skipped":"x","colour":"blue","typo_max":1}`))
	if err != nil {
		t.Fatal(err)
	}
	var got testOptions
	unknown, err := o.Decode(&got)
	if err != nil {
		t.Fatal(err)
	}
	want := testOptions{MaxIndAlerts: 5, MaxObsAlerts: 2, Proxy: "http://p:3128", Insecure: true,
		Ignore: []string{"d41d8cd98f00b204e9800998ecf8427e"}}
	want.Limits.Pages = 4
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	// Keys are matched as encoding/json does (case-insensitively); "-" fields take nothing.
	if diff := cmp.Diff([]string{"Skipped", "colour", "typo_max"}, unknown); diff != "" {
		t.Errorf("unknown keys (-want +got):\n%s", diff)
	}

	var m map[string]any
	if unknown, err := o.Decode(&m); err != nil || unknown != nil || len(m) != 9 {
		t.Errorf("Decode into a map: %v, %v, %d keys", unknown, err, len(m))
	}
}

func TestOptionsDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		key  string
		msg  string
	}{
		{"string for int", `{"max_ind_alerts":"5"}`, "max_ind_alerts",
			`wazuh: invalid options: key "max_ind_alerts": want an integer, got a JSON string`},
		{"fraction for int", `{"max_obs_alerts":2.5}`, "max_obs_alerts",
			`wazuh: invalid options: key "max_obs_alerts": want an integer, got a JSON number 2.5`},
		{"number for string", `{"proxy":3128}`, "proxy",
			`wazuh: invalid options: key "proxy": want a string, got a JSON number`},
		{"string for bool", `{"insecure":"yes"}`, "insecure",
			`wazuh: invalid options: key "insecure": want a boolean, got a JSON string`},
		{"object for array", `{"ignore_hashes":{"a":1}}`, "ignore_hashes",
			`wazuh: invalid options: key "ignore_hashes": want an array, got a JSON object`},
		{"nested field", `{"limits":{"pages":"many"}}`, "limits",
			`wazuh: invalid options: key "limits": want an integer, got a JSON string at limits.pages`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOptions([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			var v testOptions
			_, err = o.Decode(&v)
			var oe *OptionsError
			if !errors.Is(err, ErrInvalidOptions) || !errors.As(err, &oe) || oe.Key != tt.key {
				t.Fatalf("error %v, want an *OptionsError for key %q", err, tt.key)
			}
			if err.Error() != tt.msg {
				t.Errorf("message:\n got %s\nwant %s", err, tt.msg)
			}
		})
	}

	o := Options{"a": json.RawMessage("1")}
	var v testOptions
	for _, target := range []any{nil, v, (*testOptions)(nil)} {
		if _, err := o.Decode(target); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("Decode(%T): %v, want ErrInvalidOptions", target, err)
		}
	}
}

func TestHome(t *testing.T) {
	tests := []struct {
		exe, want string
		ok        bool
	}{
		{"/var/ossec/integrations/custom-opencti", "/var/ossec", true},
		{"/opt/wazuh//integrations/./custom-opencti", "/opt/wazuh", true},
		{"/usr/local/bin/custom-opencti", "", false},
		{"custom-opencti", "", false},
	}
	for _, tt := range tests {
		got, err := Home(tt.exe)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("Home(%q) = %q, %v; want %q, ok=%t", tt.exe, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrNoHome) {
			t.Errorf("Home(%q) error %v does not match ErrNoHome", tt.exe, err)
		}
	}

	t.Setenv("WAZUH_HOME", "/srv/wazuh/")
	if got, err := FindHome(); got != "/srv/wazuh" || err != nil {
		t.Errorf("FindHome with WAZUH_HOME = %q, %v", got, err)
	}
	t.Setenv("WAZUH_HOME", "")
	// The test binary lives in a build directory, not under integrations/.
	if got, err := FindHome(); !errors.Is(err, ErrNoHome) {
		t.Errorf("FindHome without WAZUH_HOME = %q, %v; want ErrNoHome", got, err)
	}
}
