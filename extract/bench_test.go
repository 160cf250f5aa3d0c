package extract_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// BenchmarkDefaultExtract runs the default set over each sample alert
// (decoded beforehand: decoding is the wazuh package's cost), and over all
// of them in turn ("all" is per pass over every alert). Run with -benchmem.
func BenchmarkDefaultExtract(b *testing.B) {
	set := extract.Default()
	paths := sampleAlerts(b)
	alerts := make([]*wazuh.Alert, len(paths))
	for i, p := range paths {
		alerts[i] = readAlert(b, p)
	}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range alerts {
				_ = set.Extract(a)
			}
		}
	})
	for i, p := range paths {
		a := alerts[i]
		b.Run(strings.TrimSuffix(filepath.Base(p), ".json"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = set.Extract(a)
			}
		})
	}
}
