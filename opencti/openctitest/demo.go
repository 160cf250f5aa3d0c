package openctitest

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

//go:embed demo_bundle.json
var demoBundle []byte

// DemoBundleJSON returns the STIX 2.1 JSON of the demo bundle (a copy):
// invented indicators of compromise in documentation address ranges and
// reserved names, listed in the package documentation.
func DemoBundleJSON() []byte { return bytes.Clone(demoBundle) }

// DemoBundle returns the demo bundle decoded.
func DemoBundle() *stix.Bundle {
	b, err := stix.DecodeBundle(bytes.NewReader(demoBundle))
	if err != nil {
		// The tests decode it; this cannot happen in a released build.
		panic(fmt.Sprintf("openctitest: the embedded demo bundle is invalid: %v", err))
	}
	return b
}
