// Package stixschema validates JSON against the official STIX 2.1 JSON
// schemas, read from a local copy so that tests need no network. It is for
// tests: the schemas are not part of this module, and ForTest skips when
// the directory holding them is not configured.
package stixschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// EnvVar names the environment variable that holds the directory of the
// schemas: the "schemas" folder of the cti-stix2-json-schemas repository,
// with common/, observables/, sdos/ and sros/ in it.
const EnvVar = "STIX2_JSON_SCHEMAS"

// BaseURL is the prefix of every schema's $id; it is mapped to the local
// directory.
const BaseURL = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// Validator compiles schemas on first use and validates values against
// them. It is safe for concurrent use.
type Validator struct {
	dir string

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

// New returns a Validator for the schemas in dir.
func New(dir string) (*Validator, error) {
	if st, err := os.Stat(filepath.Join(dir, "common", "core.json")); err != nil || st.IsDir() {
		return nil, fmt.Errorf("stixschema: %s does not hold the STIX 2.1 schemas (no common/core.json)", dir)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(dirLoader(dir))
	// The schemas are draft 2020-12, where "format" is only an annotation
	// unless asserted: without this, the uri format of url values and
	// external references and the email format of email-addr values would
	// check nothing.
	c.AssertFormat()
	return &Validator{dir: dir, compiler: c, schemas: make(map[string]*jsonschema.Schema)}, nil
}

// ForTest returns a Validator for the directory named by STIX2_JSON_SCHEMAS,
// and skips the test, naming the variable, when it is unset. A set but
// wrong directory fails the test.
func ForTest(t testing.TB) *Validator {
	t.Helper()
	dir := os.Getenv(EnvVar)
	if dir == "" {
		t.Skipf("%s is not set: it names the directory of the official STIX 2.1 JSON schemas (cti-stix2-json-schemas/schemas); CI sets it", EnvVar)
	}
	v, err := New(dir)
	if err != nil {
		t.Fatalf("%s=%s: %v", EnvVar, dir, err)
	}
	return v
}

// dirLoader maps BaseURL to a directory and refuses every other URL, so a
// schema can never reach the network.
type dirLoader string

func (d dirLoader) Load(url string) (any, error) {
	rel, ok := strings.CutPrefix(url, BaseURL)
	if !ok {
		return nil, fmt.Errorf("stixschema: %s is outside %s: refusing to load it", url, BaseURL)
	}
	f, err := os.Open(filepath.Join(string(d), filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// Schema compiles (once) the schema at a path relative to the schema
// directory, such as "observables/file.json" or "sdos/indicator.json".
func (v *Validator) Schema(name string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.schemas[name]; ok {
		return s, nil
	}
	s, err := v.compiler.Compile(BaseURL + name)
	if err != nil {
		return nil, fmt.Errorf("stixschema: compile %s: %w", name, err)
	}
	v.schemas[name] = s
	return s, nil
}

// ValidateJSON validates a JSON document against the named schema. The
// error of an invalid document lists every violation.
func (v *Validator) ValidateJSON(name string, data []byte) error {
	s, err := v.Schema(name)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("stixschema: %s: not JSON: %w", name, err)
	}
	if err := s.Validate(doc); err != nil {
		// err is a *jsonschema.ValidationError listing every violation.
		return fmt.Errorf("stixschema: %s: %w", name, err)
	}
	return nil
}

// Validate marshals value with encoding/json and validates the result.
func (v *Validator) Validate(name string, value any) error {
	data, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("stixschema: marshal for %s: %w", name, err)
	}
	return v.ValidateJSON(name, data)
}
