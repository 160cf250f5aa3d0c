package stixschema

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func TestSchemaValidatorCatchesErrors(t *testing.T) {
	v := ForTest(t)
	valid := `{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}`
	if err := v.ValidateJSON("observables/ipv4-addr.json", []byte(valid)); err != nil {
		t.Fatalf("valid ipv4-addr rejected: %v", err)
	}
	invalid := []string{
		`{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"}`,
		`{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599","value":"198.51.100.3"}`,
		`{"type":"ipv6-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}`,
	}
	for _, doc := range invalid {
		err := v.ValidateJSON("observables/ipv4-addr.json", []byte(doc))
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error %v, want a validation error", doc, err)
		}
	}
	if err := v.ValidateJSON("observables/ipv4-addr.json", []byte(`{`)); err == nil {
		t.Errorf("invalid JSON accepted")
	}
	if err := v.Validate("observables/ipv4-addr.json", map[string]string{"type": "ipv4-addr"}); err == nil {
		t.Errorf("incomplete object accepted")
	}
	if _, err := v.Schema("observables/no-such.json"); err == nil {
		t.Errorf("missing schema compiled")
	}
}

// TestSchemaValidatorAssertsFormats makes sure the "format" keywords of the
// schemas are checked: in draft 2020-12 they are annotations unless the
// validator asserts them, and url and email-addr values are checked by
// format only.
func TestSchemaValidatorAssertsFormats(t *testing.T) {
	v := ForTest(t)
	tests := []struct{ schema, doc string }{
		{"observables/url.json", `{"type":"url","spec_version":"2.1","id":"url--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"not a URL"}`},
		{"observables/email-addr.json", `{"type":"email-addr","spec_version":"2.1","id":"email-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"no at sign"}`},
	}
	for _, tt := range tests {
		var ve *jsonschema.ValidationError
		if err := v.ValidateJSON(tt.schema, []byte(tt.doc)); !errors.As(err, &ve) {
			t.Errorf("%s: %s: error %v, want a validation error", tt.schema, tt.doc, err)
		}
	}
}

func TestSchemaEveryFileCompiles(t *testing.T) {
	v := ForTest(t)
	for _, dir := range []string{"common", "observables", "sdos", "sros"} {
		files, err := filepath.Glob(filepath.Join(os.Getenv(EnvVar), dir, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no schemas (%v)", dir, err)
		}
		for _, f := range files {
			name := dir + "/" + filepath.Base(f)
			if _, err := v.Schema(name); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

func TestLoaderRefusesOtherURLs(t *testing.T) {
	_, err := dirLoader(t.TempDir()).Load("https://example.com/schema.json")
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("Load outside the base URL: %v", err)
	}
}

func TestNewRejectsWrongDirectory(t *testing.T) {
	if _, err := New(t.TempDir()); err == nil {
		t.Errorf("New accepted a directory without schemas")
	}
}
